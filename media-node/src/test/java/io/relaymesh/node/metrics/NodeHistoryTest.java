package io.relaymesh.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.relaymesh.node.transport.InNodeLatency;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

class NodeHistoryTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T12:00:00Z"), ZoneOffset.UTC);

    private static long[] buckets(long... leading) {
        long[] out = new long[InNodeLatency.BUCKETS + 1];
        System.arraycopy(leading, 0, out, 0, leading.length);
        return out;
    }

    private static NodeTotals totals(long nanoTime, long bytesIn, long bytesOut, long packetsIn, long packetsOut,
                                     long[] latency) {
        return new NodeTotals(nanoTime, 2, 5, 2, 2, bytesIn, bytesOut, packetsIn, packetsOut, latency, 0.25, 0.5,
                100 << 20, 16 << 20);
    }

    @Test
    void aSampleTurnsTheDifferenceBetweenTwoReadingsIntoRates() {
        NodeTotals a = totals(1_000_000_000L, 10_000, 20_000, 100, 300, buckets(0, 0, 0, 0, 0, 0));
        // Two seconds later: 250 kB in, 1 MB out, 500 packets in, 2500 out.
        NodeTotals b = totals(3_000_000_000L, 260_000, 1_020_000, 600, 2_800, buckets(0, 0, 0, 0, 0, 0));

        NodeSample s = NodeHistory.between(7, 1234, a, b);

        assertThat(s.seq()).isEqualTo(7);
        assertThat(s.timeMillis()).isEqualTo(1234);
        assertThat(s.bitsInPerSecond()).isEqualTo(250_000 * 8 / 2.0);
        assertThat(s.bitsOutPerSecond()).isEqualTo(1_000_000 * 8 / 2.0);
        assertThat(s.packetsInPerSecond()).isEqualTo(250);
        assertThat(s.packetsOutPerSecond()).isEqualTo(1250);
        assertThat(s.publishing()).isEqualTo(2);
        assertThat(s.viewing()).isEqualTo(5);
        assertThat(s.processCpu()).isEqualTo(25.0);
        assertThat(s.systemCpu()).isEqualTo(50.0);
        assertThat(s.heapUsedBytes()).isEqualTo(100 << 20);
        assertThat(s.directUsedBytes()).isEqualTo(16 << 20);
        assertThat(s.latencyP50Micros()).as("nothing forwarded in the interval").isNull();
        assertThat(s.latencyP99Micros()).isNull();
    }

    @Test
    void unknownCpuIsNullNotNaN() {
        NodeTotals a = new NodeTotals(1, 0, 0, 0, 0, 0, 0, 0, 0, buckets(), Double.NaN, -1, 0, 0);
        NodeTotals b = new NodeTotals(2, 0, 0, 0, 0, 0, 0, 0, 0, buckets(), Double.NaN, -1, 0, 0);

        NodeSample s = NodeHistory.between(1, 0, a, b);

        assertThat(s.processCpu()).isNull();
        assertThat(s.systemCpu()).isNull();
    }

    @Test
    void latencyQuantilesAreOfTheIntervalOnlyAndInterpolatedInsideTheirBucket() {
        // Before: 1000 datagrams at <= 1 us. In the interval: 90 in (8, 16] us and 10 in (64, 128] us.
        NodeTotals a = totals(0, 0, 0, 0, 0, buckets(1000));
        long[] later = buckets(1000, 0, 0, 0, 90, 0, 0, 10);
        NodeTotals b = totals(1_000_000_000L, 0, 0, 0, 0, later);

        NodeSample s = NodeHistory.between(1, 0, a, b);

        // p50: rank 50 of 100, the 50th of 90 in (8, 16]: 8 + 8 * 50/90.
        assertThat(s.latencyP50Micros()).isCloseTo(8 + 8 * 50 / 90.0, within(1e-9));
        // p99: rank 99, the 9th of 10 in (64, 128]: 64 + 64 * 9/10.
        assertThat(s.latencyP99Micros()).isCloseTo(64 + 64 * 0.9, within(1e-9));
    }

    @Test
    void aQuantileInTheOverflowBucketIsReportedAsTheLargestBound() {
        long[] counts = buckets();
        counts[InNodeLatency.BUCKETS] = 3;

        assertThat(NodeHistory.quantileMicros(counts, 0.5)).isEqualTo(131072.0);
    }

    @Test
    void theRingKeepsTheNewestSamplesAndServesThoseAfterASequenceNumber() {
        Deque<NodeTotals> readings = new ArrayDeque<>();
        for (int i = 0; i < 6; i++) {
            readings.add(totals(1_000_000_000L * (i + 1), 1000L * i, 0, i, 0, buckets()));
        }
        NodeHistory history = new NodeHistory(3, readings::poll, CLOCK);

        assertThat(history.sample()).as("the first reading only sets the baseline").isNull();
        for (int i = 0; i < 5; i++) {
            assertThat(history.sample()).isNotNull();
        }

        assertThat(history.after(0)).extracting(NodeSample::seq).containsExactly(3L, 4L, 5L);
        assertThat(history.after(4)).extracting(NodeSample::seq).containsExactly(5L);
        assertThat(history.after(5)).isEmpty();
        assertThat(history.after(99)).isEmpty();
        assertThat(history.after(0).getFirst().timeMillis()).isEqualTo(CLOCK.millis());
        assertThat(history.after(0).getFirst().bitsInPerSecond()).isEqualTo(8000.0);
    }

    @Test
    void aReadingThatDoesNotMoveForwardInTimeMakesNoSample() {
        Deque<NodeTotals> readings = new ArrayDeque<>();
        readings.add(totals(5, 0, 0, 0, 0, buckets()));
        readings.add(totals(5, 10, 0, 0, 0, buckets()));
        NodeHistory history = new NodeHistory(4, readings::poll, CLOCK);

        history.sample();

        assertThat(history.sample()).isNull();
        assertThat(history.after(0)).isEmpty();
    }

    @Test
    void capacityMustBePositive() {
        assertThatThrownBy(() -> new NodeHistory(0, () -> null, CLOCK)).isInstanceOf(IllegalArgumentException.class);
    }
}
