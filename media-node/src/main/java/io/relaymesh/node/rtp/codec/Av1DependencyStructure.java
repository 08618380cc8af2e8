package io.relaymesh.node.rtp.codec;

import io.relaymesh.node.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The template dependency structure of the AV1 RTP dependency descriptor (AV1 RTP specification, appendix A.4,
 * {@code template_dependency_structure()}): the frame templates with their spatial and temporal ids, decode target
 * indications, reference frame differences and chain differences, the chains protecting each decode target, and
 * optionally the render resolution per spatial layer. It arrives in the first packet of a coded video sequence
 * (a keyframe), so it is parsed into objects; per-packet code reads it through the flat accessors, which do not
 * allocate.
 *
 * <pre>
 * template_id_offset f(6) | dtis_cnt_minus_one f(5)
 * template_layers:  next_layer_idc f(2) per template (0 same layer, 1 temporal+1, 2 spatial+1, 3 end)
 * template_dtis:    f(2) per template and decode target
 * template_fdiffs:  per template (fdiff_follows_flag f(1), fdiff_minus_one f(4))*, then a 0 flag
 * template_chains:  chains_cnt ns(DtisCnt+1); if > 0: decode_target_protected_by ns(chains_cnt) per decode
 *                   target, template_chain_fdiff f(4) per template and chain
 * resolutions_present_flag f(1); if set: max_render_width_minus_1 f(16), max_render_height_minus_1 f(16) per
 *                   spatial layer
 * </pre>
 */
public final class Av1DependencyStructure {

    /** Decode target indications (table A.2). */
    public static final int DTI_NOT_PRESENT = 0;
    public static final int DTI_DISCARDABLE = 1;
    public static final int DTI_SWITCH = 2;
    public static final int DTI_REQUIRED = 3;

    static final int MAX_TEMPLATE_ID = 63;
    static final int MAX_TEMPLATES = MAX_TEMPLATE_ID + 1;
    static final int MAX_SPATIAL_ID = 3;
    static final int MAX_TEMPORAL_ID = 7;
    static final int MAX_DECODE_TARGETS = 32;
    static final int MAX_TEMPLATE_FDIFF = 16;
    static final int MAX_TEMPLATE_CHAIN_FDIFF = 15;

    private static final int NEXT_SAME = 0;
    private static final int NEXT_TEMPORAL = 1;
    private static final int NEXT_SPATIAL = 2;
    private static final int NEXT_NONE = 3;

    /**
     * One frame dependency template.
     *
     * @param dtis        one decode target indication per decode target
     * @param fdiffs      frame number differences (1..16) to the frames it references
     * @param chainFdiffs one difference (0..15) per chain to the previous frame of that chain
     */
    public record Template(int spatialId, int temporalId, List<Integer> dtis, List<Integer> fdiffs,
                           List<Integer> chainFdiffs) {

        public Template {
            dtis = List.copyOf(dtis);
            fdiffs = List.copyOf(fdiffs);
            chainFdiffs = List.copyOf(chainFdiffs);
        }
    }

    private final int templateIdOffset;
    private final int decodeTargetCount;
    private final List<Template> templates;
    private final int chainCount;
    private final int[] protectedBy;
    private final int[] widths;
    private final int[] heights;
    // Flat copies for the per-packet path.
    private final int[] templateSpatial;
    private final int[] templateTemporal;
    private final int[] templateDtis;
    private final int[] templateFdiffCounts;
    private final int[] templateFdiffs;
    private final int[] templateChainFdiffs;
    private final int[] decodeTargetSpatial;
    private final int[] decodeTargetTemporal;
    private final int maxSpatialId;

