package io.relaymesh.node.relay;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.Arrays;

/**
 * UNSUBSCRIBE, KEYFRAME, ENDED, ALIVE and NACK: one word about one relay channel.
 *
 * <pre>
 * type (1: 3 unsubscribe, 4 keyframe, 6 ended, 7 alive) | channel (4)
 * type (1: 5 nack) | channel (4) | count (1, 1..64) | count x sequence number (2)
 * </pre>
 *
 * @param seqs sequence numbers to resend (NACK only; empty otherwise)
 */
record ChannelSignal(int type, int channel, int[] seqs) {

    static final int MAX_NACKS = 64;
    private static final int[] NONE = new int[0];

    ChannelSignal {
        if (type != RelayMessageType.UNSUBSCRIBE && type != RelayMessageType.KEYFRAME
                && type != RelayMessageType.ENDED && type != RelayMessageType.ALIVE && type != RelayMessageType.NACK) {
            throw new IllegalArgumentException("not a channel signal type: " + type);
        }
        if (type == RelayMessageType.NACK ? seqs.length == 0 || seqs.length > MAX_NACKS : seqs.length != 0) {
            throw new IllegalArgumentException("a NACK carries 1.." + MAX_NACKS + " sequence numbers, others none");
        }
    }

    static ChannelSignal of(int type, int channel) {
        return new ChannelSignal(type, channel, NONE);
    }

    static ChannelSignal nack(int channel, int[] seqs, int count) {
        return new ChannelSignal(RelayMessageType.NACK, channel, Arrays.copyOf(seqs, Math.min(count, MAX_NACKS)));
    }

    int encodedLength() {
        return 5 + (type == RelayMessageType.NACK ? 1 + 2 * seqs.length : 0);
    }

    void writeTo(ByteBuf out) {
        out.writeByte(type);
        out.writeInt(channel);
        if (type == RelayMessageType.NACK) {
            out.writeByte(seqs.length);
            for (int seq : seqs) {
                out.writeShort(seq);
            }
        }
    }

    static ChannelSignal parse(ByteBuf in) throws ProtocolException {
        WireFields.need(in, 5, "channel signal");
        int type = in.readUnsignedByte();
        int channel = in.readInt();
        int[] seqs = NONE;
        switch (type) {
            case RelayMessageType.UNSUBSCRIBE, RelayMessageType.KEYFRAME, RelayMessageType.ENDED,
                 RelayMessageType.ALIVE -> { }
            case RelayMessageType.NACK -> {
                WireFields.need(in, 1, "NACK count");
                int count = in.readUnsignedByte();
                if (count == 0 || count > MAX_NACKS) {
                    throw new ProtocolException("NACK count " + count + " outside 1.." + MAX_NACKS);
                }
                WireFields.need(in, 2 * count, "NACK sequence numbers");
                seqs = new int[count];
                for (int i = 0; i < count; i++) {
                    seqs[i] = in.readUnsignedShort();
                }
            }
            default -> throw new ProtocolException("not a channel signal: type " + type);
        }
        WireFields.requireEnd(in, "channel signal");
        return new ChannelSignal(type, channel, seqs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelSignal s && s.type == type && s.channel == channel && Arrays.equals(s.seqs, seqs);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * type + channel) + Arrays.hashCode(seqs);
    }

    @Override
    public String toString() {
        return "ChannelSignal[type=" + type + ", channel=" + channel + ", seqs=" + Arrays.toString(seqs) + "]";
    }
}
