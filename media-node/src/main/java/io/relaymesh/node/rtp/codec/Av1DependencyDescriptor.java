package io.relaymesh.node.rtp.codec;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.List;
import java.util.Objects;

/**
 * The AV1 RTP dependency descriptor header extension (AV1 RTP specification, appendix A; extension URI
 * {@code https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension}), as a reusable
 * view: {@link #wrap} reads one packet's descriptor into preallocated fields. Only the template dependency
 * structure, which arrives with the first packet of a keyframe, is parsed into a new object
 * ({@link #attachedStructure()}); everything else allocates nothing.
 *
 * <pre>
 *  0                   1                   2
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |S|E|template id|         frame_number          |   mandatory: start/end of frame, f(6), f(16)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |T|A|D|F|C| then, only when the extension is longer than 3 bytes:
 *   T template_dependency_structure() follows ({@link Av1DependencyStructure})
 *   A active_decode_targets_bitmask f(DtisCnt) follows
 *   D custom frame_dti: f(2) per decode target
 *   F custom frame_fdiffs: (next_fdiff_size f(2), fdiff_minus_one f(4 * size))*, then size 0
 *   C custom frame_chain_fdiff: f(8) per chain
 * zero padding to the end of the element
 * </pre>
 *
 * A descriptor can be interpreted only with the structure in force: the attached one or the one the caller
 * passes (from an earlier keyframe). Without one, or with a template id outside it (the packet carrying a new
 * structure was lost), the view holds the mandatory fields only and {@link #resolved()} is false.
 */
public final class Av1DependencyDescriptor {

    public static final String URI = "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension";

    static final int MANDATORY_LENGTH = 3;
    /** Custom frame diffs kept per frame; an AV1 frame references at most 7 frames. */
    static final int MAX_FRAME_FDIFFS = 16;

    private final BitReader in = new BitReader();
    private boolean startOfFrame;
    private boolean endOfFrame;
    private int templateId;
    private int frameNumber;
    private boolean extended;
    private Av1DependencyStructure attached;
    private Av1DependencyStructure structure;
    private int templateIndex;
    private int activeDecodeTargets;
    private boolean activeDecodeTargetsPresent;
    private boolean customDtis;
    private boolean customFdiffs;
    private boolean customChains;
    private final int[] dtis = new int[Av1DependencyStructure.MAX_DECODE_TARGETS];
    private int fdiffCount;
    private final int[] fdiffs = new int[MAX_FRAME_FDIFFS];
    private final int[] chainFdiffs = new int[Av1DependencyStructure.MAX_DECODE_TARGETS];

    /**
     * Reads the descriptor in {@code [offset, offset + length)} of {@code buf} (an extension element's data).
     *
     * @param known the structure in force from earlier packets, or null when none is known; a structure attached
     *              to this descriptor takes precedence
     * @return this
     * @throws ProtocolException when the bytes are not a descriptor (too short, truncated fields, a structure
     *                           that breaks the syntax's limits)
     */
    public Av1DependencyDescriptor wrap(ByteBuf buf, int offset, int length, Av1DependencyStructure known)
            throws ProtocolException {
        if (offset < 0 || length < 0 || offset + length > buf.writerIndex()) {
            throw new ProtocolException("AV1 dependency descriptor [" + offset + ", +" + length + ") outside the buffer");
        }
        if (length < MANDATORY_LENGTH) {
            throw new ProtocolException("AV1 dependency descriptor truncated: " + length + " bytes, needs 3");
        }
        in.reset(buf, offset, length, "AV1 dependency descriptor");
        startOfFrame = in.flag("start_of_frame");
        endOfFrame = in.flag("end_of_frame");
        templateId = in.bits(6, "frame_dependency_template_id");
        frameNumber = in.bits(16, "frame_number");
        extended = length > MANDATORY_LENGTH;
        attached = null;
        activeDecodeTargetsPresent = false;
        customDtis = false;
        customFdiffs = false;
        customChains = false;
        boolean structurePresent = false;
        if (extended) {
            structurePresent = in.flag("template_dependency_structure_present_flag");
            activeDecodeTargetsPresent = in.flag("active_decode_targets_present_flag");
            customDtis = in.flag("custom_dtis_flag");
            customFdiffs = in.flag("custom_fdiffs_flag");
            customChains = in.flag("custom_chains_flag");
            if (structurePresent) {
                attached = Av1DependencyStructure.read(in);
            }
        }
        structure = attached != null ? attached : known;
        templateIndex = -1;
        fdiffCount = 0;
        activeDecodeTargets = structure == null ? 0 : allTargets(structure);
        if (structure == null) {
            return this;
        }
        if (activeDecodeTargetsPresent) {
            activeDecodeTargets = in.bits(structure.decodeTargetCount(), "active_decode_targets_bitmask");
        }
        int index = structure.templateIndex(templateId);
        if (index < 0) {
            return this;
        }
        int dtCount = structure.decodeTargetCount();
        for (int d = 0; d < dtCount; d++) {
            dtis[d] = customDtis ? in.bits(2, "frame_dti") : structure.templateDti(index, d);
        }
        if (customFdiffs) {
            int size;
            while ((size = in.bits(2, "next_fdiff_size")) != 0) {
                if (fdiffCount == MAX_FRAME_FDIFFS) {
                    throw new ProtocolException("AV1 dependency descriptor has more than 16 frame diffs");
                }
                fdiffs[fdiffCount++] = in.bits(4 * size, "fdiff_minus_one") + 1;
            }
        } else {
            fdiffCount = structure.templateFdiffCount(index);
            for (int i = 0; i < fdiffCount; i++) {
                fdiffs[i] = structure.templateFdiff(index, i);
            }
        }
        for (int c = 0; c < structure.chainCount(); c++) {
            chainFdiffs[c] = customChains ? in.bits(8, "frame_chain_fdiff") : structure.templateChainFdiff(index, c);
        }
        templateIndex = index;
        return this;
    }

