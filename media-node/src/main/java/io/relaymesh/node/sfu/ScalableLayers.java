package io.relaymesh.node.sfu;

import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtp.RtpPacket;
import io.relaymesh.node.rtp.codec.Av1DependencyDescriptor;
import io.relaymesh.node.rtp.codec.Av1DependencyStructure;
import io.relaymesh.node.rtp.codec.Vp9PayloadDescriptor;

/**
 * The layers inside one scalable stream as the publisher sends them (one SSRC with several spatial and temporal
 * layers: VP9 SVC, AV1 with the dependency descriptor): how many there are, their resolutions when the stream
 * says, and per (spatial, temporal) choice the bitrate a viewer at that choice receives ({@link LayerBitrates}).
 * Layer selection treats these choices like simulcast layers.
 *
 * <p>What a cell counts is what the SFU's layer filters forward:
 * <ul>
 *   <li>VP9 ({@code Vp9SvcFilter}): every layer frame with spatial id {@code <= s} and temporal id {@code <= t}.
 *       For full SVC (L3T3) that is exactly what the viewer decodes. For K-SVC (L3T3_KEY, upper layers depend on
 *       lower ones only at keyframes) the filter still forwards the lower layers, so the cell counts them too: it
 *       is what the viewer is sent, not the least it would need.</li>
 *   <li>AV1 ({@code Av1DdFilter}): the cell's decode target is the one the filter would choose
 *       ({@link Av1DependencyStructure#chooseDecodeTarget}); a frame counts when its decode target indication for it
 *       is not "not present". That is exact for full SVC and for K-SVC alike (in L3T3_KEY the lower layers' delta
 *       frames are not present in the upper decode targets).</li>
 * </ul>
 * The number of spatial layers comes from the latest VP9 scalability structure (keyframes, and pictures where the
 * publisher turned a layer on or off) or from the AV1 structure's templates; temporal layers from the temporal ids
 * seen in the last second. Event loop only; per packet nothing is
 * allocated (a newly attached AV1 structure is parsed into objects, once per keyframe that changes it).
 */
final class ScalableLayers {

    private final Vp9PayloadDescriptor vp9 = new Vp9PayloadDescriptor();
    private final Av1DependencyDescriptor dependencyDescriptor = new Av1DependencyDescriptor();
    /** The publisher's dependency descriptor extension id, -1 when not negotiated. */
    private final int av1ExtensionId;
    private final LayerBitrates bitrates = new LayerBitrates();
    private final int[] widths = new int[LayerBitrates.SPATIAL_IDS];
    private final int[] heights = new int[LayerBitrates.SPATIAL_IDS];
    /** AV1: the decode target counted in each cell, from the structure in force. */
    private final int[] cellTargets = new int[LayerBitrates.CELLS];
    private Av1DependencyStructure structure;
    /** Spatial layers the stream's own description announces, 0 while unknown. */
    private int announcedSpatialLayers;
    private boolean layered;

    /** @param av1ExtensionId the publisher's dependency descriptor extension id, -1 when it has none */
    ScalableLayers(int av1ExtensionId) {
        this.av1ExtensionId = av1ExtensionId;
    }

    /** Accounts one plaintext packet of codec {@code codec}; other codecs than VP9 and AV1 are ignored. */
    void onPacket(MediaCodec codec, RtpPacket rtp, long nowNanos) {
        if (codec == MediaCodec.VP9) {
            onVp9(rtp, nowNanos);
        } else if (codec == MediaCodec.AV1 && av1ExtensionId > 0) {
            onAv1(rtp, nowNanos);
        }
    }

    private void onVp9(RtpPacket rtp, long nowNanos) {
        try {
            vp9.wrap(rtp.buffer(), rtp.payloadOffset(), rtp.payloadOffset() + rtp.payloadLength());
        } catch (ProtocolException e) {
            return; // the filters drop it too
        }
        if (vp9.hasScalabilityStructure()) {
            announcedSpatialLayers = Math.min(vp9.spatialLayers(), LayerBitrates.SPATIAL_IDS);
            for (int s = 0; s < LayerBitrates.SPATIAL_IDS; s++) {
                boolean known = vp9.hasResolutions() && s < vp9.spatialLayers();
                widths[s] = known ? vp9.width(s) : 0;
                heights[s] = known ? vp9.height(s) : 0;
            }
        }
        int sid = Math.max(vp9.spatialId(), 0);
        int tid = Math.max(vp9.temporalId(), 0);
        layered |= vp9.spatialId() > 0 || vp9.temporalId() > 0 || announcedSpatialLayers > 1;
        bitrates.seen(sid, tid, nowNanos);
        int length = rtp.length();
        for (int s = Math.min(sid, LayerBitrates.SPATIAL_IDS - 1); s < LayerBitrates.SPATIAL_IDS; s++) {
            for (int t = Math.min(tid, LayerBitrates.TEMPORAL_IDS - 1); t < LayerBitrates.TEMPORAL_IDS; t++) {
                bitrates.add(LayerBitrates.cell(s, t), length, nowNanos);
            }
        }
    }

