package io.relaymesh.node.arch;

import static com.tngtech.archunit.base.DescribedPredicate.or;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.relaymesh.node.srtp.SrtpProfile;

/**
 * The package layering of STYLE.md, enforced on the media node's production classes: pure protocol code at
 * the bottom (only the JDK, Netty buffers and Bouncy Castle), then {@code transport}, then {@code sfu}, and
 * Micronaut only in the outermost packages that wire the node together and serve HTTP.
 *
 * <p>The rules are checked from {@code @ArchTest} methods rather than fields: Surefire 3.5.3 silently skips
 * {@code @ArchTest} fields (TNG/ArchUnit issue 1442).
 */
@AnalyzeClasses(packages = "io.relaymesh.node",
        importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class LayeringTest {

    private static final String BASE = "io.relaymesh.node.";
    private static final String PURE = "STYLE.md: stun/ice, dtls, srtp, rtp, rtcp, sdp are pure protocol "
            + "(only the JDK, Netty buffers and Bouncy Castle)";

    /** What any pure protocol package may use besides itself. */
    private static final DescribedPredicate<JavaClass> JDK_NETTY_BOUNCY_CASTLE_PROTOCOL = resideInAnyPackage(
            "java..", "javax..", "io.netty..", "org.bouncycastle..", BASE + "protocol..");

    @ArchTest
    static void stunIsPureProtocol(JavaClasses classes) {
        pureProtocol("stun").check(classes);
    }

    @ArchTest
    static void srtpIsPureProtocol(JavaClasses classes) {
        pureProtocol("srtp").check(classes);
    }

    @ArchTest
    static void rtpIsPureProtocol(JavaClasses classes) {
        pureProtocol("rtp").check(classes);
    }

    @ArchTest
    static void rtcpIsPureProtocol(JavaClasses classes) {
        pureProtocol("rtcp").check(classes);
    }

    @ArchTest
    static void sdpIsPureProtocol(JavaClasses classes) {
        pureProtocol("sdp").check(classes);
    }

    /** DTLS negotiates use_srtp, so it names the SRTP profiles; nothing else of srtp. */
    @ArchTest
    static void dtlsIsPureProtocolAndKnowsOnlySrtpProfiles(JavaClasses classes) {
        classes().that().resideInAPackage(BASE + "dtls..")
                .should().onlyDependOnClassesThat(or(JDK_NETTY_BOUNCY_CASTLE_PROTOCOL,
                        resideInAnyPackage(BASE + "dtls.."), belongToAnyOf(SrtpProfile.class)))
                .because(PURE + "; dtls may name srtp's SrtpProfile for use_srtp")
                .check(classes);
    }

    @ArchTest
    static void transportIsBelowTheSfuAndTheServices(JavaClasses classes) {
        noClasses().that().resideInAPackage(BASE + "transport..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        BASE + "sfu..", BASE + "http..", BASE + "cli..", BASE + "boot..")
                .because("STYLE.md: transport -> sfu -> ... -> http, cli; the arrows point one way")
                .check(classes);
    }

    @ArchTest
    static void sfuIsBelowTheServices(JavaClasses classes) {
        noClasses().that().resideInAPackage(BASE + "sfu..")
                .should().dependOnClassesThat().resideInAnyPackage(BASE + "http..", BASE + "cli..", BASE + "boot..")
                .because("STYLE.md: the SFU knows nothing of HTTP, the CLI or how the node is started")
                .check(classes);
    }

    @ArchTest
    static void onlyTheOuterPackagesKnowMicronaut(JavaClasses classes) {
        noClasses().that().resideOutsideOfPackages(BASE + "http..", BASE + "cli..", BASE + "boot..", BASE + "connector..")
                .should().dependOnClassesThat().resideInAPackage("io.micronaut..")
                .because("STYLE.md: only http and cli (and boot, which starts them, and connector) know Micronaut")
                .check(classes);
    }

    @ArchTest
    static void eventsKnowNoNatsHttpDiskOrConnector(JavaClasses classes) {
        noClasses().that().resideInAPackage(BASE + "events..")
                .should().dependOnClassesThat().resideInAnyPackage("io.nats..", "io.micronaut..",
                        BASE + "connector..", BASE + "http..", BASE + "boot..", "java.nio.channels..", "java.net.http..")
                .because("the emitter stays plain Java so a remote sender can reuse it")
                .check(classes);
    }

    @ArchTest
    static void onlyTheConnectorKnowsNats(JavaClasses classes) {
        noClasses().that().resideOutsideOfPackage(BASE + "connector..")
                .should().dependOnClassesThat().resideInAPackage("io.nats..")
                .because("STYLE.md: only the outer packages know NATS; the connector is the one that delivers to it")
                .check(classes);
    }

    @ArchTest
    static void packagesAreFreeOfCycles(JavaClasses classes) {
        slices().matching(BASE + "(*)..").should().beFreeOfCycles().check(classes);
    }

    private static ArchRule pureProtocol(String name) {
        return classes().that().resideInAPackage(BASE + name + "..")
                .should().onlyDependOnClassesThat(or(JDK_NETTY_BOUNCY_CASTLE_PROTOCOL,
                        resideInAnyPackage(BASE + name + "..")))
                .because(PURE);
    }
}
