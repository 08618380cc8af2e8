package io.relaymesh.node.rtp.codec;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;

/** The picture id field VP8 and VP9 share: {@code M | 7 bits} or, with M set, {@code M | 15 bits}. */
final class PictureIds {

    static final int EXTENDED_BIT = 0x80;
    static final int SHORT_MASK = 0x7F;
    static final int LONG_MASK = 0x7FFF;

    private PictureIds() {
    }

    /** Length in bytes (1 or 2) of the picture id at {@code at}, which must be before {@code end}. */
    static int length(ByteBuf buf, int at, int end, String codec) throws ProtocolException {
        // Messages are built only on failure: this runs for every packet.
        int length = end - at < 1 ? 1 : (buf.getUnsignedByte(at) & EXTENDED_BIT) != 0 ? 2 : 1;
        if (end - at < length) {
            throw truncated(codec + (length == 2 ? " 15-bit picture id" : " picture id"), length, end - at);
        }
        return length;
    }

    static int read(ByteBuf buf, int at, int length) {
        return length == 2 ? buf.getUnsignedShort(at) & LONG_MASK : buf.getUnsignedByte(at) & SHORT_MASK;
    }

    /** Writes {@code pictureId} modulo the field's width, keeping the width (a rewriter must not shift the payload). */
    static void write(ByteBuf buf, int at, int length, int pictureId) {
        if (length == 2) {
            buf.setShort(at, 0x8000 | (pictureId & LONG_MASK));
        } else {
            buf.setByte(at, pictureId & SHORT_MASK);
        }
    }

    /** Pass a constant {@code what}: it is evaluated for every packet. */
    static void require(int at, int end, int needed, String what) throws ProtocolException {
        if (end - at < needed) {
            throw truncated(what, needed, end - at);
        }
    }

    private static ProtocolException truncated(String what, int needed, int left) {
        return new ProtocolException(what + " truncated: needs " + needed + " bytes, " + Math.max(0, left) + " left");
    }
}
