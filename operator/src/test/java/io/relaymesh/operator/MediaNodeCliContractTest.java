package io.relaymesh.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.relaymesh.node.cli.RelaymeshCommand;
import io.relaymesh.operator.dependent.NodeRole;
import io.relaymesh.operator.testing.MediaNodeCli;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The CLI check itself can fail: the node's CLI refuses what the operator must never render. */
class MediaNodeCliContractTest {

    private static final String SECRET = "--secret=0123456789abcdefghijklmnopqrstuvwxyzABCD";

    @ParameterizedTest
    @EnumSource(NodeRole.class)
    void everyRoleTheOperatorRunsIsASubcommandOfTheNode(NodeRole role) {
        assertThat(RelaymeshCommand.commandLine(s -> 0).getSubcommands()).containsKey(role.command());
        MediaNodeCli.Parsed parsed = MediaNodeCli.run(List.of(role.command(), "--zone=eu", "--node-index=" + role.firstIndex(), SECRET));
        assertThat(parsed.exitCode()).as(parsed.errors()).isZero();
        assertThat(parsed.settings().nodeId()).isEqualTo("eu-" + role.firstIndex());
    }

    @Test
    void anUnknownFlagIsRejected() {
        MediaNodeCli.Parsed parsed = MediaNodeCli.run(List.of("media", "--node-id=eu-0", SECRET));
        assertThat(parsed.exitCode()).isEqualTo(RelaymeshCommand.EXIT_USAGE);
        assertThat(parsed.errors()).contains("--node-id");
    }

    @Test
    void aFlagOfAnotherRoleIsRejected() {
        assertThat(MediaNodeCli.run(List.of("media", "--rtmp-port=1935", SECRET)).exitCode())
                .isEqualTo(RelaymeshCommand.EXIT_USAGE);
    }

    @Test
    void invalidValuesAreRejected() {
        List<List<String>> bad = new ArrayList<>();
        bad.add(List.of("media", "--secret=short"));
        bad.add(List.of("media", SECRET, "--zone=Not_A_Label"));
        bad.add(List.of("media", SECRET, "--node-index=70000"));
        bad.add(List.of("media", SECRET, "--webrtc-port=0"));
        bad.add(List.of("media", SECRET, "--seeds=no-port"));
        for (List<String> argv : bad) {
            assertThat(MediaNodeCli.run(argv).exitCode()).as("%s", argv).isEqualTo(RelaymeshCommand.EXIT_USAGE);
        }
    }

    @Test
    void envVariablesMapToTheirFlags() {
        assertThat(MediaNodeCli.flagFor("RELAYMESH_ADVERTISE_IP")).isEqualTo("--advertise-ip");
        assertThat(MediaNodeCli.flagFor("RELAYMESH_NODE_INDEX")).isEqualTo("--node-index");
    }
}
