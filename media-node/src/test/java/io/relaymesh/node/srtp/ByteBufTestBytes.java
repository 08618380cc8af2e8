package io.relaymesh.node.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/** Test access to a buffer's readable bytes without moving its indices. */
final class ByteBufTestBytes {

    private ByteBufTestBytes() {
    }

    static byte[] readable(ByteBuf buf) {
        return ByteBufUtil.getBytes(buf, buf.readerIndex(), buf.readableBytes());
    }
}
