package io.relaymesh.node.rtp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtp.RtpPacket;

/** Builds RTP packets for the layer filter tests: heap buffers, so the leak detector has nothing to track. */
final class CodecPackets {

    static final int PAYLOAD_TYPE = 96;

    private CodecPackets() {
    }

    /**
     * An RTP packet with, when {@code extension} is non-null, one two-byte-profile header extension element
     * {@code extensionId} (RFC 8285 section 4.3), then {@code payload}.
     */
    static RtpPacket packet(boolean marker, int sequence, int timestamp, int extensionId, byte[] extension,
                            byte[] payload) {
        ByteBuf buf = Unpooled.buffer();
        buf.writeByte(0x80 | (extension != null ? 0x10 : 0));
        buf.writeByte((marker ? 0x80 : 0) | PAYLOAD_TYPE);
        buf.writeShort(sequence);
        buf.writeInt(timestamp);
        buf.writeInt(0x11223344);
        if (extension != null) {
            int bytes = 2 + extension.length;
            int words = (bytes + 3) / 4;
            buf.writeShort(0x1000).writeShort(words);
            buf.writeByte(extensionId).writeByte(extension.length).writeBytes(extension);
            buf.writeZero(words * 4 - bytes);
        }
        buf.writeBytes(payload);
        try {
            return new RtpPacket().wrap(buf);
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Bytes from an annotated bit listing: each line starts with a run of 0/1 digits (spaces inside the run are
     * not allowed), anything after is the field's name; lines starting otherwise are comments. The bits are packed MSB first and zero-padded to a byte.
     */
    static byte[] bits(String annotated) {
        StringBuilder all = new StringBuilder();
        for (String line : annotated.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            String token = trimmed.split("\\s+")[0];
            if (token.matches("[01]+")) {
                all.append(token); // a line that starts otherwise is a comment
            }
        }
        byte[] out = new byte[(all.length() + 7) / 8];
        for (int i = 0; i < all.length(); i++) {
            if (all.charAt(i) == '1') {
                out[i / 8] |= (byte) (0x80 >>> (i % 8));
            }
        }
        return out;
    }
}
