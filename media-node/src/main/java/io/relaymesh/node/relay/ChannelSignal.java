package io.relaymesh.node.relay;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.sfu.Cascade;
import java.util.Arrays;

/**
 * UNSUBSCRIBE, KEYFRAME, NACK, ENDED and ALIVE: one word about one relay channel.
 *
 * <pre>
 * type (1: 3 unsubscribe, 6 ended)  | channel (4)
 * type (1: 4 keyframe)              | channel (4) | layer (1, 0..2)
 * type (1: 5 nack)                  | channel (4) | layer (1, 0..2) | count (1, 1..64) | count x sequence number (2)
 * type (1: 7 alive)                 | channel (4) | layers (1, mask 1..7)
 * </pre>
 *
 * A channel id has its top two bits clear: on the link they carry the layer index of each stream's SSRC
 * ({@link Cascade#layerSsrc}). A layer is an index as the track's publishing node numbered it; {@code layers} in
 * ALIVE is the parent's word on which layers the track has (bit i: index i), so the child asks for layers it has
 * not seen yet.
 *
 * @param layer  the layer (KEYFRAME and NACK; -1 otherwise)
 * @param layers the track's layers (ALIVE; 0 otherwise)
 * @param seqs   sequence numbers of the layer's stream to resend (NACK only; empty otherwise)
 */
record ChannelSignal(int type, int channel, int layer, int layers, int[] seqs) {

    static final int MAX_NACKS = 64;
    private static final int[] NONE = new int[0];

    ChannelSignal {
        if (type != RelayMessageType.UNSUBSCRIBE && type != RelayMessageType.KEYFRAME
                && type != RelayMessageType.ENDED && type != RelayMessageType.ALIVE && type != RelayMessageType.NACK) {
            throw new IllegalArgumentException("not a channel signal type: " + type);
        }
        if ((channel & ~Cascade.CHANNEL_MASK) != 0) {
            throw new IllegalArgumentException("channel " + Integer.toHexString(channel) + " uses the layer bits");
        }
        if (type == RelayMessageType.NACK ? seqs.length == 0 || seqs.length > MAX_NACKS : seqs.length != 0) {
            throw new IllegalArgumentException("a NACK carries 1.." + MAX_NACKS + " sequence numbers, others none");
        }
        boolean layered = type == RelayMessageType.KEYFRAME || type == RelayMessageType.NACK;
        if (layered ? layer < 0 || layer >= Cascade.MAX_LAYERS : layer != -1) {
            throw new IllegalArgumentException("layer " + layer + " for signal type " + type);
        }
        if (type == RelayMessageType.ALIVE ? layers <= 0 || layers > Cascade.ALL_LAYERS : layers != 0) {
            throw new IllegalArgumentException("layers " + layers + " for signal type " + type);
        }
    }

    /** UNSUBSCRIBE or ENDED. */
    static ChannelSignal of(int type, int channel) {
        return new ChannelSignal(type, channel, -1, 0, NONE);
    }

    static ChannelSignal keyframe(int channel, int layer) {
        return new ChannelSignal(RelayMessageType.KEYFRAME, channel, layer, 0, NONE);
    }

    static ChannelSignal alive(int channel, int layers) {
        return new ChannelSignal(RelayMessageType.ALIVE, channel, -1, layers, NONE);
    }

    static ChannelSignal nack(int channel, int layer, int[] seqs, int count) {
        return new ChannelSignal(RelayMessageType.NACK, channel, layer, 0,
                Arrays.copyOf(seqs, Math.min(count, MAX_NACKS)));
    }

    int encodedLength() {
        return switch (type) {
            case RelayMessageType.KEYFRAME, RelayMessageType.ALIVE -> 6;
            case RelayMessageType.NACK -> 7 + 2 * seqs.length;
            default -> 5;
        };
    }

    void writeTo(ByteBuf out) {
        out.writeByte(type);
        out.writeInt(channel);
        switch (type) {
            case RelayMessageType.KEYFRAME -> out.writeByte(layer);
            case RelayMessageType.ALIVE -> out.writeByte(layers);
            case RelayMessageType.NACK -> {
                out.writeByte(layer);
                out.writeByte(seqs.length);
                for (int seq : seqs) {
                    out.writeShort(seq);
                }
            }
            default -> { }
        }
    }

    static ChannelSignal parse(ByteBuf in) throws ProtocolException {
        WireFields.need(in, 5, "channel signal");
        int type = in.readUnsignedByte();
        int channel = in.readInt();
        if ((channel & ~Cascade.CHANNEL_MASK) != 0) {
            throw new ProtocolException("channel " + Integer.toHexString(channel) + " uses the layer bits");
        }
        int layer = -1;
        int layers = 0;
        int[] seqs = NONE;
        switch (type) {
            case RelayMessageType.UNSUBSCRIBE, RelayMessageType.ENDED -> { }
            case RelayMessageType.KEYFRAME -> layer = readLayer(in);
            case RelayMessageType.ALIVE -> {
                WireFields.need(in, 1, "layers");
                layers = in.readUnsignedByte();
                if (layers == 0 || layers > Cascade.ALL_LAYERS) {
                    throw new ProtocolException("layers 0x" + Integer.toHexString(layers) + " outside 0x1..0x"
                            + Integer.toHexString(Cascade.ALL_LAYERS));
                }
            }
            case RelayMessageType.NACK -> {
                layer = readLayer(in);
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
        return new ChannelSignal(type, channel, layer, layers, seqs);
    }

    private static int readLayer(ByteBuf in) throws ProtocolException {
        WireFields.need(in, 1, "layer");
        int layer = in.readUnsignedByte();
        if (layer >= Cascade.MAX_LAYERS) {
            throw new ProtocolException("layer " + layer + " above " + (Cascade.MAX_LAYERS - 1));
        }
        return layer;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelSignal s && s.type == type && s.channel == channel && s.layer == layer
                && s.layers == layers && Arrays.equals(s.seqs, seqs);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * (31 * type + channel) + layer) + layers) + Arrays.hashCode(seqs);
    }

    @Override
    public String toString() {
        return "ChannelSignal[type=" + type + ", channel=" + channel + ", layer=" + layer + ", layers=" + layers
                + ", seqs=" + Arrays.toString(seqs) + "]";
    }
}
