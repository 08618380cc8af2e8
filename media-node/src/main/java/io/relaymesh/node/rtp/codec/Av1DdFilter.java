package io.relaymesh.node.rtp.codec;

import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtp.RtpPacket;

/**
 * Layer selection for one viewer of an AV1 stream that carries the dependency descriptor (AV1 RTP specification,
 * appendix A), without reading the payload.
 *
 * <p>The target (spatial, temporal) picks a decode target of the structure in force
 * ({@link Av1DependencyStructure#chooseDecodeTarget}, among the active ones). A frame is forwarded when its
 * decode target indication for the current decode target is not "not present" and every frame it references
 * (its frame diffs) was forwarded, so the viewer never gets a frame it cannot decode. The filter moves to another
 * decode target at a frame that is decodable and either carries a switch indication for it (A.4.4; required
 * for any switch up) or, for a switch down, at any frame whose chain difference for the chain protecting the new
 * decode target points to a forwarded frame (the chain is intact, A.4.3). A structure arriving with a keyframe resets the choice.
 *
 * <p>Forwarded packets keep their descriptor as it is: frame numbers then have gaps where frames were dropped,
 * which receivers tolerate because decodability is described by frame diffs and chains, not by consecutive
 * numbers (libwebrtc's receiver resolves references from the frame diffs). The active decode targets bitmask is
 * not rewritten either. The RTP marker must end the forwarded part of each temporal unit: see
 * {@link #markerOverride()}.
 *
 * <p>{@link #wantsKeyframe()} is true while no structure is known, while the current decode target lost a frame
 * it needs, and while the chosen decode target has a higher spatial layer than the current one (in the common
 * scalability structures only a keyframe offers a spatial switch).
 *
 * <p>Event loop only; per packet it allocates nothing (only a newly attached structure is parsed into objects).
 */
public final class Av1DdFilter implements LayerFilter {

    /** Frame numbers remembered: twice the largest frame diff (4096) so a reference never aliases. */
    private static final int RING_BITS = 8192;
    private static final int RING_MASK = RING_BITS - 1;
    private static final int FRAME_NUMBER_MASK = 0xFFFF;

    private final int extensionId;
    private final Av1DependencyDescriptor descriptor = new Av1DependencyDescriptor();
    private final long[] forwarded = new long[RING_BITS / 64];
    private Av1DependencyStructure structure;
    private int activeMask;
    private int targetSpatial = Integer.MAX_VALUE;
    private int targetTemporal = Integer.MAX_VALUE;
    private int current = -1;
    private int chosen = -1;
    private boolean broken;
    private int newestFrame = -1;
    private int frameInProgress = -1;
    private boolean frameForwarded;
    private boolean marker;

    /** @param extensionId the publisher's RTP header extension id of the dependency descriptor */
    public Av1DdFilter(int extensionId) {
        if (extensionId < 1 || extensionId > RtpPacket.TWO_BYTE_MAX_ID) {
            throw new IllegalArgumentException("extension id " + extensionId + " outside 1..255");
        }
        this.extensionId = extensionId;
    }

    @Override
    public void setTarget(int spatial, int temporal) {
        targetSpatial = spatial;
        targetTemporal = temporal;
        choose();
    }

    private void choose() {
        chosen = structure == null ? -1 : structure.chooseDecodeTarget(targetSpatial, targetTemporal, activeMask);
    }

    @Override
    public boolean accept(RtpPacket packet, long nowNanos) {
        marker = false;
        int at = packet.findExtension(extensionId);
        if (at < 0) {
            return false;
        }
        try {
            descriptor.wrap(packet.buffer(), at, packet.extensionLength(extensionId), structure);
        } catch (ProtocolException e) {
            return false;
        }
        Av1DependencyStructure attached = descriptor.attachedStructure();
        if (attached != null && !attached.equals(structure)) {
            structure = attached;
            activeMask = descriptor.activeDecodeTargets();
            current = -1;
            broken = false;
            newestFrame = -1;
            frameInProgress = -1;
            java.util.Arrays.fill(forwarded, 0L);
            choose();
        }
        if (!descriptor.resolved()) {
            if (structure != null) {
                broken = true; // a structure we do not know replaced ours
            }
            return false;
        }
        if (descriptor.activeDecodeTargetsPresent() && descriptor.activeDecodeTargets() != activeMask) {
            activeMask = descriptor.activeDecodeTargets();
            choose();
        }
        int frame = descriptor.frameNumber();
        boolean forward;
        if (frame == frameInProgress) {
            forward = frameForwarded;
        } else {
            forward = decide(frame);
            remember(frame, forward);
            frameInProgress = frame;
            frameForwarded = forward;
        }
        if (forward && descriptor.endOfFrame()
                && descriptor.spatialId() == structure.decodeTargetSpatialId(current)) {
            marker = true;
        }
        return forward;
    }

