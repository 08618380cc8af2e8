package io.relaymesh.node.rtp.codec;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;

/**
 * Reads the picture size from an H264 sequence parameter set (ITU-T H.264 section 7.3.2.1.1), found in an RTP
 * payload as a single NAL unit or inside a STAP-A (RFC 6184 section 5.7.1). Publishers send the SPS with every
 * IDR, so on a keyframe the SFU learns each simulcast layer's resolution the way VP8 keyframes give it directly.
 *
 * <p>Reusable and allocation-free: the SPS is unescaped (emulation prevention bytes removed) into a fixed scratch
 * array. Not thread-safe.
 */
public final class H264Resolution {

    private static final int NAL_SPS = 7;
    private static final int NAL_STAP_A = 24;
    /** An SPS is a few dozen bytes; one with long scaling lists stays well under this. */
    private static final int MAX_SPS = 256;

    private final byte[] rbsp = new byte[MAX_SPS];
    private int rbspLength;
    private int bit;
    private int width;
    private int height;

    /** Width of the last SPS read, in pixels (after cropping). */
    public int width() {
        return width;
    }

    /** Height of the last SPS read, in pixels (after cropping). */
    public int height() {
        return height;
    }

    /**
     * Looks for an SPS in the RTP payload {@code [offset, offset + length)} and reads its size.
     *
     * @return true when an SPS was found and read ({@link #width()}, {@link #height()} then hold it)
     * @throws ProtocolException when an SPS is there but malformed, or the STAP-A is
     */
    public boolean readPayload(ByteBuf buf, int offset, int length) throws ProtocolException {
        if (length < 1) {
            return false;
        }
        int type = buf.getUnsignedByte(offset) & 0x1F;
        if (type == NAL_SPS) {
            readSps(buf, offset, length);
            return true;
        }
        if (type != NAL_STAP_A) {
            return false;
        }
        int at = offset + 1;
        int end = offset + length;
        while (at < end) {
            if (end - at < 2) {
                throw new ProtocolException("STAP-A truncated: " + (end - at) + " byte(s) where a NAL size belongs");
            }
            int size = buf.getUnsignedShort(at);
            at += 2;
            if (size == 0 || size > end - at) {
                throw new ProtocolException("STAP-A NAL unit of " + size + " bytes with " + (end - at) + " left");
            }
            if ((buf.getUnsignedByte(at) & 0x1F) == NAL_SPS) {
                readSps(buf, at, size);
                return true;
            }
            at += size;
        }
        return false;
    }

    /** Reads the SPS NAL unit (header byte included) at {@code [offset, offset + length)}. */
    public void readSps(ByteBuf buf, int offset, int length) throws ProtocolException {
        unescape(buf, offset + 1, length - 1);
        bit = 0;
        int profile = bits(8, "profile_idc");
        bits(16, "constraint flags and level_idc");
        ue("seq_parameter_set_id");
        int chromaFormat = 1;
        boolean separateColourPlanes = false;
        if (profile == 100 || profile == 110 || profile == 122 || profile == 244 || profile == 44 || profile == 83
                || profile == 86 || profile == 118 || profile == 128 || profile == 138 || profile == 139
                || profile == 134 || profile == 135) {
            chromaFormat = ue("chroma_format_idc");
            if (chromaFormat > 3) {
                throw new ProtocolException("SPS chroma_format_idc " + chromaFormat + " is not 0-3");
            }
            if (chromaFormat == 3) {
                separateColourPlanes = bits(1, "separate_colour_plane_flag") != 0;
            }
            ue("bit_depth_luma_minus8");
            ue("bit_depth_chroma_minus8");
            bits(1, "qpprime_y_zero_transform_bypass_flag");
            if (bits(1, "seq_scaling_matrix_present_flag") != 0) {
                int lists = chromaFormat == 3 ? 12 : 8;
                for (int i = 0; i < lists; i++) {
                    if (bits(1, "seq_scaling_list_present_flag") != 0) {
                        skipScalingList(i < 6 ? 16 : 64);
                    }
                }
            }
        }
        ue("log2_max_frame_num_minus4");
        int pocType = ue("pic_order_cnt_type");
        if (pocType == 0) {
            ue("log2_max_pic_order_cnt_lsb_minus4");
        } else if (pocType == 1) {
            bits(1, "delta_pic_order_always_zero_flag");
            se("offset_for_non_ref_pic");
            se("offset_for_top_to_bottom_field");
            int cycle = ue("num_ref_frames_in_pic_order_cnt_cycle");
            if (cycle > 255) {
                throw new ProtocolException("SPS num_ref_frames_in_pic_order_cnt_cycle " + cycle + " is over 255");
            }
            for (int i = 0; i < cycle; i++) {
                se("offset_for_ref_frame");
            }
        } else if (pocType != 2) {
            throw new ProtocolException("SPS pic_order_cnt_type " + pocType + " is not 0-2");
        }
        ue("max_num_ref_frames");
        bits(1, "gaps_in_frame_num_value_allowed_flag");
        int widthMbs = ue("pic_width_in_mbs_minus1") + 1;
        int heightMapUnits = ue("pic_height_in_map_units_minus1") + 1;
        int frameMbsOnly = bits(1, "frame_mbs_only_flag");
        if (frameMbsOnly == 0) {
            bits(1, "mb_adaptive_frame_field_flag");
        }
        bits(1, "direct_8x8_inference_flag");
        int cropLeft = 0;
        int cropRight = 0;
        int cropTop = 0;
        int cropBottom = 0;
        if (bits(1, "frame_cropping_flag") != 0) {
            cropLeft = ue("frame_crop_left_offset");
            cropRight = ue("frame_crop_right_offset");
            cropTop = ue("frame_crop_top_offset");
            cropBottom = ue("frame_crop_bottom_offset");
        }
        // Table 6-1 and equations 7-19 to 7-22: crop units depend on the chroma sampling.
        int arrayType = separateColourPlanes ? 0 : chromaFormat;
        int cropUnitX = arrayType == 1 || arrayType == 2 ? 2 : 1;
        int cropUnitY = (arrayType == 1 ? 2 : 1) * (2 - frameMbsOnly);
        long w = widthMbs * 16L - (long) cropUnitX * (cropLeft + cropRight);
        long h = (2L - frameMbsOnly) * heightMapUnits * 16L - (long) cropUnitY * (cropTop + cropBottom);
        if (widthMbs > 1024 || heightMapUnits > 1024 || w <= 0 || h <= 0) {
            throw new ProtocolException("SPS picture size " + w + "x" + h + " (" + widthMbs + "x" + heightMapUnits
                    + " macroblocks, crop " + cropLeft + "/" + cropRight + "/" + cropTop + "/" + cropBottom
                    + ") is not a picture this node forwards");
        }
        width = (int) w;
        height = (int) h;
    }

