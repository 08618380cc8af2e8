package io.relaymesh.node.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InNodeLatencyTest {

    @ParameterizedTest(name = "{0} ns -> bucket {1}")
    @CsvSource({
        "-5,        0",   // a clock step backwards counts as the fastest bucket, not an error
        "0,         0",
        "1000,      0",   // <= 1 us
        "1001,      1",   // <= 2 us
        "2000,      1",
        "2001,      2",   // <= 4 us
        "4000,      2",
        "4001,      3",
        "35000,     6",   // 35 us: <= 64 us
        "64000,     6",
        "64001,     7",
        "131072000, 17",  // exactly the largest finite bound
        "131072001, 18",  // overflow
        "9000000000, 18"
    })
    void timesLandInTheSmallestPowerOfTwoMicrosecondBucketThatHoldsThem(long nanos, int bucket) {
        assertThat(InNodeLatency.bucketOf(nanos)).isEqualTo(bucket);
        if (bucket < InNodeLatency.BUCKETS) {
            assertThat(Math.max(0, nanos) / 1e9).isLessThanOrEqualTo(InNodeLatency.upperBoundSeconds(bucket));
        }
        if (bucket > 0 && bucket < InNodeLatency.BUCKETS) {
            assertThat(nanos / 1e9).isGreaterThan(InNodeLatency.upperBoundSeconds(bucket - 1));
        }
    }

    @Test
    void recordingCountsPerBucketAndSumsTheTimes() {
        InNodeLatency latency = new InNodeLatency();
        latency.record(800);
        latency.record(900);
        latency.record(3_000);
        latency.record(1_000_000_000L);

        long[] counts = latency.snapshot();
        assertThat(counts).hasSize(InNodeLatency.BUCKETS + 1);
        assertThat(counts[0]).isEqualTo(2);
        assertThat(counts[2]).isEqualTo(1);
        assertThat(counts[InNodeLatency.BUCKETS]).isEqualTo(1);
        assertThat(latency.total()).isEqualTo(4);
        assertThat(latency.sumNanos()).isEqualTo(800 + 900 + 3_000 + 1_000_000_000L);
        assertThat(latency.count(2)).isEqualTo(1);
    }

    @Test
    void upperBoundsAreOneMicrosecondTimesPowersOfTwoAndOnlyForFiniteBuckets() {
        assertThat(InNodeLatency.upperBoundSeconds(0)).isEqualTo(1e-6);
        assertThat(InNodeLatency.upperBoundSeconds(10)).isEqualTo(1024e-6);
        assertThat(InNodeLatency.upperBoundSeconds(InNodeLatency.BUCKETS - 1)).isEqualTo(0.131072);
        assertThatThrownBy(() -> InNodeLatency.upperBoundSeconds(InNodeLatency.BUCKETS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InNodeLatency.upperBoundSeconds(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
