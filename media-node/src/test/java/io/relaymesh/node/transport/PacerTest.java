package io.relaymesh.node.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacerTest {

    private static final long MS = 1_000_000L;

    private final Pacer pacer = new Pacer();
    private final List<ByteBuf> sent = new ArrayList<>();
    private final List<Long> sentAt = new ArrayList<>();
    private final Pacer.Transmit transmit = (packet, now) -> {
        sent.add(packet);
        sentAt.add(now);
    };

    private static ByteBuf packet(int bytes, int tag) {
        ByteBuf b = Unpooled.buffer(bytes);
        b.writeInt(tag);
        b.writeZero(bytes - 4);
        return b;
    }

    /** Offers {@code count} packets at {@code now}; those the pacer lets go at once are sent in order. */
    private void offerBurst(int count, int bytes, long now) {
        for (int i = 0; i < count; i++) {
            ByteBuf p = packet(bytes, i);
            if (pacer.offer(p, now)) {
                transmit.send(p, now);
            }
        }
    }

    /** Runs the pacing timer from {@code from} every interval until the queue is empty (bounded). */
    private long drainFrom(long from) {
        long now = from;
        for (int i = 0; i < 10_000 && !pacer.isEmpty(); i++) {
            now += Pacer.INTERVAL_NANOS;
            pacer.drain(now, transmit);
        }
        return now;
    }

    private void releaseSent() {
        sent.forEach(ByteBuf::release);
    }

    @Test
    void withoutAnEstimateNothingIsPaced() {
        pacer.estimate(-1, 0);
        offerBurst(100, 1200, 0);
        assertThat(sent).hasSize(100);
        assertThat(pacer.isEmpty()).isTrue();
        assertThat(pacer.rateBps()).isEqualTo(Long.MAX_VALUE);
        releaseSent();
    }

    @Test
    void aKeyframeBurstLeavesAtTheRateInOrder() {
        long estimate = 400_000; // paced at 1 Mbit/s
        pacer.estimate(estimate, 0);
        assertThat(pacer.rateBps()).isEqualTo(estimate * Pacer.PACING_FACTOR_PERCENT / 100);
        offerBurst(20, 1200, 0); // 24 kB: 192 ms at 1 Mbit/s, under the 250 ms queue limit
        assertThat(sent).as("the first packet goes at once").hasSize(1);
        assertThat(pacer.queuedPackets()).isEqualTo(19);

        drainFrom(0);

        assertThat(sent).hasSize(20);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(sent.get(i).getInt(0)).as("packet %d in order", i).isEqualTo(i);
        }
        long last = sentAt.get(sentAt.size() - 1);
        // 19 packets after the first take 19 x 9.6 ms at 1 Mbit/s; the bucket lets one interval's bytes ahead.
        assertThat(last).isBetween(170 * MS, 200 * MS);
        // Spread: no 5 ms interval carried more than the rate allows plus one packet.
        for (int i = 2; i < sentAt.size(); i++) {
            assertThat(sentAt.get(i) - sentAt.get(i - 2)).as("two packets apart at %d", i).isGreaterThanOrEqualTo(5 * MS);
        }
        assertThat(pacer.packetsQueued()).isEqualTo(19);
        assertThat(pacer.longestWaitNanos()).isEqualTo(last);
        releaseSent();
    }

    @Test
    void aFlowWithinTheEstimateIsNeverDelayed() {
        pacer.estimate(1_000_000, 0); // 2.5 Mbit/s
        long now = 0;
        for (int i = 0; i < 500; i++) { // 1000 B every 10 ms: 800 kbit/s
            now += 10 * MS;
            pacer.drain(now, transmit);
            offerBurst(1, 1000, now);
        }
        assertThat(sent).hasSize(500);
        assertThat(pacer.packetsQueued()).isZero();
        releaseSent();
    }

    @Test
    void aStreamAboveThePacingRateGetsNoStandingQueue() {
        // A single-layer 2.5 Mbit/s stream (RTMP ingest) to a viewer whose estimate lags at 800 kbit/s: pacing at
        // 2 Mbit/s would hold every packet for the queue limit and send the same bytes anyway.
        pacer.estimate(800_000, 0);
        long now = 0;
        List<Long> offeredAt = new ArrayList<>();
        for (int i = 0; i < 750; i++) { // 1250 B every 4 ms for 3 s
            now += 4 * MS;
            if (now % Pacer.INTERVAL_NANOS < 4 * MS) {
                pacer.drain(now - now % Pacer.INTERVAL_NANOS, transmit);
            }
            offeredAt.add(now);
            ByteBuf p = packet(1250, i);
            if (pacer.offer(p, now)) {
                transmit.send(p, now);
            }
        }
        drainFrom(now);
        assertThat(sent).hasSize(750);
        long worst = 0;
        for (int i = 0; i < sent.size(); i++) {
            int tag = sent.get(i).getInt(0);
            assertThat(tag).as("in order").isEqualTo(i);
            if (offeredAt.get(tag) >= 1_500 * MS) {
                worst = Math.max(worst, sentAt.get(i) - offeredAt.get(tag));
            }
        }
        assertThat(worst).as("longest wait once the offered rate is known, ns").isLessThanOrEqualTo(10 * MS);
        assertThat(pacer.rateBps()).as("at least 1.5 x what is offered").isGreaterThanOrEqualTo(3_500_000L);
        releaseSent();
    }

    @Test
    void theQueueNeverHoldsMoreThanItsDelayLimit() {
        pacer.estimate(30_000, 0); // the estimate's floor: paced at the pacer's own floor
        assertThat(pacer.rateBps()).isEqualTo(Pacer.MIN_RATE_BPS);
        offerBurst(200, 1200, 0); // 240 kB: 12.8 s at 150 kbit/s

        long end = drainFrom(0);

        assertThat(sent).hasSize(200);
        assertThat(end).as("drained within the queue limit (plus an interval)")
                .isLessThanOrEqualTo(Pacer.MAX_QUEUE_NANOS + 2 * Pacer.INTERVAL_NANOS);
        assertThat(pacer.longestWaitNanos()).isLessThanOrEqualTo(Pacer.MAX_QUEUE_NANOS + 2 * Pacer.INTERVAL_NANOS);
        releaseSent();
    }

    @Test
    void anOpenProbeClusterLetsQueuedMediaGoAtItsRate() {
        pacer.estimate(200_000, 0); // paced at 500 kbit/s
        offerBurst(40, 1200, 0);
        pacer.drain(20 * MS, transmit);
        int atPacingRate = sent.size();
        pacer.probe(4_000_000, 20 * MS); // a cluster at 4 Mbit/s: 500 bytes per ms
        for (long t = 25; t <= 40; t += 5) {
            pacer.drain(t * MS, transmit);
        }
        assertThat(sent.size() - atPacingRate).as("20 ms at the cluster's rate: about 10 kB").isBetween(7, 11);
        pacer.probe(0, 40 * MS);
        int before = sent.size();
        for (long t = 45; t <= 60; t += 5) {
            pacer.drain(t * MS, transmit);
        }
        assertThat(sent.size() - before).as("back to the pacing rate").isLessThanOrEqualTo(2);
        pacer.clear();
        releaseSent();
    }

    @Test
    void unpacedBytesCountAgainstTheRate() {
        pacer.estimate(400_000, 0); // 1 Mbit/s: 125 bytes per ms
        pacer.charge(12_500, 0); // 100 ms of the rate, sent around the queue (audio, padding)
        ByteBuf p = packet(1200, 1);
        assertThat(pacer.offer(p, 1 * MS)).as("the link is busy with what went unpaced").isFalse();
        pacer.drain(50 * MS, transmit);
        assertThat(sent).isEmpty();
        pacer.drain(100 * MS, transmit);
        assertThat(sent).hasSize(1);
        releaseSent();
    }

    @Test
    void aFullRingSendsUnpacedRatherThanDropping() {
        pacer.estimate(400_000, 0);
        offerBurst(Pacer.CAPACITY + 11, 1200, 0);
        assertThat(pacer.queuedPackets()).isEqualTo(Pacer.CAPACITY);
        assertThat(sent).hasSize(11); // the first packet, then ten overflows
        assertThat(pacer.overflows()).isEqualTo(10);
        drainFrom(0);
        assertThat(sent).hasSize(Pacer.CAPACITY + 11);
        releaseSent();
    }

    @Test
    void clearReleasesWhatIsQueued() {
        pacer.estimate(100_000, 0);
        List<ByteBuf> offered = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ByteBuf p = packet(1200, i);
            offered.add(p);
            if (pacer.offer(p, 0)) {
                transmit.send(p, 0);
            }
        }
        pacer.clear();
        assertThat(pacer.isEmpty()).isTrue();
        assertThat(pacer.queuedBytes()).isZero();
        assertThat(offered.subList(1, 10)).allMatch(b -> b.refCnt() == 0);
        releaseSent();
    }

    @Test
    void anIdleConnectionStartsWithAnEmptyBucket() {
        pacer.estimate(400_000, 0);
        offerBurst(5, 1200, 0);
        drainFrom(0);
        releaseSent();
        // Two seconds later: nothing owed, the first packet goes at once again.
        ByteBuf p = packet(1200, 9);
        assertThat(pacer.offer(p, 2_000 * MS)).isTrue();
        p.release();
    }

    @Test
    void pacingAllocatesNothing() {
        ByteBuf[] packets = new ByteBuf[64];
        for (int i = 0; i < packets.length; i++) {
            packets[i] = packet(1200, i);
        }
        long[] now = {0};
        Pacer.Transmit discard = (packet, at) -> { };
        Runnable cycle = () -> {
            for (int round = 0; round < 100; round++) {
                pacer.estimate(800_000, now[0]);
                for (ByteBuf p : packets) { // a keyframe's burst, then drained over the next 5 ms ticks
                    if (pacer.offer(p, now[0])) {
                        discard.send(p, now[0]);
                    }
                }
                for (int tick = 0; tick < 100 && !pacer.isEmpty(); tick++) {
                    now[0] += Pacer.INTERVAL_NANOS;
                    pacer.drain(now[0], discard);
                }
            }
        };
        cycle.run(); // warm up
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        cycle.run();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated pacing 6400 packets").isLessThan(1024);
        assertThat(pacer.packetsQueued()).isPositive();
        for (ByteBuf p : packets) {
            p.release();
        }
    }
}
