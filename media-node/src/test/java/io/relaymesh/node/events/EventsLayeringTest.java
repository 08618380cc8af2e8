package io.relaymesh.node.events;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;

/** The emitter stays plain Java so a remote sender can reuse it; only the connector knows the NATS client. */
@AnalyzeClasses(packages = "io.relaymesh.node",
        importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class EventsLayeringTest {

    @ArchTest
    static void eventsKnowNoNatsHttpDiskOrConnector(JavaClasses classes) {
        noClasses().that().resideInAPackage("io.relaymesh.node.events..")
                .should().dependOnClassesThat().resideInAnyPackage("io.nats..", "io.micronaut..",
                        "io.relaymesh.node.connector..", "io.relaymesh.node.http..", "io.relaymesh.node.boot..",
                        "java.nio.channels..", "java.net.http..")
                .check(classes);
    }

    @ArchTest
    static void onlyTheConnectorKnowsNats(JavaClasses classes) {
        noClasses().that().resideOutsideOfPackage("io.relaymesh.node.connector..")
                .should().dependOnClassesThat().resideInAPackage("io.nats..")
                .check(classes);
    }
}