    private boolean decide(int frame) {
        boolean referencesForwarded = referencesForwarded(frame);
        if (chosen >= 0 && chosen != current) {
            boolean down = current >= 0
                    && structure.decodeTargetSpatialId(chosen) <= structure.decodeTargetSpatialId(current)
                    && structure.decodeTargetTemporalId(chosen) <= structure.decodeTargetTemporalId(current);
            if ((referencesForwarded && descriptor.dti(chosen) == Av1DependencyStructure.DTI_SWITCH)
                    || (down && chainIntact(frame, chosen))) {
                current = chosen;
                broken = false;
            }
        }
        if (current < 0) {
            return false;
        }
        int dti = descriptor.dti(current);
        if (dti == Av1DependencyStructure.DTI_NOT_PRESENT) {
            return false;
        }
        if (!referencesForwarded) {
            if (dti != Av1DependencyStructure.DTI_DISCARDABLE) {
                broken = true;
            }
            return false;
        }
        if (dti == Av1DependencyStructure.DTI_SWITCH) {
            broken = false;
        }
        return true;
    }

    private boolean referencesForwarded(int frame) {
        for (int i = 0; i < descriptor.fdiffCount(); i++) {
            if (!wasForwarded((frame - descriptor.fdiff(i)) & FRAME_NUMBER_MASK)) {
                return false;
            }
        }
        return true;
    }

    private boolean chainIntact(int frame, int decodeTarget) {
        if (structure.chainCount() == 0) {
            return false;
        }
        int diff = descriptor.chainFdiff(structure.protectedBy(decodeTarget));
        return diff == 0 || wasForwarded((frame - diff) & FRAME_NUMBER_MASK);
    }

    private boolean wasForwarded(int frame) {
        int bit = frame & RING_MASK;
        return (forwarded[bit >>> 6] & (1L << bit)) != 0;
    }

    private void remember(int frame, boolean forward) {
        if (newestFrame < 0) {
            newestFrame = frame;
        } else {
            int ahead = (frame - newestFrame) & FRAME_NUMBER_MASK;
            if (ahead != 0 && ahead < 0x8000) {
                // Frame numbers skipped by the sender or lost: forget what their ring slots held.
                for (int n = 1; n < Math.min(ahead, RING_BITS); n++) {
                    set((newestFrame + n) & FRAME_NUMBER_MASK, false);
                }
                newestFrame = frame;
            }
        }
        set(frame, forward);
    }

    private void set(int frame, boolean value) {
        int bit = frame & RING_MASK;
        if (value) {
            forwarded[bit >>> 6] |= 1L << bit;
        } else {
            forwarded[bit >>> 6] &= ~(1L << bit);
        }
    }

    /**
     * True when the SFU must set the RTP marker on its copy of the packet just accepted: the last packet of the
     * highest forwarded spatial layer's frame, which ends what the viewer gets of the temporal unit when higher
     * layers are dropped (the publisher set the marker only on the temporal unit's very last packet). Setting
     * it on a packet that already has it is harmless.
     */
    public boolean markerOverride() {
        return marker;
    }

    /** The decode target forwarded now, -1 before the first switch. */
    public int decodeTarget() {
        return current;
    }

    /** The structure in force, or null before the first keyframe. */
    public Av1DependencyStructure structure() {
        return structure;
    }

    @Override
    public int spatial() {
        return current < 0 ? -1 : structure.decodeTargetSpatialId(current);
    }

    @Override
    public int temporal() {
        return current < 0 ? -1 : structure.decodeTargetTemporalId(current);
    }

    @Override
    public boolean wantsKeyframe() {
        if (structure == null || current < 0 || broken) {
            return true;
        }
        return chosen >= 0 && structure.decodeTargetSpatialId(chosen) > structure.decodeTargetSpatialId(current);
    }
}
