package io.relaymesh.node.rtcp;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Generic NACK, transport layer feedback FMT 1 (RFC 4585 section 6.2.1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  FMT=1  |  PT=RTPFB=205 |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     SSRC of packet sender                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      SSRC of media source                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            PID                |             BLP               |  x n, n >= 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * PID is a lost sequence number; bit i (least significant first) of BLP reports PID + i + 1 lost too.
 */
public record GenericNack(int senderSsrc, int mediaSsrc, List<Item> items) {

    static final int ITEM_LENGTH = 4;
    /** Sequence numbers one item can cover: the PID and the 16 of its bitmask. */
    static final int ITEM_SPAN = 17;

    /** One FCI entry: a lost packet id and the bitmask of the 16 that follow it. */
    public record Item(int pid, int blp) {
        public Item {
            if ((pid & ~0xFFFF) != 0 || (blp & ~0xFFFF) != 0) {
                throw new IllegalArgumentException("NACK PID and BLP are 16-bit: " + pid + ", " + blp);
            }
        }
    }

    public GenericNack {
        items = List.copyOf(items);
        if (items.isEmpty()) {
            throw new IllegalArgumentException("a Generic NACK carries at least one item");
        }
    }

    /**
     * The NACK for {@code lost}, given in the order the packets were sent (so a run across 65535 -> 0 stays
     * together): each item starts at the first number its predecessor cannot cover. Duplicates are ignored.
     */
    public static GenericNack forLost(int senderSsrc, int mediaSsrc, int[] lost) {
        List<Item> items = new ArrayList<>();
        int pid = -1;
        int blp = 0;
        for (int seq : lost) {
            int s = seq & 0xFFFF;
            int distance = pid < 0 ? -1 : (s - pid) & 0xFFFF;
            if (distance == 0) {
                continue;
            }
            if (distance > 0 && distance < ITEM_SPAN) {
                blp |= 1 << (distance - 1);
            } else {
                if (pid >= 0) {
                    items.add(new Item(pid, blp));
                }
                pid = s;
                blp = 0;
            }
        }
        if (pid >= 0) {
            items.add(new Item(pid, blp));
        }
        return new GenericNack(senderSsrc, mediaSsrc, items);
    }

    /** Calls {@code consumer} with every sequence number reported lost, item by item, without allocating. */
    public void forEachLost(IntConsumer consumer) {
        for (Item item : items) {
            consumer.accept(item.pid());
            for (int bit = 0; bit < ITEM_SPAN - 1; bit++) {
                if ((item.blp() & (1 << bit)) != 0) {
                    consumer.accept((item.pid() + bit + 1) & 0xFFFF);
                }
            }
        }
    }

    /** Every sequence number reported lost, in item order. */
    public int[] lostSequenceNumbers() {
        int count = 0;
        for (Item item : items) {
            count += 1 + Integer.bitCount(item.blp());
        }
        int[] lost = new int[count];
        int[] next = {0};
        forEachLost(seq -> lost[next[0]++] = seq);
        return lost;
    }

    /** Parses the NACK at {@code buf}'s reader index. */
    public static GenericNack parse(ByteBuf buf) throws ProtocolException {
        return parse(buf, buf.readerIndex());
    }

    /** Parses the NACK starting at absolute index {@code offset}; it must end within the written bytes. */
    public static GenericNack parse(ByteBuf buf, int offset) throws ProtocolException {
        int end = RtcpHeader.feedbackContentEnd(buf, offset, RtcpPacketType.RTPFB, RtcpPacketType.FMT_NACK, "NACK");
        int fciLength = end - offset - RtcpHeader.FEEDBACK_HEADER_LENGTH;
        if (fciLength < ITEM_LENGTH || fciLength % ITEM_LENGTH != 0) {
            throw new ProtocolException("NACK FCI of " + fciLength + " bytes is not a whole number of items");
        }
        Item[] items = new Item[fciLength / ITEM_LENGTH];
        int at = offset + RtcpHeader.FEEDBACK_HEADER_LENGTH;
        for (int i = 0; i < items.length; i++, at += ITEM_LENGTH) {
            items[i] = new Item(buf.getUnsignedShort(at), buf.getUnsignedShort(at + 2));
        }
        return new GenericNack(buf.getInt(offset + 4), buf.getInt(offset + 8), List.of(items));
    }

    public int encodedLength() {
        return RtcpHeader.FEEDBACK_HEADER_LENGTH + items.size() * ITEM_LENGTH;
    }

    public void writeTo(ByteBuf out) {
        int total = encodedLength();
        RtcpHeader.requireEncodable(total, "NACK");
        RtcpHeader.write(out, RtcpPacketType.FMT_NACK, RtcpPacketType.RTPFB, total);
        out.writeInt(senderSsrc);
        out.writeInt(mediaSsrc);
        for (Item item : items) {
            out.writeShort(item.pid());
            out.writeShort(item.blp());
        }
    }
}