    private void skipScalingList(int size) throws ProtocolException {
        int last = 8;
        int next = 8;
        for (int j = 0; j < size && next != 0; j++) {
            int delta = se("delta_scale");
            if (delta < -128 || delta > 127) {
                throw new ProtocolException("SPS delta_scale " + delta + " is not -128..127");
            }
            next = (last + delta + 256) % 256;
            last = next == 0 ? last : next;
        }
    }

    /** Copies the NAL payload without its emulation prevention bytes (00 00 03 -> 00 00). */
    private void unescape(ByteBuf buf, int offset, int length) throws ProtocolException {
        if (length < 1) {
            throw new ProtocolException("SPS has no payload after its NAL header");
        }
        int zeros = 0;
        int n = 0;
        for (int i = 0; i < length; i++) {
            int b = buf.getUnsignedByte(offset + i);
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            if (n == MAX_SPS) {
                throw new ProtocolException("SPS longer than " + MAX_SPS + " bytes");
            }
            rbsp[n++] = (byte) b;
            zeros = b == 0 ? zeros + 1 : 0;
        }
        rbspLength = n;
    }

    private int bits(int count, String field) throws ProtocolException {
        if (rbspLength * 8 - bit < count) {
            throw new ProtocolException("SPS truncated in " + field + ": needs " + count + " bits, "
                    + (rbspLength * 8 - bit) + " left");
        }
        int value = 0;
        for (int i = 0; i < count; i++, bit++) {
            value = (value << 1) | ((rbsp[bit >>> 3] >>> (7 - (bit & 7))) & 1);
        }
        return value;
    }

    /** Unsigned Exp-Golomb code (section 9.1), at most 31 leading zeros. */
    private int ue(String field) throws ProtocolException {
        int zeros = 0;
        while (bits(1, field) == 0) {
            if (++zeros > 31) {
                throw new ProtocolException("SPS " + field + " has an Exp-Golomb code over 32 bits");
            }
        }
        if (zeros == 0) {
            return 0;
        }
        long value = (1L << zeros) - 1 + (zeros == 31 ? ((long) bits(16, field) << 15 | bits(15, field)) : bits(zeros, field));
        if (value > Integer.MAX_VALUE) {
            throw new ProtocolException("SPS " + field + " value " + value + " is out of range");
        }
        return (int) value;
    }

    /** Signed Exp-Golomb code (section 9.1.1). */
    private int se(String field) throws ProtocolException {
        int k = ue(field);
        return (k & 1) != 0 ? (k + 1) / 2 : -(k / 2);
    }
}