    private static int allTargets(Av1DependencyStructure structure) {
        int n = structure.decodeTargetCount();
        return n == 32 ? -1 : (1 << n) - 1;
    }

    public boolean startOfFrame() {
        return startOfFrame;
    }

    public boolean endOfFrame() {
        return endOfFrame;
    }

    /** {@code frame_dependency_template_id}, 0..63. */
    public int templateId() {
        return templateId;
    }

    /** 0..65535, increasing in decode order and wrapping. */
    public int frameNumber() {
        return frameNumber;
    }

    /** True when the extension is longer than the 3 mandatory bytes. */
    public boolean extended() {
        return extended;
    }

    /** The structure this descriptor carries (first packet of a keyframe), or null. */
    public Av1DependencyStructure attachedStructure() {
        return attached;
    }

    /** The structure this descriptor was read with (attached or the caller's), or null. */
    public Av1DependencyStructure structure() {
        return structure;
    }

    /** True when the frame fields below are known: a structure is in force and the template id belongs to it. */
    public boolean resolved() {
        return templateIndex >= 0;
    }

    /** Index of the frame's template in {@link #structure()}, -1 when not {@link #resolved()}. */
    public int templateIndex() {
        return templateIndex;
    }

    public boolean activeDecodeTargetsPresent() {
        return activeDecodeTargetsPresent;
    }

    /**
     * Bit i set when decode target i is active: the bitmask when present, all targets when a structure is attached
     * or in force and no bitmask is sent (the sender then keeps the last one it sent; see {@code Av1DdFilter}).
     */
    public int activeDecodeTargets() {
        return activeDecodeTargets;
    }

    public boolean customDtis() {
        return customDtis;
    }

    public boolean customFdiffs() {
        return customFdiffs;
    }

    public boolean customChains() {
        return customChains;
    }

    public int spatialId() {
        requireResolved();
        return structure.templateSpatialId(templateIndex);
    }

    public int temporalId() {
        requireResolved();
        return structure.templateTemporalId(templateIndex);
    }

    /** The frame's decode target indication for {@code decodeTarget} ({@code Av1DependencyStructure.DTI_*}). */
    public int dti(int decodeTarget) {
        requireResolved();
        return dtis[Objects.checkIndex(decodeTarget, structure.decodeTargetCount())];
    }

    public int fdiffCount() {
        requireResolved();
        return fdiffCount;
    }

    /** Difference (1..4096) from this frame's number to the number of a frame it references. */
    public int fdiff(int index) {
        requireResolved();
        return fdiffs[Objects.checkIndex(index, fdiffCount)];
    }

    /** Difference from this frame's number to the previous frame of {@code chain}; 0 when the chain starts here. */
    public int chainFdiff(int chain) {
        requireResolved();
        return chainFdiffs[Objects.checkIndex(chain, structure.chainCount())];
    }

    private void requireResolved() {
        if (templateIndex < 0) {
            throw new IllegalStateException("dependency descriptor not resolved against a structure");
        }
    }

