package io.relaymesh.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.relaymesh.operator.crd.v1alpha1.status.MediaZoneStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConditionsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-01T00:05:00Z");

    @Test
    void unchangedStatusKeepsItsTransitionTimeAndComparesEqual() {
        MediaZoneStatus first = new MediaZoneStatus();
        Conditions.apply(Conditions.Outcome.progressing("WaitingForPods", "webrtc 0/1"), null, first, 1, T0);
        MediaZoneStatus second = new MediaZoneStatus();
        Conditions.apply(Conditions.Outcome.progressing("WaitingForPods", "webrtc 0/1"), first, second, 1, T1);
        assertThat(second).isEqualTo(first);
        assertThat(second.condition("Ready").orElseThrow().getLastTransitionTime()).isEqualTo(T0.toString());
    }

    @Test
    void aFlipMovesOnlyTheFlippedConditionsTransitionTime() {
        MediaZoneStatus first = new MediaZoneStatus();
        Conditions.apply(Conditions.Outcome.progressing("WaitingForPods", "webrtc 0/1"), null, first, 1, T0);
        MediaZoneStatus second = new MediaZoneStatus();
        Conditions.apply(Conditions.Outcome.ready("ZoneReady", "all ready"), first, second, 2, T1);
        assertThat(second.condition("Ready").orElseThrow().getStatus()).isEqualTo("True");
        assertThat(second.condition("Ready").orElseThrow().getLastTransitionTime()).isEqualTo(T1.toString());
        assertThat(second.condition("Progressing").orElseThrow().getLastTransitionTime()).isEqualTo(T1.toString());
        assertThat(second.condition("Degraded").orElseThrow().getLastTransitionTime()).isEqualTo(T0.toString());
        assertThat(second.condition("Degraded").orElseThrow().getObservedGeneration()).isEqualTo(2L);
        assertThat(second.getObservedGeneration()).isEqualTo(2L);
    }

    @Test
    void anInvalidSpecIsDegradedAndNeitherReadyNorProgressing() {
        MediaZoneStatus status = new MediaZoneStatus();
        Conditions.apply(Conditions.Outcome.invalid("InvalidPorts", "clash"), null, status, 3, T0);
        assertThat(status.getConditions()).extracting(c -> c.getType() + "=" + c.getStatus())
                .containsExactly("Ready=False", "Progressing=False", "Degraded=True");
        assertThat(status.getConditions()).allSatisfy(c -> assertThat(c.getReason()).isEqualTo("InvalidPorts"));
    }
}
