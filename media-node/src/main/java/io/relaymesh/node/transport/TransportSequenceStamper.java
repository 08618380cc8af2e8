package io.relaymesh.node.transport;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtp.RtpPacket;

/**
 * Writes the transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01 section 2) into an
 * outgoing RTP packet in place, before SRTP protects it.
 *
 * <pre>
 *  one-byte form (RFC 8285 4.2):   |  ID   | L=1 |  transport-wide sequence number (16)  |
 *  two-byte form (RFC 8285 4.3):   |      ID       |   length=2    |  sequence number (16)  |
 * </pre>
 *
 * <ul>
 *   <li>The element is present (the packet was copied from a publisher whose id maps to the viewer's): its two
 *       bytes are overwritten.</li>
 *   <li>Absent, but the extension block has a run of zero padding bytes large enough (where the SFU dropped the
 *       publisher's own transport-wide element): the element is written into the padding; the size is unchanged.</li>
 *   <li>Absent otherwise: the block grows by one 32-bit word at its start (element, then a zero padding byte in
 *       the one-byte form), or, without any extension, a one-byte block ({@code 0xBEDE}, one word) is added after
 *       the CSRCs; ids above 14 use the two-byte profile. The payload moves up by at most {@link #MAX_GROWTH} bytes,
 *       into the tail room callers leave ({@link PeerConnection#SRTP_TAIL_ROOM}).</li>
 * </ul>
 * Packets with another extension profile, or whose element has the wrong length, are not stamped. One instance
 * per event loop; it keeps a reusable {@link RtpPacket} view and allocates nothing.
 */
public final class TransportSequenceStamper {

    /** The most a packet grows: an extension header and one word of elements. */
    public static final int MAX_GROWTH = 8;
    static final int SEQUENCE_LENGTH = 2;
    private static final int WORD = 4;
    private static final int EXTENSION_BIT = 0x10;
    private static final int CSRC_COUNT_MASK = 0x0F;

    private final RtpPacket view = new RtpPacket();

    /**
     * Stamps {@code sequence} under {@code extensionId} into the RTP packet in {@code packet}'s readable bytes.
     *
     * @return false (packet untouched) when the packet is not valid RTP, uses another extension profile, carries
     *     the element with a length other than 2, cannot grow (a fixed-size buffer without the room), or
     *     {@code extensionId} is outside 1..255
     */
    public boolean stamp(ByteBuf packet, int extensionId, int sequence) {
        if (extensionId < 1 || extensionId > RtpPacket.TWO_BYTE_MAX_ID) {
            return false;
        }
        try {
            view.wrap(packet);
        } catch (ProtocolException e) {
            return false;
        }
        int start = packet.readerIndex();
        int blockHeader = start + RtpPacket.FIXED_HEADER_LENGTH
                + (packet.getUnsignedByte(start) & CSRC_COUNT_MASK) * WORD;
        if (!view.extension()) {
            if (packet.maxWritableBytes() < 2 * WORD) {
                return false;
            }
            insertBlock(packet, blockHeader, extensionId, sequence);
            return true;
        }
        int at = view.findExtension(extensionId);
        if (at >= 0) {
            if (view.extensionLength(extensionId) != SEQUENCE_LENGTH) {
                return false;
            }
            packet.setShort(at, sequence);
            return true;
        }
        int profile = view.extensionProfile();
        boolean oneByte = profile == RtpPacket.PROFILE_ONE_BYTE;
        if (!oneByte && (profile & RtpPacket.PROFILE_TWO_BYTE_MASK) != RtpPacket.PROFILE_TWO_BYTE) {
            return false;
        }
        if (oneByte && extensionId > RtpPacket.ONE_BYTE_MAX_ID) {
            return false; // a one-byte block cannot name it; rewriting the block's profile is not worth it
        }
        int elementsStart = blockHeader + WORD;
        int elementsEnd = elementsStart + packet.getUnsignedShort(blockHeader + 2) * WORD;
        int elementLength = (oneByte ? 1 : 2) + SEQUENCE_LENGTH;
        int hole = findPadding(packet, elementsStart, elementsEnd, elementLength, oneByte);
        if (hole < 0) {
            if (packet.maxWritableBytes() < WORD) {
                return false;
            }
            hole = elementsStart;
            moveUp(packet, elementsStart, WORD);
            packet.setShort(blockHeader + 2, packet.getUnsignedShort(blockHeader + 2) + 1);
            packet.setZero(elementsStart, WORD);
        }
        writeElement(packet, hole, extensionId, sequence, oneByte);
        return true;
    }

    /** Adds a one-word extension block holding only the element (no X bit before). */
    private static void insertBlock(ByteBuf packet, int at, int extensionId, int sequence) {
        boolean oneByte = extensionId <= RtpPacket.ONE_BYTE_MAX_ID;
        moveUp(packet, at, 2 * WORD);
        packet.setShort(at, oneByte ? RtpPacket.PROFILE_ONE_BYTE : RtpPacket.PROFILE_TWO_BYTE);
        packet.setShort(at + 2, 1);
        packet.setZero(at + WORD, WORD);
        writeElement(packet, at + WORD, extensionId, sequence, oneByte);
        int start = packet.readerIndex();
        packet.setByte(start, packet.getUnsignedByte(start) | EXTENSION_BIT);
    }

    private static void writeElement(ByteBuf packet, int at, int extensionId, int sequence, boolean oneByte) {
        if (oneByte) {
            packet.setByte(at, (extensionId << 4) | (SEQUENCE_LENGTH - 1));
            packet.setShort(at + 1, sequence);
        } else {
            packet.setByte(at, extensionId);
            packet.setByte(at + 1, SEQUENCE_LENGTH);
            packet.setShort(at + 2, sequence);
        }
    }

    /**
     * Index of the first run of at least {@code needed} zero padding bytes between elements, or -1. Stops at the
     * one-byte stop id (15): what follows it is not read by receivers.
     */
    private static int findPadding(ByteBuf packet, int from, int to, int needed, boolean oneByte) {
        int i = from;
        while (i < to) {
            int b = packet.getUnsignedByte(i);
            if (b == 0) {
                int run = 1;
                while (i + run < to && run < needed && packet.getUnsignedByte(i + run) == 0) {
                    run++;
                }
                if (run >= needed) {
                    return i;
                }
                i += run;
                continue;
            }
            if (oneByte) {
                if (b >>> 4 == RtpPacket.ONE_BYTE_STOP_ID) {
                    return -1;
                }
                i += 1 + (b & 0x0F) + 1;
            } else {
                i += 2 + packet.getUnsignedByte(i + 1);
            }
        }
        return -1;
    }

    /**
     * Moves the bytes from {@code at} to the writer index up by {@code by} (a multiple of 4) and advances the writer
     * index. Copies backwards a word at a time, so the overlapping move never reads a byte it already overwrote.
     */
    private static void moveUp(ByteBuf packet, int at, int by) {
        packet.ensureWritable(by); // callers leave the room; only a short buffer reallocates here
        int end = packet.writerIndex();
        int i = end;
        while (i - WORD >= at) {
            i -= WORD;
            packet.setInt(i + by, packet.getInt(i));
        }
        while (i > at) {
            i--;
            packet.setByte(i + by, packet.getByte(i));
        }
        packet.writerIndex(end + by);
    }
}