    /**
     * A descriptor's fields for encoding: the inverse of {@link #wrap}. Custom lists, when non-null, replace the
     * template's values; {@code activeDecodeTargets} is written when non-negative.
     */
    public record Fields(boolean startOfFrame, boolean endOfFrame, int templateId, int frameNumber,
                         Av1DependencyStructure attachedStructure, int activeDecodeTargets, List<Integer> customDtis,
                         List<Integer> customFdiffs, List<Integer> customChains) {

        public Fields {
            if (templateId < 0 || templateId > Av1DependencyStructure.MAX_TEMPLATE_ID) {
                throw new IllegalArgumentException("template id " + templateId + " outside 0..63");
            }
            if (frameNumber < 0 || frameNumber > 0xFFFF) {
                throw new IllegalArgumentException("frame number " + frameNumber + " outside 0..65535");
            }
            customDtis = customDtis == null ? null : List.copyOf(customDtis);
            customFdiffs = customFdiffs == null ? null : List.copyOf(customFdiffs);
            customChains = customChains == null ? null : List.copyOf(customChains);
        }

        /** Mandatory fields only (plus whatever the template gives). */
        public static Fields of(boolean startOfFrame, boolean endOfFrame, int templateId, int frameNumber) {
            return new Fields(startOfFrame, endOfFrame, templateId, frameNumber, null, -1, null, null, null);
        }

        public Fields withStructure(Av1DependencyStructure attached) {
            return new Fields(startOfFrame, endOfFrame, templateId, frameNumber, attached, activeDecodeTargets,
                    customDtis, customFdiffs, customChains);
        }

        public Fields withActiveDecodeTargets(int mask) {
            return new Fields(startOfFrame, endOfFrame, templateId, frameNumber, attachedStructure, mask, customDtis,
                    customFdiffs, customChains);
        }

        public Fields withCustom(List<Integer> dtis, List<Integer> fdiffs, List<Integer> chains) {
            return new Fields(startOfFrame, endOfFrame, templateId, frameNumber, attachedStructure,
                    activeDecodeTargets, dtis, fdiffs, chains);
        }

        /** Bytes {@link #writeTo} writes, with {@code structure} in force (ignored when one is attached). */
        public int encodedLength(Av1DependencyStructure structure) {
            BitWriter measure = BitWriter.measure();
            write(measure, structure);
            return Math.max(measure.bytes(), MANDATORY_LENGTH);
        }

        /** Writes at {@code buf}'s writer index and advances it. */
        public void writeTo(ByteBuf buf, Av1DependencyStructure structure) {
            int length = encodedLength(structure);
            int at = buf.writerIndex();
            buf.ensureWritable(length);
            buf.setZero(at, length);
            write(BitWriter.into(buf, at), structure);
            buf.writerIndex(at + length);
        }

        private void write(BitWriter out, Av1DependencyStructure known) {
            Av1DependencyStructure s = attachedStructure != null ? attachedStructure : known;
            out.flag(startOfFrame);
            out.flag(endOfFrame);
            out.bits(6, templateId);
            out.bits(16, frameNumber);
            boolean extendedFields = attachedStructure != null || activeDecodeTargets >= 0 || customDtis != null
                    || customFdiffs != null || customChains != null;
            if (!extendedFields) {
                return;
            }
            Objects.requireNonNull(s, "extended dependency descriptor fields need a structure");
            out.flag(attachedStructure != null);
            out.flag(activeDecodeTargets >= 0);
            out.flag(customDtis != null);
            out.flag(customFdiffs != null);
            out.flag(customChains != null);
            if (attachedStructure != null) {
                attachedStructure.write(out);
            }
            if (activeDecodeTargets >= 0) {
                out.bits(s.decodeTargetCount(), activeDecodeTargets);
            }
            if (customDtis != null) {
                requireSize(customDtis, s.decodeTargetCount(), "custom DTIs");
                customDtis.forEach(dti -> out.bits(2, dti));
            }
            if (customFdiffs != null) {
                for (int fdiff : customFdiffs) {
                    if (fdiff < 1 || fdiff > 4096) {
                        throw new IllegalArgumentException("frame diff " + fdiff + " outside 1..4096");
                    }
                    int size = fdiff - 1 < 16 ? 1 : fdiff - 1 < 256 ? 2 : 3;
                    out.bits(2, size);
                    out.bits(4 * size, fdiff - 1);
                }
                out.bits(2, 0);
            }
            if (customChains != null) {
                requireSize(customChains, s.chainCount(), "custom chain diffs");
                customChains.forEach(diff -> out.bits(8, diff));
            }
        }

        private static void requireSize(List<Integer> values, int expected, String what) {
            if (values.size() != expected) {
                throw new IllegalArgumentException(what + ": " + values.size() + " values, expected " + expected);
            }
        }
    }
}
