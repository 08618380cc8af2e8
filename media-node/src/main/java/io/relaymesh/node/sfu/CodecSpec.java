package io.relaymesh.node.sfu;

/**
 * One negotiated codec of a media section.
 *
 * @param payloadType    RTP payload type of the codec in this session
 * @param codec          which codec
 * @param clockRate      RTP clock rate
 * @param rtxPayloadType payload type of its RTX stream (RFC 4588), or -1 when RTX is not negotiated
 */
record CodecSpec(int payloadType, MediaCodec codec, int clockRate, int rtxPayloadType) {
}