    private void onAv1(RtpPacket rtp, long nowNanos) {
        int at = rtp.findExtension(av1ExtensionId);
        if (at < 0) {
            return;
        }
        try {
            dependencyDescriptor.wrap(rtp.buffer(), at, rtp.extensionLength(av1ExtensionId), structure);
        } catch (ProtocolException e) {
            return;
        }
        Av1DependencyStructure attached = dependencyDescriptor.attachedStructure();
        if (attached != null && !attached.equals(structure)) {
            useStructure(attached);
        }
        if (!dependencyDescriptor.resolved()) {
            return;
        }
        int sid = dependencyDescriptor.spatialId();
        int tid = dependencyDescriptor.temporalId();
        layered |= sid > 0 || tid > 0 || announcedSpatialLayers > 1;
        bitrates.seen(sid, tid, nowNanos);
        int length = rtp.length();
        for (int c = 0; c < LayerBitrates.CELLS; c++) {
            int target = cellTargets[c];
            if (target >= 0 && dependencyDescriptor.dti(target) != Av1DependencyStructure.DTI_NOT_PRESENT) {
                bitrates.add(c, length, nowNanos);
            }
        }
    }

    private void useStructure(Av1DependencyStructure next) {
        structure = next;
        announcedSpatialLayers = Math.min(next.maxSpatialId() + 1, LayerBitrates.SPATIAL_IDS);
        int all = next.decodeTargetCount() >= 32 ? -1 : (1 << next.decodeTargetCount()) - 1;
        for (int s = 0; s < LayerBitrates.SPATIAL_IDS; s++) {
            boolean known = next.hasResolutions() && s <= next.maxSpatialId();
            widths[s] = known ? next.width(s) : 0;
            heights[s] = known ? next.height(s) : 0;
            for (int t = 0; t < LayerBitrates.TEMPORAL_IDS; t++) {
                cellTargets[LayerBitrates.cell(s, t)] = next.chooseDecodeTarget(s, t, all);
            }
        }
    }

    /** True once the stream has shown more than one layer (a spatial or temporal id above 0, or a structure). */
    boolean layered() {
        return layered;
    }

    /**
     * Spatial layers of the stream: what its description announces (VP9 keyframes, AV1 structure), else the
     * highest spatial id seen in the last second + 1; 0 while nothing is known.
     */
    int spatialLayers(long nowNanos) {
        return announcedSpatialLayers > 0 ? announcedSpatialLayers : bitrates.spatialLayers(nowNanos);
    }

    /** Whether layer {@code spatial} was sent in the last second (a publisher may drop its upper layers). */
    boolean spatialActive(int spatial, long nowNanos) {
        return bitrates.spatialActive(spatial, nowNanos);
    }

    /**
     * Whether layer {@code spatial} has been sent without a pause for the last second, so that the choices including
     * it read what they cost (see {@link LayerBitrates#spatialSteady}).
     */
    boolean spatialSteady(int spatial, long nowNanos) {
        return bitrates.spatialSteady(spatial, nowNanos);
    }

    /** Temporal layers sent in the last second (the highest temporal id + 1), 0 when silent. */
    int temporalLayers(long nowNanos) {
        return bitrates.temporalLayers(nowNanos);
    }

    /** Bits per second a viewer at (spatial, temporal) receives (over the last second). */
    long bitsPerSecond(int spatial, int temporal, long nowNanos) {
        return bitrates.bitsPerSecond(spatial, temporal, nowNanos);
    }

    /** Width of spatial layer {@code spatial} as the stream announced it, 0 when unknown. */
    int width(int spatial) {
        return spatial < 0 || spatial >= LayerBitrates.SPATIAL_IDS ? 0 : widths[spatial];
    }

    /** Height of spatial layer {@code spatial} as the stream announced it, 0 when unknown. */
    int height(int spatial) {
        return spatial < 0 || spatial >= LayerBitrates.SPATIAL_IDS ? 0 : heights[spatial];
    }
}
