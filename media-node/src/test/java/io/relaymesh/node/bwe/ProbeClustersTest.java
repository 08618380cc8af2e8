package io.relaymesh.node.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a probe cluster read: sent in bursts one timer tick apart, through a clean path or a bottleneck. */
class ProbeClustersTest {

    private static final int SIZE = 1000;
    private final ProbeClusters clusters = new ProbeClusters();

    /** Acks {@code count} packets of cluster 1 sent at {@code sendMicros}, arriving from {@code arrivalMicros}. */
    private void burst(int count, long sendMicros, long arrivalMicros, long arrivalGapMicros) {
        for (int i = 0; i < count; i++) {
            clusters.onAcked(1, sendMicros + i * 10L, arrivalMicros + i * arrivalGapMicros, SIZE);
        }
    }

    @Test
    void threeBurstsFiveMillisecondsApartReadAsTheRateTheyWereSentAt() {
        // 10 kB per 5 ms tick: 16 Mbit/s. Counting the first burst over the two gaps would read 24 Mbit/s.
        for (int tick = 0; tick < 3; tick++) {
            burst(10, tick * 5_000L, 20_000 + tick * 5_000L, 40);
        }
        assertThat(clusters.rate(1)).isBetween(15_500_000L, 16_500_000L);
    }

    @Test
    void aBottleneckSpreadsTheArrivalsAndThatIsTheRate() {
        // sent at 16 Mbit/s as above; a 2 Mbit/s link lets one 1000-byte packet out every 4 ms
        long arrival = 20_000;
        for (int tick = 0; tick < 3; tick++) {
            for (int i = 0; i < 10; i++) {
                clusters.onAcked(1, tick * 5_000L + i * 10L, arrival, SIZE);
                arrival += 4_000;
            }
        }
        assertThat(clusters.rate(1)).isBetween(1_900_000L, 2_100_000L);
    }

    @Test
    void feedbackForAnEarlierBurstArrivingLateStillReadsTheSentRate() {
        burst(10, 5_000, 25_000, 40);
        burst(10, 10_000, 30_000, 40);
        burst(10, 0, 20_000, 40); // the first tick's packets reported last
        assertThat(clusters.rate(1)).isBetween(15_500_000L, 16_500_000L);
    }

    @Test
    void tooFewPacketsOrTooShortASpanSayNothing() {
        burst(4, 0, 20_000, 1_000);
        assertThat(clusters.rate(1)).as("four packets").isEqualTo(-1);
        ProbeClusters oneBurst = new ProbeClusters();
        for (int i = 0; i < 20; i++) {
            oneBurst.onAcked(2, i * 10L, 20_000 + i * 500L, SIZE);
        }
        assertThat(oneBurst.rate(2)).as("all sent within one burst").isEqualTo(-1);
        assertThat(clusters.rate(0)).isEqualTo(-1);
        assertThat(clusters.rate(7)).as("never seen").isEqualTo(-1);
    }
}
