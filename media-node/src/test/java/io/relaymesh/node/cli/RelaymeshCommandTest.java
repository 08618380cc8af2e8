package io.relaymesh.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.relaymesh.node.config.NodeSettings;
import io.relaymesh.node.config.Role;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class RelaymeshCommandTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-test";

    private final List<NodeSettings> launched = new ArrayList<>();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = RelaymeshCommand.commandLine(settings -> {
            launched.add(settings);
            return 0;
        });
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }

    @Test
    void standaloneDefaultsNeedNoFlags() {
        assertThat(run("standalone")).isZero();
        NodeSettings s = launched.getFirst();
        assertThat(s.role()).isEqualTo(Role.STANDALONE);
        assertThat(s.httpPort()).isEqualTo(3000);
        assertThat(s.webrtcPort()).isEqualTo(10000);
        assertThat(s.secret()).isEmpty();
        assertThat(s.advertiseIps()).isEmpty();
        assertThat(s.seeds()).isEmpty();
        assertThat(s.nodeId()).isEqualTo("local-0");
    }

    @Test
    void flagsAreParsedAndRepeatable() {
        assertThat(run("media", "--http-port", "8080", "--webrtc-port", "20000", "--advertise-ip", "10.0.0.1",
                "--advertise-ip", "10.0.0.2,::1", "--secret", SECRET, "--zone", "eu-west", "--node-index", "3",
                "--seeds", "relaymesh-seeds.default.svc:4000", "--seeds", "relaymesh://gw-0@10.0.0.9:4001")).isZero();
        NodeSettings s = launched.getFirst();
        assertThat(s.role()).isEqualTo(Role.MEDIA);
        assertThat(s.httpPort()).isEqualTo(8080);
        assertThat(s.webrtcPort()).isEqualTo(20000);
        assertThat(s.advertiseIps()).hasSize(3);
        assertThat(s.secret()).hasValueSatisfying(secret -> assertThat(secret.reveal()).isEqualTo(SECRET));
        assertThat(s.nodeId()).isEqualTo("eu-west-3");
        assertThat(s.seeds()).extracting(a -> a.getHostString() + ":" + a.getPort())
                .containsExactly("relaymesh-seeds.default.svc:4000", "10.0.0.9:4001");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "standalone --http-port 0",
        "standalone --http-port 70000",
        "standalone --webrtc-port abc",
        "standalone --secret short",
        "standalone --advertise-ip example.com",
        "standalone --zone Not_A_Label",
        "standalone --seeds nohostport",
        "standalone --nats-url http://x",
        "standalone --webhook-url ftp://x",
        "gateway --webrtc-port 1",
        "gateway --session-capacity 5",
        "gateway --relay-port 5001",
        "gateway --placement-cpu-limit 0",
        "gateway --placement-cpu-limit 101",
        "gateway --placement-cpu-limit most",
        "media --placement-cpu-limit 80",
        "media --session-capacity -1",
        "media --session-capacity 4294967296",
        "media --session-capacity many",
        "media --relay-port 70000",
        "media --cluster-port 4000 --relay-port 4000",
        "media --webrtc-port 10001 --relay-port 10001",
        "media --cluster-port 65535",
        "media --webhook-url ftp://x",
        "standalone --no-such-flag",
        ""
    })
    void invalidCommandLinesExitWithUsageErrorAndNameTheProblem(String line) {
        int code = run(line.isEmpty() ? new String[0] : line.split(" "));
        assertThat(code).isEqualTo(RelaymeshCommand.EXIT_USAGE);
        assertThat(launched).isEmpty();
        assertThat(err.toString()).isNotBlank();
    }

    @Test
    void secretIsNeverPrinted() {
        run("standalone", "--secret", SECRET);
        assertThat(launched.getFirst().toString()).doesNotContain(SECRET);
    }

    @Test
    void aMediaNodeOffersFiveHundredSessionsAndRelaysOnTheClusterPortPlusOneByDefault() {
        assertThat(run("media", "--cluster-port", "4010")).isZero();
        NodeSettings s = launched.getFirst();
        assertThat(s.sessionCapacity()).isEqualTo(NodeSettings.DEFAULT_SESSION_CAPACITY).isEqualTo(500);
        assertThat(s.relayPort()).isEqualTo(4011);
        assertThat(s.webhookUrls()).isEmpty();
    }

    @Test
    void sessionCapacityRelayPortAndEventFlagsOfAMediaNode() {
        assertThat(run("media", "--cluster-port", "4010", "--relay-port", "4500", "--session-capacity", "0",
                "--webhook-url", "http://127.0.0.1:9/hook", "--nats-url", "nats://127.0.0.1:4222")).isZero();
        NodeSettings s = launched.getFirst();
        assertThat(s.sessionCapacity()).as("0: the node takes no sessions through a gateway").isZero();
        assertThat(s.relayPort()).isEqualTo(4500);
        assertThat(s.webhookUrls()).containsExactly("http://127.0.0.1:9/hook");
        assertThat(s.natsUrl()).contains("nats://127.0.0.1:4222");
    }

    @Test
    void aGatewayPlacesOnNodesUnderSixtyPercentCpuUnlessToldOtherwise() {
        assertThat(run("gateway")).isZero();
        assertThat(launched.getFirst().placementCpuLimit()).isEqualTo(NodeSettings.DEFAULT_PLACEMENT_CPU_LIMIT)
                .isEqualTo(60);
        assertThat(run("gateway", "--placement-cpu-limit", "100")).isZero();
        assertThat(launched.getLast().placementCpuLimit()).isEqualTo(100);
        CommandLine gateway = RelaymeshCommand.commandLine(settings -> 0).getSubcommands().get("gateway");
        assertThat(gateway.getCommandSpec().findOption("--placement-cpu-limit").defaultValueString(false))
                .isEqualTo("${env:RELAYMESH_PLACEMENT_CPU_LIMIT:-60}");
    }

    @Test
    void aGatewayTakesTheEventFlags() {
        assertThat(run("gateway", "--webhook-url", "http://127.0.0.1:9/a,http://127.0.0.1:9/b")).isZero();
        assertThat(launched.getFirst().webhookUrls()).hasSize(2);
    }

    /**
     * The environment variables of the new flags are the ones documented (RELAYMESH_SESSION_CAPACITY was read by
     * the node before the flag existed; deployments that set it keep working).
     */
    @Test
    void theNewFlagsReadTheirEnvironmentVariables() {
        CommandLine media = RelaymeshCommand.commandLine(settings -> 0).getSubcommands().get("media");
        assertThat(media.getCommandSpec().findOption("--session-capacity").defaultValueString(false))
                .isEqualTo("${env:RELAYMESH_SESSION_CAPACITY:-500}");
        assertThat(media.getCommandSpec().findOption("--relay-port").defaultValueString(false))
                .isEqualTo("${env:RELAYMESH_RELAY_PORT}");
    }

    @Test
    void errorsNameTheFlag() {
        assertThat(run("media", "--cluster-port", "65535")).isEqualTo(RelaymeshCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("--relay-port");
        assertThat(run("media", "--session-capacity", "-1")).isEqualTo(RelaymeshCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("--session-capacity");
    }
}
