package io.relaymesh.node.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When probe clusters open, how much padding they ask for, and that congestion stops them. */
class ProbeControllerTest {

    private static final long MAX = 20_000_000;
    private final ProbeController probes = new ProbeController();

    @Test
    void anApplicationLimitedSenderProbesAtTwiceTheEstimateThenWaitsTheInterval() {
        long now = 1_000_000;
        int wanted = probes.paddingWanted(now, 1_000_000, MAX, 200_000, BandwidthUsage.NORMAL, 0);
        assertThat(probes.activeCluster()).isEqualTo(1);
        // 2 Mbps for the 5 ms look-ahead: 1250 bytes at once
        assertThat(wanted).isEqualTo(1250);
        long sent = 0;
        while (probes.activeCluster() != 0 && now < 2_000_000) {
            int w = probes.paddingWanted(now, 1_000_000, MAX, 200_000, BandwidthUsage.NORMAL, 0);
            probes.onSent(w);
            sent += w;
            now += 1_000;
        }
        // the cluster lasts as long as five full packets take at 2 Mbps (24 ms) and sends that rate over the time
        // since it opened plus its first 5 ms burst: 7250 bytes
        assertThat(sent).isEqualTo(2_000_000 * (24_000 + ProbeController.LOOKAHEAD_MICROS) / 8_000_000);
        assertThat(now - 1_000_000).isEqualTo(25_000);
        assertThat(probes.paddingWanted(now + ProbeController.INTERVAL_MICROS - 10_000, 1_000_000, MAX, 200_000,
                BandwidthUsage.NORMAL, 0)).isZero();
        assertThat(probes.paddingWanted(now + ProbeController.INTERVAL_MICROS, 1_000_000, MAX, 200_000,
                BandwidthUsage.NORMAL, 0)).isPositive();
        assertThat(probes.activeCluster()).isEqualTo(2);
        assertThat(probes.probes()).isEqualTo(2);
    }

    @Test
    void aClusterThatRaisedTheEstimateIsFollowedByTheNextAtOnceOneThatDidNotWaitsTheInterval() {
        long now = runCluster(0, 200_000);
        // the feedback came back: the estimate rose to 95 % of the 400 kbit/s probed, so probe again at 2x that
        assertThat(probes.paddingWanted(now + ProbeController.FURTHER_PROBE_GAP_MICROS - 5_000, 380_000, MAX, 100_000,
                BandwidthUsage.NORMAL, 0)).as("not before its feedback can be back").isZero();
        now = runCluster(now + ProbeController.FURTHER_PROBE_GAP_MICROS, 380_000);
        assertThat(probes.probes()).isEqualTo(2);
        // this one did not move the estimate: the next waits the normal interval
        assertThat(probes.paddingWanted(now + 500_000, 380_000, MAX, 100_000, BandwidthUsage.NORMAL, 0)).isZero();
        assertThat(probes.paddingWanted(now + ProbeController.INTERVAL_MICROS, 380_000, MAX, 100_000,
                BandwidthUsage.NORMAL, 0)).isPositive();
        assertThat(probes.probes()).isEqualTo(3);
    }

    /** Opens a cluster at {@code estimate} at {@code start}, sends all it asks for; returns when it ended. */
    private long runCluster(long start, long estimate) {
        long now = start;
        assertThat(probes.paddingWanted(now, estimate, MAX, 100_000, BandwidthUsage.NORMAL, 0)).isPositive();
        while (probes.activeCluster() != 0 && now < start + 1_000_000) {
            probes.onSent(probes.paddingWanted(now, estimate, MAX, 100_000, BandwidthUsage.NORMAL, 0));
            now += 1_000;
        }
        assertThat(probes.activeCluster()).isZero();
        return now;
    }

    @Test
    void aSenderUsingItsEstimateOrAtTheCeilingDoesNotProbe() {
        assertThat(probes.paddingWanted(0, 1_000_000, MAX, 900_000, BandwidthUsage.NORMAL, 0)).isZero();
        assertThat(probes.paddingWanted(0, MAX, MAX, 100_000, BandwidthUsage.NORMAL, 0)).isZero();
        assertThat(probes.paddingWanted(0, -1, MAX, 0, BandwidthUsage.NORMAL, 0)).isZero();
        assertThat(probes.probes()).isZero();
    }

    @Test
    void aSenderThatSaysWhatItWouldSendProbesOnlyForThat() {
        // a viewer whose best layers need 1 Mbit/s, sending 500 kbit/s
        assertThat(probes.paddingWanted(0, 900_000, MAX, 500_000, 1_000_000, BandwidthUsage.NORMAL, 0)).isPositive();
        assertThat(probes.activeRateBps()).as("twice the estimate").isEqualTo(1_800_000);
        ProbeController nearly = new ProbeController();
        assertThat(nearly.paddingWanted(0, 1_200_000, MAX, 500_000, 1_000_000, BandwidthUsage.NORMAL, 0)).isPositive();
        assertThat(nearly.activeRateBps()).as("not above twice what it wants").isEqualTo(2_000_000);
        ProbeController enough = new ProbeController();
        assertThat(enough.paddingWanted(0, 1_500_000, MAX, 500_000, 1_000_000, BandwidthUsage.NORMAL, 0))
                .as("the estimate already has room for it").isZero();
        assertThat(enough.paddingWanted(0, 1_500_000, MAX, 500_000, 0, BandwidthUsage.NORMAL, 0))
                .as("nothing to send").isZero();
        assertThat(enough.probes()).isZero();
        // unknown (-1): probes as an application-limited sender does, towards the ceiling
        assertThat(enough.paddingWanted(0, 1_500_000, MAX, 500_000, -1, BandwidthUsage.NORMAL, 0)).isPositive();
        assertThat(enough.activeRateBps()).isEqualTo(3_000_000);
    }

