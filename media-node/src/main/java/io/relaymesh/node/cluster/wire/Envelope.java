package io.relaymesh.node.cluster.wire;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;

/**
 * The frame around every cluster message: who sent it, to whom, in which order, and the HMAC that proves it
 * came from a holder of the cluster secret.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         magic 0x524D ("RM")   |  version (1)  |     type      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    sequence (64 bits, µs)                     |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | sender length |  sender node id (UTF-8) ...                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  dest length  |  destination node id (UTF-8, may be empty) ... |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          body length          |  body (by type) ...           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              HMAC-SHA256 tag over everything above (32 bytes) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The sequence is strictly increasing per sender and never behind the sender's wall clock in microseconds,
 * so it survives restarts and lets a receiver reject both replays and stale messages. The destination binds a
 * message to one receiver (empty only for messages to a seed whose id the sender does not know yet).
 *
 * @param type         message type
 * @param sequence     the sender's sequence number
 * @param sender       sender node id
 * @param destination  receiver node id, or empty
 * @param body         the body, a view into the datagram
 * @param start        index of the first byte of the datagram
 * @param signedLength bytes covered by the tag (everything before it)
 */
public record Envelope(MessageType type, long sequence, String sender, String destination, ByteBuf body, int start,
                       int signedLength) {

    public static final int MAGIC = 0x524D;
    /** 2: node metadata ends with the node's RTTs to other zones ({@link ZoneRtts}). */
    public static final int VERSION = 2;
    /** Largest datagram sent or accepted: fits an Ethernet MTU with IPv6 and UDP headers, never fragmented. */
    public static final int MAX_DATAGRAM = 1400;
    /** Fixed header bytes: magic, version, type, sequence. */
    static final int FIXED_HEADER = 2 + 1 + 1 + 8;

    /** Parses the frame; the tag is checked separately ({@link ClusterKey#verify}). Consumes the datagram. */
    public static Envelope parse(ByteBuf datagram) throws ProtocolException {
        int start = datagram.readerIndex();
        int total = datagram.readableBytes();
        if (total > MAX_DATAGRAM) {
            throw new ProtocolException("datagram of " + total + " bytes exceeds " + MAX_DATAGRAM);
        }
        Fields.need(datagram, FIXED_HEADER, "cluster header");
        int magic = datagram.readUnsignedShort();
        if (magic != MAGIC) {
            throw new ProtocolException("not a cluster message (magic 0x" + Integer.toHexString(magic) + ")");
        }
        int version = datagram.readUnsignedByte();
        if (version != VERSION) {
            throw new ProtocolException("unsupported cluster protocol version " + version);
        }
        MessageType type = MessageType.of(datagram.readUnsignedByte());
        long sequence = datagram.readLong();
        String sender = Fields.readString(datagram, 1, NodeMetadata.MAX_NODE_ID, "sender id");
        String destination = Fields.readString(datagram, 0, NodeMetadata.MAX_NODE_ID, "destination id");
        Fields.need(datagram, 2, "body length");
        int bodyLength = datagram.readUnsignedShort();
        Fields.need(datagram, bodyLength, "body");
        ByteBuf body = datagram.readSlice(bodyLength);
        int signedLength = datagram.readerIndex() - start;
        Fields.need(datagram, ClusterKey.TAG_LENGTH, "authentication tag");
        datagram.skipBytes(ClusterKey.TAG_LENGTH);
        if (datagram.isReadable()) {
            throw new ProtocolException(datagram.readableBytes() + " bytes after the authentication tag");
        }
        return new Envelope(type, sequence, sender, destination, body, start, signedLength);
    }

    /** Whether the datagram's tag was made with {@code key}. */
    public boolean authenticatedBy(ClusterKey key, ByteBuf datagram) {
        return key.verify(datagram, start, signedLength);
    }

    /** Bytes of a frame around an empty body, tag included. */
    public static int overhead(String sender, String destination) {
        return FIXED_HEADER + Fields.stringLength(sender) + Fields.stringLength(destination) + 2 + ClusterKey.TAG_LENGTH;
    }

    /**
     * Writes the header; the caller then writes the body and calls {@link #finish}.
     *
     * @return the index of the body length field, for {@link #finish}
     */
    public static int begin(ByteBuf out, MessageType type, long sequence, String sender, String destination) {
        Fields.requireString(sender, 1, NodeMetadata.MAX_NODE_ID, "sender id");
        Fields.requireString(destination, 0, NodeMetadata.MAX_NODE_ID, "destination id");
        out.writeShort(MAGIC);
        out.writeByte(VERSION);
        out.writeByte(type.code());
        out.writeLong(sequence);
        Fields.writeString(out, sender);
        Fields.writeString(out, destination);
        int lengthIndex = out.writerIndex();
        out.writeShort(0);
        return lengthIndex;
    }

    /** Fills in the body length and appends the tag over the frame that starts at {@code start}. */
    public static void finish(ByteBuf out, int start, int lengthIndex, ClusterKey key) {
        int bodyLength = out.writerIndex() - lengthIndex - 2;
        int total = out.writerIndex() - start + ClusterKey.TAG_LENGTH;
        if (total > MAX_DATAGRAM) {
            throw new IllegalStateException("cluster message of " + total + " bytes exceeds " + MAX_DATAGRAM);
        }
        out.setShort(lengthIndex, bodyLength);
        key.sign(out, start, out.writerIndex() - start);
    }

    /** Bodies have an exact length: bytes left over mean a malformed or foreign message. */
    static void requireConsumed(ByteBuf body, String what) throws ProtocolException {
        if (body.isReadable()) {
            throw new ProtocolException(what + ": " + body.readableBytes() + " unexpected trailing bytes");
        }
    }
}
