package io.relaymesh.node.rtmp.flv;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;

/**
 * The body of an FLV audio tag as RTMP carries it in an audio message (FLV specification 10.1, E.4.2.1).
 *
 * <pre>
 * sound format (4 bits: 10 AAC) | sound rate (2) | sound size (1) | sound type (1)
 * AAC only: AACPacketType (1: 0 AudioSpecificConfig, 1 raw AAC frame)
 * data
 * </pre>
 *
 * For AAC the rate and type bits are fixed (44 kHz, stereo) and meaningless: the AudioSpecificConfig tells.
 *
 * @param soundFormat 10 for AAC
 * @param packetType  AAC packet type
 * @param data        a slice of the message payload (not retained: valid while the message is)
 */
public record FlvAudioTag(int soundFormat, int packetType, ByteBuf data) {

    public static final int FORMAT_AAC = 10;
    public static final int AAC_SEQUENCE_HEADER = 0;
    public static final int AAC_RAW = 1;

    /** Parses the readable bytes of {@code payload} without consuming them. */
    public static FlvAudioTag parse(ByteBuf payload) throws ProtocolException {
        int at = payload.readerIndex();
        int length = payload.readableBytes();
        if (length < 1) {
            throw new ProtocolException("FLV audio: empty tag");
        }
        int format = payload.getUnsignedByte(at) >>> 4;
        if (format != FORMAT_AAC) {
            throw new ProtocolException("FLV audio: sound format " + format + " is not supported; publish AAC");
        }
        if (length < 2) {
            throw new ProtocolException("FLV audio: AAC tag without its packet type");
        }
        int packetType = payload.getUnsignedByte(at + 1);
        if (packetType > AAC_RAW) {
            throw new ProtocolException("FLV audio: invalid AAC packet type " + packetType);
        }
        return new FlvAudioTag(format, packetType, payload.slice(at + 2, length - 2));
    }
}