    @Test
    void congestionAbandonsTheClusterAndBacksOff() {
        assertThat(probes.paddingWanted(0, 1_000_000, MAX, 0, BandwidthUsage.NORMAL, 0)).isPositive();
        assertThat(probes.paddingWanted(2_000, 1_000_000, MAX, 0, BandwidthUsage.OVERUSING, 0)).isZero();
        assertThat(probes.activeCluster()).isZero();
        assertThat(probes.aborted()).isEqualTo(1);
        assertThat(probes.paddingWanted(ProbeController.BACKOFF_MICROS, 1_000_000, MAX, 0, BandwidthUsage.NORMAL, 0))
                .isZero();
        assertThat(probes.paddingWanted(2_000 + ProbeController.BACKOFF_MICROS, 1_000_000, MAX, 0,
                BandwidthUsage.NORMAL, 0)).isPositive();
        // loss above the limit also keeps it from starting
        ProbeController lossy = new ProbeController();
        assertThat(lossy.paddingWanted(0, 1_000_000, MAX, 0, BandwidthUsage.NORMAL, 0.05)).isZero();
        assertThat(lossy.probes()).isZero();
    }

    @Test
    void lateCallsCatchUpSoTheBytesAfterTheFirstBurstAreTheRateTimesTheirSpan() {
        // 4 Mbps for 15 ms, asked on a 5 ms timer that came 9 ms late, then caught up: whatever the gaps, each burst
        // pays for the time since the one before, which is how ProbeClusters reads the send rate
        long start = 1_000_000;
        int first = probes.paddingWanted(start, 2_000_000, MAX, 0, BandwidthUsage.NORMAL, 0);
        probes.onSent(first);
        assertThat(first).isEqualTo(4_000_000 * ProbeController.LOOKAHEAD_MICROS / 8_000_000);
        long[] calls = {14_000, 14_500, 18_000, 20_000};
        long now = start;
        long after = 0;
        for (int i = 0; probes.activeCluster() != 0 && i < calls.length; i++) {
            now = start + calls[i];
            int w = probes.paddingWanted(now, 2_000_000, MAX, 0, BandwidthUsage.NORMAL, 0);
            probes.onSent(w);
            after += w;
        }
        assertThat(probes.activeCluster()).as("ended at its first call past 15 ms").isZero();
        assertThat(now - start).isEqualTo(18_000);
        assertThat(after).isEqualTo(4_000_000 * (now - start) / 8_000_000);
    }

    @Test
    void aSenderThatStalledPastTheGraceEndsTheClusterWithoutSendingMore() {
        probes.paddingWanted(0, 1_000_000, MAX, 0, BandwidthUsage.NORMAL, 0);
        assertThat(probes.activeCluster()).isEqualTo(1);
        assertThat(probes.paddingWanted(24_000 + ProbeController.GRACE_MICROS + 1_000, 1_000_000, MAX, 0,
                BandwidthUsage.NORMAL, 0)).isZero();
        assertThat(probes.activeCluster()).isZero();
    }

    @Test
    void sendRateMeterAveragesOverItsWindowAndForgetsOldTraffic() {
        SendRateMeter meter = new SendRateMeter();
        assertThat(meter.rateBps(0)).isZero();
        for (long t = 0; t < 1_000_000; t += 10_000) {
            meter.onSent(1250, t); // 1 Mbps
        }
        assertThat(meter.rateBps(1_000_000)).isBetween(950_000L, 1_050_000L);
        assertThat(meter.rateBps(1_000_000 + SendRateMeter.WINDOW_MICROS + 50_000)).isZero();
    }

    @Test
    void sendRateMetersCompletedBucketsLeaveOutTheBurstBeingSent() {
        SendRateMeter meter = new SendRateMeter(100_000); // ten 100 ms buckets
        for (long t = 0; t < 2_000_000; t += 10_000) {
            meter.onSent(1250, t); // 1 Mbps
        }
        assertThat(meter.completedRateBps(2_000_000)).isBetween(950_000L, 1_050_000L);
        meter.onSent(100_000, 2_000_000); // a keyframe-sized burst in the bucket being filled
        assertThat(meter.completedRateBps(2_050_000)).as("not yet").isBetween(950_000L, 1_050_000L);
        assertThat(meter.completedRateBps(2_150_000)).as("once its bucket is complete").isGreaterThan(1_500_000L);
    }

    @Test
    void aSenderHeldBelowWhatItWouldSendProbesAlthoughItFillsItsEstimate() {
        ProbeController full = new ProbeController();
        // Sending 190 kbit/s of a 200 kbit/s estimate: not application limited; nothing above wanted: no probe.
        assertThat(full.paddingWanted(0, 200_000, MAX, 190_000, 180_000, BandwidthUsage.NORMAL, 0)).isZero();
        assertThat(full.paddingWanted(0, 200_000, MAX, 190_000, -1, BandwidthUsage.NORMAL, 0)).isZero();
        // Its viewer could use a 600 kbit/s layer: it probes, at twice the estimate.
        assertThat(full.paddingWanted(0, 200_000, MAX, 190_000, 600_000, BandwidthUsage.NORMAL, 0)).isPositive();
        assertThat(full.probes()).isEqualTo(1);
        // Still never into congestion.
        ProbeController congested = new ProbeController();
        assertThat(congested.paddingWanted(0, 200_000, MAX, 190_000, 600_000, BandwidthUsage.OVERUSING, 0)).isZero();
    }
}
