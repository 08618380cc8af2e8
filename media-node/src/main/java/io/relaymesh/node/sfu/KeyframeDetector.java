package io.relaymesh.node.sfu;

import io.netty.buffer.ByteBuf;

/**
 * Tells whether an RTP payload starts a keyframe, by reading the codec's payload header in place. A viewer
 * that joins or switches source gets video only from such a packet on, so its decoder never starts on a
 * delta frame.
 */
final class KeyframeDetector {

    private KeyframeDetector() {
    }

    /**
     * @param payload the buffer holding the packet
     * @param offset  absolute index of the RTP payload
     * @param length  payload length in bytes (without padding)
     */
    static boolean isKeyframeStart(MediaCodec codec, ByteBuf payload, int offset, int length) {
        if (length <= 0) {
            return false;
        }
        return switch (codec) {
            case VP8 -> vp8(payload, offset, length);
            case VP9 -> vp9(payload, offset, length);
            case H264 -> h264(payload, offset, length);
            case AV1 -> av1(payload, offset, length);
            default -> false;
        };
    }

    /**
     * AV1 aggregation header (AV1 RTP specification section 4.4): {@code |Z|Y|W W|N|-|-|-|}. N is set on the first
     * packet of a coded video sequence, which starts with a sequence header and a key frame; Z is clear when the
     * packet's first OBU element does not continue one from the previous packet.
     */
    private static boolean av1(ByteBuf b, int offset, int length) {
        int header = b.getUnsignedByte(offset);
        return (header & 0x08) != 0 && (header & 0x80) == 0;
    }

    /**
     * VP8 payload descriptor (RFC 7741 section 4.2): {@code |X|R|N|S|R|PID|}, optional extension bytes, then on
     * the first packet of a frame (S=1, PID=0) the VP8 payload header whose lowest bit P is 0 for keyframes.
     */
    private static boolean vp8(ByteBuf b, int offset, int length) {
        int first = b.getUnsignedByte(offset);
        boolean start = (first & 0x10) != 0;
        int partition = first & 0x07;
        if (!start || partition != 0) {
            return false;
        }
        int i = offset + 1;
        int end = offset + length;
        if ((first & 0x80) != 0) { // X: extension byte |I|L|T|K|RSV|
            if (i >= end) {
                return false;
            }
            int ext = b.getUnsignedByte(i++);
            if ((ext & 0x80) != 0) { // I: picture id, 7 or 15 bits
                if (i >= end) {
                    return false;
                }
                i += (b.getUnsignedByte(i) & 0x80) != 0 ? 2 : 1;
            }
            if ((ext & 0x40) != 0) { // L: TL0PICIDX
                i++;
            }
            if ((ext & 0x30) != 0) { // T or K: TID/Y/KEYIDX
                i++;
            }
        }
        return i < end && (b.getUnsignedByte(i) & 0x01) == 0;
    }

    /**
     * VP9 payload descriptor (RFC 9628 section 4.2): {@code |I|P|L|F|B|E|V|Z|}. A keyframe starts where B=1
     * (beginning of a frame) and P=0 (not inter-predicted) in the base spatial layer.
     */
    private static boolean vp9(ByteBuf b, int offset, int length) {
        int first = b.getUnsignedByte(offset);
        boolean interPredicted = (first & 0x40) != 0;
        boolean begin = (first & 0x08) != 0;
        if (interPredicted || !begin) {
            return false;
        }
        boolean layerIndices = (first & 0x20) != 0;
        if (!layerIndices) {
            return true;
        }
        int i = offset + 1;
        int end = offset + length;
        if ((first & 0x80) != 0) { // I: picture id
            if (i >= end) {
                return false;
            }
            i += (b.getUnsignedByte(i) & 0x80) != 0 ? 2 : 1;
        }
        if (i >= end) {
            return false;
        }
        int spatialId = (b.getUnsignedByte(i) >> 1) & 0x07;
        return spatialId == 0;
    }

    /**
     * H264 (RFC 6184 section 5): a keyframe starts with an SPS (type 7) or an IDR slice (type 5), sent alone,
     * aggregated in a STAP-A (type 24), or as the first fragment of an FU-A (type 28, S bit set).
     */
    private static boolean h264(ByteBuf b, int offset, int length) {
        int type = b.getUnsignedByte(offset) & 0x1F;
        if (type == 5 || type == 7) {
            return true;
        }
        int end = offset + length;
        if (type == 24) { // STAP-A: 16-bit size + NAL unit, repeated
            int i = offset + 1;
            while (i + 2 < end) {
                int size = b.getUnsignedShort(i);
                if (size == 0 || i + 2 + size > end) {
                    return false;
                }
                int nalType = b.getUnsignedByte(i + 2) & 0x1F;
                if (nalType == 5 || nalType == 7) {
                    return true;
                }
                i += 2 + size;
            }
            return false;
        }
        if (type == 28 && length >= 2) { // FU-A: FU header |S|E|R|Type|
            int header = b.getUnsignedByte(offset + 1);
            int nalType = header & 0x1F;
            return (header & 0x80) != 0 && (nalType == 5 || nalType == 7);
        }
        return false;
    }
}
