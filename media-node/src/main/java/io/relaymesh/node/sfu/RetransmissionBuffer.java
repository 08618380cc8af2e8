package io.relaymesh.node.sfu;

import io.netty.buffer.ByteBuf;

/**
 * The last packets of one published stream, by sequence number, so viewers' NACKs are answered without
 * asking the publisher (RFC 4585 generic NACK, RFC 4588 RTX).
 *
 * <p>A ring indexed by the low bits of the sequence number. Ownership: {@link #store} retains the buffer;
 * the buffer is released when its slot is reused or on {@link #clear()}; a packet older than {@code maxAgeNanos}
 * is no longer returned. {@link #get} lends a buffer that is valid until the next {@code store}/{@code clear} on the
 * same thread. Event loop only.
 */
final class RetransmissionBuffer {

    private final ByteBuf[] packets;
    private final int[] sequence;
    private final long[] storedAt;
    private final int[] lengths;
    private final int mask;
    private final long maxAgeNanos;
    private final long maxBytes;
    private long bytes;

    /**
     * @param capacity    a power of two: packets kept at most
     * @param maxBytes    bytes kept at most: past it the oldest packets (by sequence number) are released
     * @param maxAgeNanos packets older than this are not retransmitted (a viewer would discard them anyway)
     */
    RetransmissionBuffer(int capacity, long maxBytes, long maxAgeNanos) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two");
        }
        this.packets = new ByteBuf[capacity];
        this.sequence = new int[capacity];
        this.storedAt = new long[capacity];
        this.lengths = new int[capacity];
        this.mask = capacity - 1;
        this.maxAgeNanos = maxAgeNanos;
        this.maxBytes = maxBytes;
    }

    /** A buffer bounded by packets and age only. */
    RetransmissionBuffer(int capacity, long maxAgeNanos) {
        this(capacity, Long.MAX_VALUE, maxAgeNanos);
    }

    /** Keeps {@code packet} (retained) as sequence number {@code seq}. */
    void store(int seq, ByteBuf packet, long nowNanos) {
        int slot = seq & mask;
        ByteBuf previous = packets[slot];
        packets[slot] = packet.retain(); // before the release: storing the slot's own packet again must not free it
        if (previous != null) {
            previous.release();
            bytes -= lengths[slot];
        }
        sequence[slot] = seq;
        storedAt[slot] = nowNanos;
        lengths[slot] = packet.readableBytes();
        bytes += lengths[slot];
        // Over the byte bound: release the oldest, which sit just after this slot in sequence order.
        for (int next = (slot + 1) & mask; bytes > maxBytes && next != slot; next = (next + 1) & mask) {
            if (packets[next] != null) {
                packets[next].release();
                packets[next] = null;
                bytes -= lengths[next];
            }
        }
    }

    /** Bytes held now. */
    long bytes() {
        return bytes;
    }

    /** The packet with this sequence number if still held and fresh enough, else null. */
    ByteBuf get(int seq, long nowNanos) {
        int slot = seq & mask;
        ByteBuf packet = packets[slot];
        if (packet == null || sequence[slot] != seq || nowNanos - storedAt[slot] > maxAgeNanos) {
            return null;
        }
        return packet;
    }

    int capacity() {
        return packets.length;
    }

    /** Releases every held packet. */
    void clear() {
        for (int i = 0; i < packets.length; i++) {
            if (packets[i] != null) {
                packets[i].release();
                packets[i] = null;
            }
        }
        bytes = 0;
    }
}
