package io.relaymesh.node.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import io.relaymesh.node.rtcp.TransportCc;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Synthetic traces: a sender paced at the estimate, a FIFO bottleneck of configurable capacity and random loss,
 * 25 ms each way, and a receiver sending transport-cc every 100 ms (written and parsed as on the wire).
 */
class SendSideEstimatorTest {

    private static final int PACKET_BYTES = 1200;
    private static final long ONE_WAY_MICROS = 25_000;
    private static final long FEEDBACK_INTERVAL_MICROS = 100_000;

    /** A bottleneck link and a receiver, stepped in 1 ms ticks of injected time. */
    static final class Path {
        final SendSideEstimator estimator = new SendSideEstimator(BweConfig.DEFAULT);
        final SplittableRandom random = new SplittableRandom(7);
        long capacityBps = 50_000_000;
        double loss;
        long now;
        long[] arrivals = new long[1 << 20];
        int sent;
        int reported;
        long nextSend;
        long linkFree;
        long nextFeedback = FEEDBACK_INTERVAL_MICROS;
        int feedbackCount;
        final ArrayDeque<TransportCc> inFlight = new ArrayDeque<>();
        final ArrayDeque<Long> deliverAt = new ArrayDeque<>();
        long maxQueueMicros;

        void run(long durationMicros) {
            long end = now + durationMicros;
            for (; now < end; now += 1000) {
                while (nextSend <= now) {
                    send();
                    nextSend += PACKET_BYTES * 8_000_000L / estimator.targetBitrate();
                }
                if (now >= nextFeedback) {
                    feedback();
                    nextFeedback += FEEDBACK_INTERVAL_MICROS;
                }
                while (!deliverAt.isEmpty() && deliverAt.peekFirst() <= now) {
                    deliverAt.pollFirst();
                    estimator.onFeedback(inFlight.pollFirst(), now);
                }
            }
        }

        private void send() {
            estimator.onPacketSent(sent & 0xFFFF, PACKET_BYTES, now);
            if (random.nextDouble() < loss) {
                arrivals[sent++] = -1;
                return;
            }
            long start = Math.max(now, linkFree);
            maxQueueMicros = Math.max(maxQueueMicros, start - now);
            linkFree = start + PACKET_BYTES * 8_000_000L / capacityBps;
            arrivals[sent++] = linkFree + ONE_WAY_MICROS;
        }

        /** Reports every packet up to the newest that has arrived; lost ones before it as not received. */
        private void feedback() {
            int last = -1;
            for (int i = reported; i < sent; i++) {
                if (arrivals[i] >= 0 && arrivals[i] <= now) {
                    last = i;
                } else if (arrivals[i] >= 0) {
                    break;
                }
            }
            if (last < reported) {
                return;
            }
            long[] window = Arrays.copyOfRange(arrivals, reported, last + 1);
            // the receiver clock is offset from the sender's: only differences may matter
            for (int i = 0; i < window.length; i++) {
                window[i] = window[i] < 0 ? -1 : window[i] + 3_600_000_000L;
            }
            if (Arrays.stream(window).allMatch(a -> a < 0)) {
                return;
            }
            TransportCc cc = TransportCc.forArrivals(1, 2, reported & 0xFFFF, feedbackCount++, window);
            io.netty.buffer.ByteBuf wire = io.netty.buffer.Unpooled.buffer();
            try {
                cc.writeTo(wire);
                inFlight.addLast(TransportCc.parse(wire));
            } catch (io.relaymesh.node.protocol.ProtocolException e) {
                throw new AssertionError(e);
            } finally {
                wire.release();
            }
            deliverAt.addLast(now + ONE_WAY_MICROS);
            reported = last + 1;
        }

        long target() {
            return estimator.targetBitrate();
        }
    }

    @Test
    void rampsUpOnACleanLink() {
        Path path = new Path();
        path.run(20_000_000);
        long after20s = path.target();
        path.run(20_000_000);
        System.out.printf("clean: 20 s %d, 40 s %d, acked %d%n", after20s, path.target(), path.estimator.acknowledgedBitrate());
        assertThat(after20s).isGreaterThan(600_000);
        assertThat(path.target()).isGreaterThan(2_000_000);
        assertThat(path.estimator.usage()).isNotEqualTo(BandwidthUsage.OVERUSING);
    }

    @Test
    void backsOffWhenTheQueueGrowsAndRecoversWhenCapacityReturns() {
        Path path = new Path();
        path.run(40_000_000);
        long before = path.target();
        path.capacityBps = before / 3;
        path.run(10_000_000);
        long constrained = path.target();
        System.out.printf("delay: before %d, capacity %d, after 10 s %d, max queue %d us%n",
                before, path.capacityBps, constrained, path.maxQueueMicros);
        assertThat(constrained).isBetween((long) (path.capacityBps * 0.4), (long) (path.capacityBps * 1.3));
        assertThat(path.maxQueueMicros).as("queueing delay before the back-off took hold").isLessThan(1_500_000);
        path.capacityBps = 50_000_000;
        path.run(20_000_000);
        System.out.printf("delay: recovered to %d%n", path.target());
        assertThat(path.target()).isGreaterThan(constrained * 2);
    }

    @Test
    void backsOffAboveTenPercentLossHoldsAtFiveAndGrowsOnceItEnds() {
        Path path = new Path();
        path.run(30_000_000);
        long before = path.target();
        path.loss = 0.20;
        path.run(5_000_000);
        long lossy = path.target();
        System.out.printf("loss: before %d, after 5 s of 20 %% loss %d, loss fraction %.3f%n",
                before, lossy, path.estimator.lossFraction());
        assertThat(lossy).isLessThan((long) (before * 0.6));
        assertThat(path.estimator.lossFraction()).isBetween(0.12, 0.3);
        path.loss = 0.05;
        path.run(5_000_000);
        long held = path.target();
        System.out.printf("loss: 5 s at 5 %% %d%n", held);
        assertThat(held).isBetween((long) (lossy * 0.75), (long) (lossy * 1.25));
        path.loss = 0;
        path.run(15_000_000);
        System.out.printf("loss: 15 s clean %d%n", path.target());
        assertThat(path.target()).isGreaterThan(held * 2);
    }
}
