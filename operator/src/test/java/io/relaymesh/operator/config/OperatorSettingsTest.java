package io.relaymesh.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {

    @Test
    void readsTheChartsEnvironment() {
        OperatorSettings s = OperatorSettings.fromEnvironment(Map.of("WATCH_NAMESPACES", "a, b,", "POD_NAMESPACE", "ops",
                "POD_NAME", "op-1", "RELAYMESH_OPERATOR_PROBE_PORT", "9090"));
        assertThat(s.namespaces()).containsExactlyInAnyOrder("a", "b");
        assertThat(s.leaderElection()).isTrue();
        assertThat(s.leaseNamespace()).isEqualTo("ops");
        assertThat(s.identity()).isEqualTo("op-1");
        assertThat(s.probePort()).isEqualTo(9090);
        assertThat(s.serverSideApply()).isTrue();
    }

    @Test
    void emptyWatchListMeansAllNamespaces() {
        assertThat(OperatorSettings.fromEnvironment(Map.of("POD_NAMESPACE", "ops")).namespaces()).isEmpty();
    }

    @Test
    void leaderElectionWithoutANamespaceIsRefusedWithAReason() {
        assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of()))
                .hasMessageContaining("POD_NAMESPACE");
        assertThat(OperatorSettings.fromEnvironment(Map.of("RELAYMESH_OPERATOR_LEADER_ELECTION", "false")).leaderElection())
                .isFalse();
    }

    @Test
    void aBadProbePortIsRefusedWithAReason() {
        assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of("POD_NAMESPACE", "x",
                "RELAYMESH_OPERATOR_PROBE_PORT", "http"))).hasMessageContaining("RELAYMESH_OPERATOR_PROBE_PORT");
        assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of("POD_NAMESPACE", "x",
                "RELAYMESH_OPERATOR_PROBE_PORT", "70000"))).hasMessageContaining("65535");
    }
}
