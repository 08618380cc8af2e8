package io.relaymesh.node.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.bwe.BweConfig;
import io.relaymesh.node.rtcp.TransportCc;
import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * A simulated viewer behind a bottleneck, in injected time: the node's {@link SendSideBandwidth} stamps each RTP
 * packet; the packet crosses a FIFO link of {@link #capacityBps} (tail drop once {@link #MAX_QUEUE_MICROS} of
 * data waits, plus random {@link #loss}) and {@link #ONE_WAY_MICROS}; the viewer's side is an
 * {@link ArrivalFeedback} that parses each packet's extension, and every 50 ms its transport-cc feedback travels
 * back (same delay, no bottleneck) as a compound (an RR first) to {@link SendSideBandwidth#onRtcp}. The sender
 * sends media at {@link #mediaBps} (or at the estimate, when {@link #followEstimate}) and the padding the probe
 * controller asks for. Everything crosses as real bytes.
 */
final class Loopback implements AutoCloseable {

    static final int TCC_ID = 5;
    static final int PACKET_BYTES = 1000;
    static final long ONE_WAY_MICROS = 20_000;
    static final long MAX_QUEUE_MICROS = 300_000;
    static final long TICK_MICROS = 1_000;
    static final long FEEDBACK_MICROS = 50_000;
    /** The SRTP tag the real path adds after stamping. */
    static final int SRTP_TAG = 16;

    final SendSideBandwidth node;
    final ArrivalFeedback viewer = new ArrivalFeedback(TCC_ID, 0x0F0F0F0F);
    final SplittableRandom random = new SplittableRandom(11);
    long capacityBps = 10_000_000;
    double loss;
    long mediaBps = 300_000;
    boolean followEstimate;
    long maxMediaBps = Long.MAX_VALUE;
    long now = 1_000_000;
    /**
     * How often the sender asks for probe padding (the node's timer), and how late each ask may come at most (a
     * fixed-rate timer on a busy event loop: each ask is late by a random amount up to this, the next stays on
     * schedule).
     */
    long paddingEveryMicros = TICK_MICROS;
    long paddingLateMicros;
    /** What the sender would send with more bandwidth (the layers its viewer could use), -1 unknown. */
    long desiredBps = -1;
    long paddingBytes;
    long dropped;

    private final ArrayDeque<ByteBuf> onLink = new ArrayDeque<>();
    private final ArrayDeque<Long> arriveAt = new ArrayDeque<>();
    private final ArrayDeque<ByteBuf> feedback = new ArrayDeque<>();
    private final ArrayDeque<Long> feedbackAt = new ArrayDeque<>();
    private long linkFree;
    private double mediaCredit;
    private long nextFeedback = now + FEEDBACK_MICROS;
    private int rtpSeq;
    private long nextPadding = now;
    private long paddingLate;

    Loopback(boolean transportCc) {
        node = new SendSideBandwidth(transportCc ? TCC_ID : 0, BweConfig.DEFAULT, new TransportSequenceStamper());
    }

    void run(long micros) {
        long end = now + micros;
        for (; now < end; now += TICK_MICROS) {
            long rate = followEstimate && node.estimateBps() > 0 ? Math.min(node.estimateBps(), maxMediaBps) : mediaBps;
            mediaCredit += rate * TICK_MICROS / 8e6;
            while (mediaCredit >= PACKET_BYTES) {
                mediaCredit -= PACKET_BYTES;
                send(PACKET_BYTES);
            }
            int wanted = 0;
            if (now >= nextPadding + paddingLate) {
                wanted = node.paddingWantedBytes(now * 1000, desiredBps);
                nextPadding += paddingEveryMicros;
                paddingLate = paddingLateMicros == 0 ? 0 : random.nextLong(paddingLateMicros + 1);
            }
            while (wanted > 0) {
                int size = Math.clamp(wanted, 200, PACKET_BYTES);
                send(size);
                paddingBytes += size;
                wanted -= size;
            }
            while (!arriveAt.isEmpty() && arriveAt.peekFirst() <= now) {
                long at = arriveAt.pollFirst();
                ByteBuf packet = onLink.pollFirst();
                viewer.onRtp(packet, at);
                packet.release();
            }
            if (now >= nextFeedback) {
                sendFeedback();
                nextFeedback += FEEDBACK_MICROS;
            }
            while (!feedbackAt.isEmpty() && feedbackAt.peekFirst() <= now) {
                feedbackAt.pollFirst();
                ByteBuf compound = feedback.pollFirst();
                node.onRtcp(compound, now * 1000);
                compound.release();
            }
        }
    }

    /** Hands {@code compound} (readable bytes) to the node as if the viewer sent it now. */
    int deliverRtcp(ByteBuf compound) {
        try {
            return node.onRtcp(compound, now * 1000);
        } finally {
            compound.release();
        }
    }

    private void send(int payloadBytes) {
        ByteBuf b = Unpooled.buffer(3 + 12 + payloadBytes + PeerConnection.SRTP_TAIL_ROOM);
        b.writeZero(3).readerIndex(3);
        b.writeByte(0x80).writeByte(96).writeShort(rtpSeq++).writeInt(0).writeInt(0x1234);
        b.writeZero(payloadBytes);
        int seq = node.stamp(b);
        int wire = b.readableBytes() + SRTP_TAG;
        node.onSent(seq, wire, now * 1000);
        long start = Math.max(now, linkFree);
        if (random.nextDouble() < loss || start - now > MAX_QUEUE_MICROS) {
            dropped++;
            b.release();
            return;
        }
        linkFree = start + wire * 8_000_000L / capacityBps;
        onLink.addLast(b);
        arriveAt.addLast(linkFree + ONE_WAY_MICROS);
    }

    private void sendFeedback() {
        TransportCc fb;
        while ((fb = viewer.nextFeedback()) != null) {
            ByteBuf compound = Unpooled.buffer(7 + 8 + fb.encodedLength());
            compound.writeZero(7).readerIndex(7);
            compound.writeByte(0x80).writeByte(201).writeShort(1).writeInt(0x0F0F0F0F); // RR, no report blocks
            fb.writeTo(compound);
            feedback.addLast(compound);
            feedbackAt.addLast(now + ONE_WAY_MICROS);
        }
    }

    @Override
    public void close() {
        onLink.forEach(ByteBuf::release);
        feedback.forEach(ByteBuf::release);
        onLink.clear();
        feedback.clear();
    }
}
