package io.relaymesh.node.transport;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.bwe.SendRateMeter;

/**
 * Spreads one connection's video over time at a multiple of its send-side estimate, so a keyframe (tens of
 * packets that arrive from the publisher within a millisecond) does not leave as one burst at line rate into a
 * slow link, where a short queue drops its tail and the retransmissions go into the same queue.
 *
 * <p>A leaky bucket: every byte sent (paced or not) adds to a debt that drains at the pacing rate. A packet goes out
 * at once while nothing is queued and the debt is under one {@link #INTERVAL_NANOS interval} of the rate (so a
 * viewer within its estimate sees no added delay); otherwise it waits in a FIFO that the transport's pacing timer
 * drains every {@link #INTERVAL_NANOS}. No packet waits longer than {@link #MAX_QUEUE_NANOS}: the rate rises with
 * the backlog (to send it within that time) and a packet that has waited that long goes regardless (the estimate is
 * below what the viewer's lowest layer needs; delay must not grow without bound). Nothing is dropped: when the ring
 * is full a packet goes out unpaced. While a probe cluster is open the rate is at least the cluster's.
 *
 * <p>The pacer spreads bursts; it never holds the stream below its own average: the rate is at least
 * {@value #OFFERED_FACTOR_PERCENT} % of what was offered (paced or not) over the last second. A stream above the
 * estimate (a single-layer stream, or a layer whose switch down waits for a keyframe) leaves anyway once it has
 * waited {@link #MAX_QUEUE_NANOS}; pacing it below its rate would only add that wait to every packet (a standing
 * queue), not send fewer bytes. Layer selection is what brings the rate under the estimate. Event loop only; no
 * allocation (a fixed ring of packet references and a ten-bucket rate meter).
 */
final class Pacer {

    /** How often the transport drains queued packets. */
    static final long INTERVAL_NANOS = 5_000_000L;
    /** Pacing rate as a multiple of the estimate, in percent: room for a frame's burstiness (as in GCC senders). */
    static final int PACING_FACTOR_PERCENT = 250;
    /** Pacing rate floor: an estimate at its floor must not stretch a keyframe over seconds. */
    static final long MIN_RATE_BPS = 150_000;
    /** Most queueing delay the pacer adds, at the rate it runs at. */
    static final long MAX_QUEUE_NANOS = 250_000_000L;
    /** Least pacing rate as a share of the rate offered over the last second, in percent. */
    static final int OFFERED_FACTOR_PERCENT = 150;
    /** The offered rate is counted in ten buckets of this length (about the last second). */
    private static final long OFFERED_BUCKET_MICROS = 100_000;
    /** Packets the ring holds (a 720p keyframe is ~100 packets). */
    static final int CAPACITY = 1024;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Where a packet leaves once the pacer lets it go. */
    @FunctionalInterface
    interface Transmit {
        void send(ByteBuf packet, long nowNanos);
    }

    private final ByteBuf[] ring = new ByteBuf[CAPACITY];
    private int head;
    private int size;
    private long queuedBytes;
    /** Bytes sent that the pacing rate has not drained yet. */
    private long debtBytes;
    private long lastDrainNanos;
    private long rateBps = Long.MAX_VALUE;
    private long probeRateBps;
    private long packetsQueued;
    private long overflows;
    private long longestWaitNanos;
    private final long[] enqueuedAt = new long[CAPACITY];
    /** What was offered, paced or not; its complete buckets set the floor of the rate. */
    private final SendRateMeter offered = new SendRateMeter(OFFERED_BUCKET_MICROS);

    /**
     * Sets the pacing rate from the estimate ({@code -1}: no estimate, nothing is paced) whenever the estimate may
     * have changed; same clock as {@link #offer} and {@link #drain}.
     */
    void estimate(long estimateBps, long nowNanos) {
        leak(nowNanos);
        rateBps = estimateBps < 0 ? Long.MAX_VALUE : Math.max(MIN_RATE_BPS, estimateBps * PACING_FACTOR_PERCENT / 100);
    }

    /**
     * A probe cluster is open at {@code probeBps} (0: none): queued media may leave at that rate, so the probe
     * measures with media rather than waiting behind it.
     */
    void probe(long probeBps, long nowNanos) {
        leak(nowNanos);
        probeRateBps = probeBps;
    }