    /**
     * @param protectedBy the chain protecting each decode target (empty when {@code chainCount} is 0)
     * @param widths      render width per spatial layer, or empty without resolutions
     * @param heights     render height per spatial layer, same length as {@code widths}
     * @throws IllegalArgumentException when the structure cannot be encoded (see the field limits above)
     */
    public Av1DependencyStructure(int templateIdOffset, int decodeTargetCount, List<Template> templates, int chainCount,
                                  int[] protectedBy, int[] widths, int[] heights) {
        String problem = check(templateIdOffset, decodeTargetCount, templates, chainCount, protectedBy, widths, heights);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        this.templateIdOffset = templateIdOffset;
        this.decodeTargetCount = decodeTargetCount;
        this.templates = List.copyOf(templates);
        this.chainCount = chainCount;
        this.protectedBy = protectedBy.clone();
        this.widths = widths.clone();
        this.heights = heights.clone();
        int n = templates.size();
        templateSpatial = new int[n];
        templateTemporal = new int[n];
        templateDtis = new int[n * decodeTargetCount];
        templateFdiffCounts = new int[n];
        templateFdiffs = new int[n * MAX_TEMPLATE_FDIFF];
        templateChainFdiffs = new int[n * Math.max(chainCount, 1)];
        decodeTargetSpatial = new int[decodeTargetCount];
        decodeTargetTemporal = new int[decodeTargetCount];
        Arrays.fill(decodeTargetSpatial, -1);
        Arrays.fill(decodeTargetTemporal, -1);
        int maxSpatial = 0;
        for (int t = 0; t < n; t++) {
            Template template = templates.get(t);
            templateSpatial[t] = template.spatialId();
            templateTemporal[t] = template.temporalId();
            maxSpatial = Math.max(maxSpatial, template.spatialId());
            for (int d = 0; d < decodeTargetCount; d++) {
                int dti = template.dtis().get(d);
                templateDtis[t * decodeTargetCount + d] = dti;
                if (dti != DTI_NOT_PRESENT) {
                    decodeTargetSpatial[d] = Math.max(decodeTargetSpatial[d], template.spatialId());
                    decodeTargetTemporal[d] = Math.max(decodeTargetTemporal[d], template.temporalId());
                }
            }
            templateFdiffCounts[t] = template.fdiffs().size();
            for (int i = 0; i < template.fdiffs().size(); i++) {
                templateFdiffs[t * MAX_TEMPLATE_FDIFF + i] = template.fdiffs().get(i);
            }
            for (int c = 0; c < chainCount; c++) {
                templateChainFdiffs[t * chainCount + c] = template.chainFdiffs().get(c);
            }
        }
        maxSpatialId = maxSpatial;
    }

    private static String check(int templateIdOffset, int decodeTargetCount, List<Template> templates, int chainCount,
                                int[] protectedBy, int[] widths, int[] heights) {
        if (templateIdOffset < 0 || templateIdOffset > MAX_TEMPLATE_ID) {
            return "template id offset " + templateIdOffset + " outside 0..63";
        }
        if (decodeTargetCount < 1 || decodeTargetCount > MAX_DECODE_TARGETS) {
            return decodeTargetCount + " decode targets, expected 1..32";
        }
        if (templates.isEmpty() || templates.size() > MAX_TEMPLATES) {
            return templates.size() + " templates, expected 1..64";
        }
        if (chainCount < 0 || chainCount > decodeTargetCount) {
            return chainCount + " chains for " + decodeTargetCount + " decode targets";
        }
        if (protectedBy.length != (chainCount == 0 ? 0 : decodeTargetCount)) {
            return "one protecting chain per decode target expected, got " + protectedBy.length;
        }
        for (int chain : protectedBy) {
            if (chain < 0 || chain >= chainCount) {
                return "decode target protected by chain " + chain + " of " + chainCount;
            }
        }
        int spatial = 0;
        int temporal = 0;
        for (int t = 0; t < templates.size(); t++) {
            Template template = templates.get(t);
            int s = template.spatialId();
            int tid = template.temporalId();
            boolean follows = t == 0 ? s == 0 && tid == 0
                    : (s == spatial && (tid == temporal || tid == temporal + 1)) || (s == spatial + 1 && tid == 0);
            if (!follows || s > MAX_SPATIAL_ID || tid > MAX_TEMPORAL_ID) {
                return "template " + t + " (S" + s + "T" + tid + ") does not follow S" + spatial + "T" + temporal
                        + " in layer order";
            }
            spatial = s;
            temporal = tid;
            if (template.dtis().size() != decodeTargetCount) {
                return "template " + t + " has " + template.dtis().size() + " DTIs for " + decodeTargetCount
                        + " decode targets";
            }
            for (int dti : template.dtis()) {
                if (dti < DTI_NOT_PRESENT || dti > DTI_REQUIRED) {
                    return "template " + t + " DTI " + dti + " outside 0..3";
                }
            }
            if (template.fdiffs().size() >= MAX_TEMPLATE_FDIFF) {
                return "template " + t + " has " + template.fdiffs().size() + " frame diffs";
            }
            for (int fdiff : template.fdiffs()) {
                if (fdiff < 1 || fdiff > MAX_TEMPLATE_FDIFF) {
                    return "template " + t + " frame diff " + fdiff + " outside 1..16";
                }
            }
            if (template.chainFdiffs().size() != chainCount) {
                return "template " + t + " has " + template.chainFdiffs().size() + " chain diffs for " + chainCount
                        + " chains";
            }
            for (int diff : template.chainFdiffs()) {
                if (diff < 0 || diff > MAX_TEMPLATE_CHAIN_FDIFF) {
                    return "template " + t + " chain diff " + diff + " outside 0..15";
                }
            }
        }
        if (widths.length != heights.length || (widths.length != 0 && widths.length != spatial + 1)) {
            return "resolutions for " + widths.length + "/" + heights.length + " layers, expected " + (spatial + 1);
        }
        for (int i = 0; i < widths.length; i++) {
            if (widths[i] < 1 || widths[i] > 65536 || heights[i] < 1 || heights[i] > 65536) {
                return "resolution " + widths[i] + "x" + heights[i] + " outside 1..65536";
            }
        }
        return null;
    }

