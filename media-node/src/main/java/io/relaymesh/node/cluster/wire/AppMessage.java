package io.relaymesh.node.cluster.wire;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;

/**
 * A datagram of a higher layer (track directory, relay control) carried and authenticated by the overlay.
 *
 * <pre>
 * channel (2) | payload (the rest of the body)
 * </pre>
 *
 * The payload is a view into the received datagram: valid while the receive handler runs, not retained.
 *
 * @param channel which higher-layer protocol the payload belongs to
 * @param payload the bytes (reader index to writer index)
 */
public record AppMessage(int channel, ByteBuf payload) {

    public static final int FIXED_LENGTH = 2;

    public AppMessage {
        if (channel < 0 || channel > 0xFFFF) {
            throw new IllegalArgumentException("channel must be 0..65535, got " + channel);
        }
    }

    public static AppMessage parse(ByteBuf body) throws ProtocolException {
        Fields.need(body, FIXED_LENGTH, "app message channel");
        int channel = body.readUnsignedShort();
        return new AppMessage(channel, body.readSlice(body.readableBytes()));
    }

    public int encodedLength() {
        return FIXED_LENGTH + payload.readableBytes();
    }

    public void writeTo(ByteBuf out) {
        out.writeShort(channel);
        out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
    }
}