    /**
     * A packet to send: true when it may leave now (its bytes are charged), false when the pacer kept it (the caller
     * must see that {@link #drain} runs). Takes ownership only when it returns false.
     */
    boolean offer(ByteBuf packet, long nowNanos) {
        int bytes = packet.readableBytes();
        offered.onSent(bytes, nowNanos / 1000);
        leak(nowNanos);
        if (size == 0 && mayPass()) {
            debtBytes += bytes;
            return true;
        }
        if (size == CAPACITY) {
            overflows++;
            debtBytes += bytes;
            return true;
        }
        int tail = (head + size) % CAPACITY;
        ring[tail] = packet;
        enqueuedAt[tail] = nowNanos;
        size++;
        queuedBytes += bytes;
        packetsQueued++;
        return false;
    }

    /** Bytes sent around the pacer (audio, RTCP-free probes): they use the same link. */
    void charge(int bytes, long nowNanos) {
        offered.onSent(bytes, nowNanos / 1000);
        leak(nowNanos);
        debtBytes += bytes;
    }

    /**
     * Sends what the rate allows now, oldest first.
     *
     * @return true when the queue is empty afterwards
     */
    boolean drain(long nowNanos, Transmit transmit) {
        leak(nowNanos);
        while (size > 0 && (mayPass() || nowNanos - enqueuedAt[head] >= MAX_QUEUE_NANOS)) {
            ByteBuf packet = ring[head];
            long waited = nowNanos - enqueuedAt[head];
            ring[head] = null;
            head = (head + 1) % CAPACITY;
            size--;
            int bytes = packet.readableBytes();
            queuedBytes -= bytes;
            debtBytes += bytes;
            if (waited > longestWaitNanos) {
                longestWaitNanos = waited;
            }
            transmit.send(packet, nowNanos);
        }
        return size == 0;
    }

    /** Releases everything queued (the connection closed). */
    void clear() {
        while (size > 0) {
            ring[head].release();
            ring[head] = null;
            head = (head + 1) % CAPACITY;
            size--;
        }
        queuedBytes = 0;
    }

    private boolean mayPass() {
        long rate = effectiveRate();
        return rate == Long.MAX_VALUE || debtBytes * 8 * NANOS_PER_SECOND < rate * INTERVAL_NANOS;
    }

    /**
     * The pacing rate, at least {@value #OFFERED_FACTOR_PERCENT} % of the offered rate, and raised so that what is
     * queued leaves within {@link #MAX_QUEUE_NANOS}.
     */
    private long effectiveRate() {
        if (rateBps == Long.MAX_VALUE) {
            return rateBps;
        }
        long drainRate = queuedBytes * 8 * NANOS_PER_SECOND / MAX_QUEUE_NANOS;
        // The bucket being filled does not count: a burst (a keyframe) must not lift the rate it is paced at.
        long offeredFloor = offered.completedRateBps(lastDrainNanos / 1000) * OFFERED_FACTOR_PERCENT / 100;
        return Math.max(Math.max(rateBps, probeRateBps), Math.max(drainRate, offeredFloor));
    }

    private void leak(long nowNanos) {
        long elapsed = nowNanos - lastDrainNanos;
        lastDrainNanos = nowNanos;
        if (elapsed <= 0 || debtBytes == 0) {
            return;
        }
        long rate = effectiveRate();
        if (rate == Long.MAX_VALUE || elapsed >= NANOS_PER_SECOND) {
            debtBytes = 0;
            return;
        }
        debtBytes = Math.max(0, debtBytes - rate * elapsed / 8 / NANOS_PER_SECOND);
    }

    boolean isEmpty() {
        return size == 0;
    }

    int queuedPackets() {
        return size;
    }

    long queuedBytes() {
        return queuedBytes;
    }

    /** The rate the pacer runs at now (bits per second, {@link Long#MAX_VALUE} when it does not pace). */
    long rateBps() {
        return effectiveRate();
    }

    /** Packets that waited in the queue, since the start. */
    long packetsQueued() {
        return packetsQueued;
    }

    /** Packets sent unpaced because the ring was full. */
    long overflows() {
        return overflows;
    }

    /** The longest a packet waited, since the start. */
    long longestWaitNanos() {
        return longestWaitNanos;
    }
}
