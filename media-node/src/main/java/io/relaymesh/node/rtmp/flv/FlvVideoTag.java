package io.relaymesh.node.rtmp.flv;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;

/**
 * The body of an FLV video tag as RTMP carries it in a video message (FLV specification 10.1, E.4.3.1).
 *
 * <pre>
 * frame type (4 bits: 1 key, 2 inter, 3 disposable, 4 generated key, 5 info/command) | codec id (4 bits: 7 AVC)
 * AVC only: AVCPacketType (1: 0 sequence header, 1 NAL units, 2 end of sequence)
 *           composition time offset (SI24, milliseconds; non-zero with B-frames)
 * data: AVCDecoderConfigurationRecord (sequence header) or length-prefixed NAL units
 * </pre>
 *
 * Enhanced RTMP (the top bit of the first byte: HEVC, AV1, VP9 by FourCC) is refused with a reason.
 *
 * @param frameType       1 key frame, 2 inter frame, ...
 * @param codecId         7 for AVC
 * @param packetType      AVC packet type
 * @param compositionTime presentation minus decode time in milliseconds
 * @param data            a slice of the message payload (not retained: valid while the message is)
 */
public record FlvVideoTag(int frameType, int codecId, int packetType, int compositionTime, ByteBuf data) {

    public static final int FRAME_KEY = 1;
    public static final int FRAME_INFO = 5;
    public static final int CODEC_AVC = 7;
    public static final int AVC_SEQUENCE_HEADER = 0;
    public static final int AVC_NALU = 1;
    public static final int AVC_END_OF_SEQUENCE = 2;
    private static final int EX_HEADER_BIT = 0x80;

    /** Parses the readable bytes of {@code payload} without consuming them. */
    public static FlvVideoTag parse(ByteBuf payload) throws ProtocolException {
        int at = payload.readerIndex();
        int length = payload.readableBytes();
        if (length < 1) {
            throw new ProtocolException("FLV video: empty tag");
        }
        int first = payload.getUnsignedByte(at);
        if ((first & EX_HEADER_BIT) != 0) {
            throw new ProtocolException("FLV video: enhanced RTMP (HEVC, AV1, VP9) is not supported; publish H.264");
        }
        int frameType = first >>> 4;
        int codecId = first & 0x0F;
        if (codecId != CODEC_AVC) {
            throw new ProtocolException("FLV video: codec id " + codecId + " is not supported; publish H.264 (AVC)");
        }
        if (frameType == FRAME_INFO) {
            return new FlvVideoTag(frameType, codecId, -1, 0, payload.slice(at + 1, length - 1));
        }
        if (frameType < 1 || frameType > 4) {
            throw new ProtocolException("FLV video: invalid frame type " + frameType);
        }
        if (length < 5) {
            throw new ProtocolException("FLV video: AVC tag shorter than its 5-byte header (" + length + " bytes)");
        }
        int packetType = payload.getUnsignedByte(at + 1);
        if (packetType > AVC_END_OF_SEQUENCE) {
            throw new ProtocolException("FLV video: invalid AVC packet type " + packetType);
        }
        int composition = payload.getMedium(at + 2); // signed 24 bits
        return new FlvVideoTag(frameType, codecId, packetType, composition, payload.slice(at + 5, length - 5));
    }

    public boolean isKeyframe() {
        return frameType == FRAME_KEY;
    }
}
