package io.relaymesh.node.bwe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.relaymesh.node.rtcp.TransportCc;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class BweComponentsTest {

    @Test
    void aSteadilyGrowingDelayIsOveruseAndAFlatOneIsNormal() {
        TrendlineFilter growing = new TrendlineFilter();
        OveruseDetector detector = new OveruseDetector();
        BandwidthUsage usage = BandwidthUsage.NORMAL;
        for (int i = 0; i < 40; i++) {
            growing.update(2.0, i * 10.0); // every 10 ms group arrives 2 ms later than sent: a filling queue
            usage = detector.detect(growing.modifiedTrend(), 10, i * 10.0);
        }
        assertThat(growing.modifiedTrend()).isGreaterThan(detector.threshold());
        assertThat(usage).isEqualTo(BandwidthUsage.OVERUSING);

        TrendlineFilter flat = new TrendlineFilter();
        OveruseDetector calm = new OveruseDetector();
        for (int i = 0; i < 40; i++) {
            flat.update(i % 2 == 0 ? 1.0 : -1.0, i * 10.0); // jitter without a trend
            usage = calm.detect(flat.modifiedTrend(), 10, i * 10.0);
        }
        assertThat(usage).isEqualTo(BandwidthUsage.NORMAL);
    }

    @Test
    void aDrainingQueueIsUnderuse() {
        TrendlineFilter draining = new TrendlineFilter();
        OveruseDetector detector = new OveruseDetector();
        BandwidthUsage usage = BandwidthUsage.NORMAL;
        for (int i = 0; i < 40; i++) {
            draining.update(-2.0, i * 10.0);
            usage = detector.detect(draining.modifiedTrend(), 10, i * 10.0);
        }
        assertThat(usage).isEqualTo(BandwidthUsage.UNDERUSING);
    }

    @Test
    void theThresholdStaysWithinItsBounds() {
        OveruseDetector detector = new OveruseDetector();
        for (int i = 0; i < 10_000; i++) {
            detector.detect(0, 10, i * 10.0);
        }
        assertThat(detector.threshold()).isEqualTo(OveruseDetector.MIN_THRESHOLD);
        for (int i = 0; i < 10_000; i++) {
            detector.detect(detector.threshold() + 10, 10, 100_000 + i * 10.0);
        }
        assertThat(detector.threshold()).isEqualTo(OveruseDetector.MAX_THRESHOLD);
    }

    @Test
    void acknowledgedBitrateMeasuresWhatArrived() {
        AcknowledgedBitrate acked = new AcknowledgedBitrate();
        for (long t = 0; t < 3_000_000; t += 10_000) {
            acked.onAcked(t, 1250); // 1250 bytes every 10 ms = 1 Mbps
        }
        assertThat(acked.bitrate()).isCloseTo(1_000_000, within(30_000.0));
    }

    @Test
    void aimdDropsToEightyFivePercentOfAckedAndGrowsEightPercentPerSecond() {
        AimdRateControl aimd = new AimdRateControl(1_000_000, 10_000, 10_000_000);
        aimd.update(BandwidthUsage.NORMAL, Double.NaN, 0);
        assertThat(aimd.update(BandwidthUsage.NORMAL, Double.NaN, 1_000_000)).isCloseTo(1_080_000, within(1.0));
        assertThat(aimd.update(BandwidthUsage.OVERUSING, 600_000, 1_100_000)).isCloseTo(510_000, within(1.0));
        assertThat(aimd.update(BandwidthUsage.UNDERUSING, 600_000, 2_100_000)).isCloseTo(510_000, within(1.0));
        // growth is capped at 1.5 x acked + 10 kbps
        assertThat(aimd.update(BandwidthUsage.NORMAL, 300_000, 3_100_000)).isCloseTo(510_000, within(1.0));
    }

    @Test
    void lossBoundBacksOffHoldsAndGrows() {
        LossBasedBound bound = new LossBasedBound(1_000_000, 10_000, 10_000_000);
        bound.update(0, 1_000_000, 0, 0);
        assertThat(bound.update(0.20, 1_000_000, 0, 1_000_000)).isCloseTo(900_000, within(1.0));
        assertThat(bound.update(0.05, 900_000, 0, 2_000_000)).isCloseTo(900_000, within(1.0));
        assertThat(bound.update(0.01, 900_000, 0, 3_000_000)).isCloseTo(972_000, within(1.0));
    }

    @Test
    void afterALossBurstTheBoundGrowsFromWhatThePathDeliversNotFromItsFloor() {
        LossBasedBound bound = new LossBasedBound(300_000, 30_000, 10_000_000);
        bound.update(0, 300_000, 0, 0);
        long now = 0;
        for (int i = 0; i < 20; i++) { // a long burst of 40 % loss: one decrease per 300 ms, down to the floor
            now += 300_000;
            bound.update(0.40, bound.bitrate(), 0, now);
        }
        assertThat(bound.bitrate()).isEqualTo(30_000);
        // the loss is over and 150 kbit/s arrive (the sender cannot go below its smallest layer)
        now += 100_000;
        assertThat(bound.update(0.0, 30_000, 150_000, now)).isCloseTo(150_000 * Math.pow(1.08, 0.1), within(1.0));
        // an estimate above what arrives is not pulled down by it
        now += 1_000_000;
        assertThat(bound.update(0.0, 400_000, 150_000, now)).isGreaterThan(150_000 * 1.08);
    }

    /** The steady-state path must not allocate: it runs for every packet and every report. */
    @Test
    void anUnknownDeliveredRateLeavesTheBoundAsItWas() {
        // The loss window can complete before the acknowledged rate's first window: its NaN once poisoned the bound
        // for good (NaN clamps to NaN, the target read as 0 bit/s and an open viewer was held on its bottom layer).
        LossBasedBound bound = new LossBasedBound(300_000, 30_000, 10_000_000);
        bound.update(0.0, 300_000, Double.NaN, 0);
        bound.update(0.0, 300_000, Double.NaN, 1_000_000);
        assertThat(bound.bitrate()).isCloseTo(300_000 * LossBasedBound.INCREASE_PER_SECOND, within(1.0));
        bound.update(0.5, 300_000, Double.NaN, 1_500_000);
        bound.update(0.0, 150_000, 250_000, 2_500_000);
        assertThat(bound.bitrate()).isCloseTo(250_000 * LossBasedBound.INCREASE_PER_SECOND, within(1.0));
    }

    @Test
    void steadyStateSendAndFeedbackAllocateNothing() {
        SendSideEstimator estimator = new SendSideEstimator(BweConfig.DEFAULT);
        TransportCc[] reports = new TransportCc[200];
        long[] arrivals = new long[20];
        for (int r = 0; r < reports.length; r++) {
            for (int i = 0; i < arrivals.length; i++) {
                arrivals[i] = i == 7 ? -1 : 50_000_000 + (r * 20L + i) * 5_000;
            }
            reports[r] = TransportCc.forArrivals(1, 2, (r * 20) & 0xFFFF, r, arrivals);
        }
        Runnable cycle = () -> {
            for (int r = 0; r < reports.length; r++) {
                for (int i = 0; i < 20; i++) {
                    estimator.onPacketSent(r * 20 + i, 1200, (r * 20L + i) * 5_000);
                }
                estimator.onFeedback(reports[r], r * 100_000L + 50_000);
            }
        };
        cycle.run(); // warm up
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        cycle.run();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated by 4000 sends and 200 reports").isLessThan(1024);
        assertThat(estimator.lossFraction()).isCloseTo(0.05, within(0.001));
    }
}
