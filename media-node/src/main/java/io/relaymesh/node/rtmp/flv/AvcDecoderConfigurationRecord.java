package io.relaymesh.node.rtmp.flv;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.List;

/**
 * The H.264 sequence header of an FLV stream (ISO/IEC 14496-15 section 5.2.4.1): the NAL length size and the
 * SPS and PPS the decoder needs before the first picture.
 *
 * <pre>
 * configurationVersion (1) = 1 | AVCProfileIndication (1) | profile_compatibility (1) | AVCLevelIndication (1)
 * reserved (6 bits) | lengthSizeMinusOne (2 bits)
 * reserved (3 bits) | numOfSequenceParameterSets (5 bits), each: length (2) | SPS NAL unit
 * numOfPictureParameterSets (1), each: length (2) | PPS NAL unit
 * (high profiles append chroma format and bit depths; not needed here)
 * </pre>
 *
 * @param profile       profile_idc
 * @param compatibility constraint flags
 * @param level         level_idc
 * @param nalLengthSize bytes of each NAL unit's length prefix (1, 2 or 4)
 * @param sps           sequence parameter sets, NAL header included
 * @param pps           picture parameter sets, NAL header included
 */
public record AvcDecoderConfigurationRecord(int profile, int compatibility, int level, int nalLengthSize,
                                            List<byte[]> sps, List<byte[]> pps) {

    public static AvcDecoderConfigurationRecord parse(ByteBuf in) throws ProtocolException {
        int at = in.readerIndex();
        int end = at + in.readableBytes();
        if (end - at < 6) {
            throw new ProtocolException("AVC configuration record truncated (" + (end - at) + " bytes)");
        }
        int version = in.getUnsignedByte(at);
        if (version != 1) {
            throw new ProtocolException("AVC configuration record version " + version + ", expected 1");
        }
        int profile = in.getUnsignedByte(at + 1);
        int compatibility = in.getUnsignedByte(at + 2);
        int level = in.getUnsignedByte(at + 3);
        int nalLengthSize = (in.getUnsignedByte(at + 4) & 0x03) + 1;
        if (nalLengthSize == 3) {
            throw new ProtocolException("AVC configuration record: NAL length size 3 is not allowed");
        }
        int count = in.getUnsignedByte(at + 5) & 0x1F;
        int[] cursor = {at + 6};
        List<byte[]> sps = readSets(in, cursor, end, count, "SPS");
        if (cursor[0] >= end) {
            throw new ProtocolException("AVC configuration record truncated before the PPS count");
        }
        int ppsCount = in.getUnsignedByte(cursor[0]++);
        List<byte[]> pps = readSets(in, cursor, end, ppsCount, "PPS");
        if (sps.isEmpty() || pps.isEmpty()) {
            throw new ProtocolException("AVC configuration record without SPS or PPS");
        }
        return new AvcDecoderConfigurationRecord(profile, compatibility, level, nalLengthSize, sps, pps);
    }

    private static List<byte[]> readSets(ByteBuf in, int[] cursor, int end, int count, String what)
            throws ProtocolException {
        List<byte[]> sets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (end - cursor[0] < 2) {
                throw new ProtocolException("AVC configuration record truncated in " + what + " length");
            }
            int length = in.getUnsignedShort(cursor[0]);
            cursor[0] += 2;
            if (length == 0 || end - cursor[0] < length) {
                throw new ProtocolException("AVC configuration record: " + what + " of " + length
                        + " bytes does not fit");
            }
            byte[] set = new byte[length];
            in.getBytes(cursor[0], set);
            cursor[0] += length;
            sets.add(set);
        }
        return sets;
    }
}