    /** Reads {@code template_dependency_structure()} at the reader's position. */
    static Av1DependencyStructure read(BitReader in) throws ProtocolException {
        int offset = in.bits(6, "template_id_offset");
        int dtCount = in.bits(5, "dtis_cnt_minus_one") + 1;
        int[] spatial = new int[MAX_TEMPLATES];
        int[] temporal = new int[MAX_TEMPLATES];
        int count = 0;
        int s = 0;
        int t = 0;
        int next;
        do {
            if (count == MAX_TEMPLATES) {
                throw new ProtocolException("AV1 dependency structure has more than 64 templates");
            }
            spatial[count] = s;
            temporal[count] = t;
            count++;
            next = in.bits(2, "next_layer_idc");
            if (next == NEXT_TEMPORAL) {
                t++;
            } else if (next == NEXT_SPATIAL) {
                t = 0;
                s++;
            }
            if (s > MAX_SPATIAL_ID || t > MAX_TEMPORAL_ID) {
                throw new ProtocolException("AV1 dependency structure template layer S" + s + "T" + t
                        + " beyond S3T7");
            }
        } while (next != NEXT_NONE);
        int[][] dtis = new int[count][dtCount];
        for (int i = 0; i < count; i++) {
            for (int d = 0; d < dtCount; d++) {
                dtis[i][d] = in.bits(2, "template_dti");
            }
        }
        List<List<Integer>> fdiffs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            List<Integer> diffs = new ArrayList<>();
            while (in.flag("fdiff_follows_flag")) {
                if (diffs.size() == MAX_TEMPLATE_FDIFF - 1) {
                    throw new ProtocolException("AV1 dependency structure template " + i + " has more than 15 frame diffs");
                }
                diffs.add(in.bits(4, "fdiff_minus_one") + 1);
            }
            fdiffs.add(diffs);
        }
        int chains = in.nonSymmetric(dtCount + 1, "chains_cnt");
        int[] protectedBy = new int[chains == 0 ? 0 : dtCount];
        int[][] chainFdiffs = new int[count][chains];
        if (chains > 0) {
            for (int d = 0; d < dtCount; d++) {
                protectedBy[d] = in.nonSymmetric(chains, "decode_target_protected_by");
            }
            for (int i = 0; i < count; i++) {
                for (int c = 0; c < chains; c++) {
                    chainFdiffs[i][c] = in.bits(4, "template_chain_fdiff");
                }
            }
        }
        int[] widths = new int[0];
        int[] heights = new int[0];
        if (in.flag("resolutions_present_flag")) {
            widths = new int[s + 1];
            heights = new int[s + 1];
            for (int i = 0; i <= s; i++) {
                widths[i] = in.bits(16, "max_render_width_minus_1") + 1;
                heights[i] = in.bits(16, "max_render_height_minus_1") + 1;
            }
        }
        List<Template> templates = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            templates.add(new Template(spatial[i], temporal[i], Arrays.stream(dtis[i]).boxed().toList(),
                    fdiffs.get(i), Arrays.stream(chainFdiffs[i]).boxed().toList()));
        }
        try {
            return new Av1DependencyStructure(offset, dtCount, templates, chains, protectedBy, widths, heights);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("AV1 dependency structure invalid: " + e.getMessage());
        }
    }

    /** Writes {@code template_dependency_structure()}, the inverse of {@link #read}. */
    void write(BitWriter out) {
        out.bits(6, templateIdOffset);
        out.bits(5, decodeTargetCount - 1);
        for (int t = 0; t < templates.size(); t++) {
            int next = NEXT_NONE;
            if (t + 1 < templates.size()) {
                Template following = templates.get(t + 1);
                next = following.spatialId() != templateSpatial[t] ? NEXT_SPATIAL
                        : following.temporalId() != templateTemporal[t] ? NEXT_TEMPORAL : NEXT_SAME;
            }
            out.bits(2, next);
        }
        for (int dti : templateDtis) {
            out.bits(2, dti);
        }
        for (Template template : templates) {
            for (int fdiff : template.fdiffs()) {
                out.flag(true);
                out.bits(4, fdiff - 1);
            }
            out.flag(false);
        }
        out.nonSymmetric(decodeTargetCount + 1, chainCount);
        if (chainCount > 0) {
            for (int chain : protectedBy) {
                out.nonSymmetric(chainCount, chain);
            }
            for (int t = 0; t < templates.size(); t++) {
                for (int c = 0; c < chainCount; c++) {
                    out.bits(4, templateChainFdiffs[t * chainCount + c]);
                }
            }
        }
        out.flag(widths.length > 0);
        for (int i = 0; i < widths.length; i++) {
            out.bits(16, widths[i] - 1);
            out.bits(16, heights[i] - 1);
        }
    }

    public int templateIdOffset() {
        return templateIdOffset;
    }

    public int decodeTargetCount() {
        return decodeTargetCount;
    }

    public List<Template> templates() {
        return templates;
    }

    public int templateCount() {
        return templates.size();
    }

    public int chainCount() {
        return chainCount;
    }

    /** The chain protecting decode target {@code decodeTarget}; only when {@link #chainCount()} is positive. */
    public int protectedBy(int decodeTarget) {
        return protectedBy[Objects.checkIndex(decodeTarget, protectedBy.length)];
    }

    public boolean hasResolutions() {
        return widths.length > 0;
    }

    public int width(int spatialId) {
        return widths[Objects.checkIndex(spatialId, widths.length)];
    }

    public int height(int spatialId) {
        return heights[Objects.checkIndex(spatialId, heights.length)];
    }

    /** Highest spatial id of any template. */
    public int maxSpatialId() {
        return maxSpatialId;
    }

    /** Index of the template a frame's {@code frame_dependency_template_id} names, or -1 when outside this structure. */
    public int templateIndex(int templateId) {
        int index = (templateId + MAX_TEMPLATES - templateIdOffset) % MAX_TEMPLATES;
        return index < templates.size() ? index : -1;
    }

    public int templateSpatialId(int templateIndex) {
        return templateSpatial[templateIndex];
    }

    public int templateTemporalId(int templateIndex) {
        return templateTemporal[templateIndex];
    }

    public int templateDti(int templateIndex, int decodeTarget) {
        return templateDtis[templateIndex * decodeTargetCount + decodeTarget];
    }

    public int templateFdiffCount(int templateIndex) {
        return templateFdiffCounts[templateIndex];
    }

    public int templateFdiff(int templateIndex, int index) {
        return templateFdiffs[templateIndex * MAX_TEMPLATE_FDIFF + index];
    }

    public int templateChainFdiff(int templateIndex, int chain) {
        return templateChainFdiffs[templateIndex * chainCount + chain];
    }

    /** Highest spatial id among the frames of a decode target (-1 when no template belongs to it). */
    public int decodeTargetSpatialId(int decodeTarget) {
        return decodeTargetSpatial[decodeTarget];
    }

    /** Highest temporal id among the frames of a decode target (-1 when no template belongs to it). */
    public int decodeTargetTemporalId(int decodeTarget) {
        return decodeTargetTemporal[decodeTarget];
    }

    /**
     * The decode target to forward for a viewer limited to {@code spatial} and {@code temporal} layers: among the
     * active ones ({@code activeMask} bit i for decode target i), the one with the highest spatial id, then the
     * highest temporal id, within the limits; the lowest active one when none fits; -1 when none is active.
     */
    public int chooseDecodeTarget(int spatial, int temporal, int activeMask) {
        int best = -1;
        int lowest = -1;
        for (int d = 0; d < decodeTargetCount; d++) {
            if ((activeMask & (1 << d)) == 0 || decodeTargetSpatial[d] < 0) {
                continue;
            }
            int s = decodeTargetSpatial[d];
            int t = decodeTargetTemporal[d];
            if (lowest < 0 || s < decodeTargetSpatial[lowest]
                    || (s == decodeTargetSpatial[lowest] && t < decodeTargetTemporal[lowest])) {
                lowest = d;
            }
            if (s <= spatial && t <= temporal && (best < 0 || s > decodeTargetSpatial[best]
                    || (s == decodeTargetSpatial[best] && t > decodeTargetTemporal[best]))) {
                best = d;
            }
        }
        return best >= 0 ? best : lowest;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Av1DependencyStructure that && templateIdOffset == that.templateIdOffset
                && decodeTargetCount == that.decodeTargetCount && chainCount == that.chainCount
                && templates.equals(that.templates) && Arrays.equals(protectedBy, that.protectedBy)
                && Arrays.equals(widths, that.widths) && Arrays.equals(heights, that.heights);
    }

    @Override
    public int hashCode() {
        return Objects.hash(templateIdOffset, decodeTargetCount, templates, chainCount, Arrays.hashCode(protectedBy),
                Arrays.hashCode(widths));
    }

    @Override
    public String toString() {
        return "Av1DependencyStructure[offset=" + templateIdOffset + ", decodeTargets=" + decodeTargetCount
                + ", templates=" + templates + ", chains=" + chainCount + ", protectedBy="
                + Arrays.toString(protectedBy) + ", widths=" + Arrays.toString(widths) + ", heights="
                + Arrays.toString(heights) + "]";
    }
}
