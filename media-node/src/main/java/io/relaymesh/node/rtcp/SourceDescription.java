package io.relaymesh.node.rtcp;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * SDES: Source Description (RFC 3550 section 6.5).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    SC   |  PT=SDES=202  |             length            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                          SSRC/CSRC_1                          |  chunk 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     type      |    length     |  text (length bytes) ...      |  items
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  0 (end)      |  zero padding to the next 32-bit boundary     |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                          SSRC/CSRC_2 ...                      |  chunk 2
 * </pre>
 *
 * Every item is kept (CNAME, NAME, ..., PRIV as raw text). Item text must be valid UTF-8.
 */
public record SourceDescription(List<Chunk> chunks) {

    public static final int CNAME = 1;
    public static final int NAME = 2;
    public static final int EMAIL = 3;
    public static final int PHONE = 4;
    public static final int LOC = 5;
    public static final int TOOL = 6;
    public static final int NOTE = 7;
    public static final int PRIV = 8;
    private static final int END = 0;
    private static final int MAX_ITEM_LENGTH = 255;

    /** One SDES item: a type and up to 255 bytes of UTF-8 text. */
    public record Item(int type, String text) {
        public Item {
            if (type < 1 || type > 255) {
                throw new IllegalArgumentException("SDES item type out of 1..255: " + type);
            }
            if (text.getBytes(StandardCharsets.UTF_8).length > MAX_ITEM_LENGTH) {
                throw new IllegalArgumentException("SDES item longer than 255 bytes");
            }
        }

        int encodedLength() {
            return 2 + text.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    /** The items describing one SSRC or CSRC. */
    public record Chunk(int ssrc, List<Item> items) {
        public Chunk {
            items = List.copyOf(items);
        }

        /** The text of the first item of {@code type}, or null. */
        public String item(int type) {
            for (Item item : items) {
                if (item.type() == type) {
                    return item.text();
                }
            }
            return null;
        }

        int encodedLength() {
            int length = 4;
            for (Item item : items) {
                length += item.encodedLength();
            }
            return length + 4 - (length % 4); // the end item plus padding: 1..4 zero bytes
        }
    }

    public SourceDescription {
        chunks = List.copyOf(chunks);
        RtcpHeader.requireCount(chunks.size(), "SDES chunks");
    }

    /** A single chunk carrying only a CNAME, as every RTP sender must send (RFC 3550 section 6.5.1). */
    public static SourceDescription cname(int ssrc, String cname) {
        return new SourceDescription(List.of(new Chunk(ssrc, List.of(new Item(CNAME, cname)))));
    }

    /** The CNAME of {@code ssrc}, or null. */
    public String cnameOf(int ssrc) {
        for (Chunk chunk : chunks) {
            if (chunk.ssrc() == ssrc) {
                return chunk.item(CNAME);
            }
        }
        return null;
    }

    /** Parses the SDES at {@code buf}'s reader index. */
    public static SourceDescription parse(ByteBuf buf) throws ProtocolException {
        return parse(buf, buf.readerIndex());
    }

    /** Parses the SDES starting at absolute index {@code offset}; it must end within the written bytes. */
    public static SourceDescription parse(ByteBuf buf, int offset) throws ProtocolException {
        int end = RtcpHeader.contentEnd(buf, offset, RtcpPacketType.SDES, "SDES");
        int count = RtcpHeader.count(buf, offset);
        List<Chunk> chunks = new ArrayList<>(count);
        int at = offset + RtcpHeader.LENGTH;
        for (int c = 0; c < count; c++) {
            if (end - at < 4) {
                throw new ProtocolException("SDES chunk " + c + " truncated");
            }
            int ssrc = buf.getInt(at);
            at += 4;
            List<Item> items = new ArrayList<>();
            while (true) {
                if (at >= end) {
                    throw new ProtocolException("SDES chunk " + c + " has no end item");
                }
                int type = buf.getUnsignedByte(at);
                if (type == END) {
                    // Skip the end item and the padding up to the next 32-bit boundary of the packet.
                    at = offset + ((at - offset) / 4 + 1) * 4;
                    if (at > end) {
                        throw new ProtocolException("SDES chunk " + c + " padding overruns the packet");
                    }
                    break;
                }
                if (end - at < 2 || end - at - 2 < buf.getUnsignedByte(at + 1)) {
                    throw new ProtocolException("SDES item of type " + type + " overruns the packet");
                }
                int length = buf.getUnsignedByte(at + 1);
                items.add(new Item(type, RtcpHeader.utf8(buf, at + 2, length, "SDES item")));
                at += 2 + length;
            }
            chunks.add(new Chunk(ssrc, items));
        }
        return new SourceDescription(chunks);
    }

    public int encodedLength() {
        int length = RtcpHeader.LENGTH;
        for (Chunk chunk : chunks) {
            length += chunk.encodedLength();
        }
        return length;
    }

    public void writeTo(ByteBuf out) {
        int total = encodedLength();
        RtcpHeader.requireEncodable(total, "SDES");
        RtcpHeader.write(out, chunks.size(), RtcpPacketType.SDES, total);
        for (Chunk chunk : chunks) {
            int start = out.writerIndex();
            out.writeInt(chunk.ssrc());
            for (Item item : chunk.items()) {
                byte[] text = item.text().getBytes(StandardCharsets.UTF_8);
                out.writeByte(item.type());
                out.writeByte(text.length);
                out.writeBytes(text);
            }
            out.writeZero(chunk.encodedLength() - (out.writerIndex() - start));
        }
    }
}
