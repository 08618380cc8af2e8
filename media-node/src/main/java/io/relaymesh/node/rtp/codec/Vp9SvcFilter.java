package io.relaymesh.node.rtp.codec;

import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtp.RtpPacket;
import java.util.Arrays;

/**
 * Layer selection for one viewer of a VP9 stream with spatial and temporal layers in one SSRC (RFC 9628), flexible
 * or non-flexible mode, read from the payload descriptor ({@link Vp9PayloadDescriptor}).
 *
 * <p>A layer frame (one spatial layer of one picture, the packets of one RTP timestamp and spatial id) is
 * forwarded when its spatial id is at most the current spatial layer, its temporal id at most the current
 * temporal layer, the lower spatial layer of the same picture was forwarded when it depends on it (D), and, in
 * flexible mode, every picture it references (its P_DIFFs) was forwarded in its spatial layer. The layers move:
 * <ul>
 *   <li>down, spatial and temporal, at the next picture: lower layers never reference higher ones;</li>
 *   <li>temporal up at a switching point: a layer frame with U set and a temporal id up to the target;</li>
 *   <li>spatial up one layer at a layer frame of that layer that is not inter-picture predicted (P=0; it may
 *       depend on the lower layer of its picture), or to the target at a keyframe.</li>
 * </ul>
 * The number of spatial layers comes from the scalability structure of any picture that carries one (keyframes,
 * and the first picture after the publisher turned a layer on or off), or from the layer frames seen above it.
 * While the target is above the current spatial layer and the stream has such a layer, {@link #wantsKeyframe()}
 * is true.
 * Until the first keyframe nothing is forwarded.
 *
 * <p>Forwarded packets keep their descriptor: the picture id stays the publisher's, so when temporal layers are
 * dropped the viewer sees gaps in picture ids. VP9 receivers tolerate that: in flexible mode references are
 * P_DIFFs from the picture id, which stay right across gaps; in non-flexible mode the receiver follows
 * TL0PICIDX and the group of pictures, and dropped pictures are ones no forwarded picture references. The
 * RTP marker bit must end each forwarded picture: see {@link #markerOverride()}.
 *
 * <p>Event loop only; no allocation per packet.
 */
public final class Vp9SvcFilter implements LayerFilter {

    static final int MAX_LAYER = 7;
    private static final int RING = 256;

    private final Vp9PayloadDescriptor vp9 = new Vp9PayloadDescriptor();
    /** Per spatial layer and picture id slot: the picture id forwarded there, or -1. */
    private final int[] forwardedPictures = new int[(MAX_LAYER + 1) * RING];
    private int targetSpatial = MAX_LAYER;
    private int targetTemporal = MAX_LAYER;
    private int spatial = -1;
    private int temporal = -1;
    private int spatialLayers;
    private int highestSeenSpatial;
    private int highestSeenTemporal;
    private boolean broken;
    private boolean inPicture;
    private int pictureTimestamp;
    private int pictureForwardedLayers;
    private int frameSpatial = -1;
    private boolean frameForwarded;
    private boolean marker;

    public Vp9SvcFilter() {
        Arrays.fill(forwardedPictures, -1);
    }

    @Override
    public void setTarget(int spatial, int temporal) {
        targetSpatial = Math.clamp(spatial, 0, MAX_LAYER);
        targetTemporal = Math.clamp(temporal, 0, MAX_LAYER);
    }

    @Override
    public boolean accept(RtpPacket packet, long nowNanos) {
        marker = false;
        try {
            vp9.wrap(packet.buffer(), packet.payloadOffset(), packet.payloadOffset() + packet.payloadLength());
        } catch (ProtocolException e) {
            return false;
        }
        int sid = Math.max(vp9.spatialId(), 0);
        int tid = Math.max(vp9.temporalId(), 0);
        noteSpatialLayers(sid);
        highestSeenSpatial = Math.max(highestSeenSpatial, sid);
        highestSeenTemporal = Math.max(highestSeenTemporal, tid);
        int timestamp = packet.timestamp();
        boolean forward;
        if (inPicture && timestamp == pictureTimestamp && sid == frameSpatial) {
            forward = frameForwarded;
        } else if (inPicture && timestamp != pictureTimestamp && timestamp - pictureTimestamp < 0) {
            // A late packet of an earlier picture: its layer frame was decided already, or never seen.
            forward = spatial >= 0 && sid <= spatial && tid <= temporal;
        } else {
            if (!inPicture || timestamp != pictureTimestamp) {
                startPicture(timestamp);
            }
            forward = decide(sid, tid);
            remember(sid, forward);
            frameSpatial = sid;
            frameForwarded = forward;
        }
        marker = forward && (packet.marker() || (vp9.endOfFrame() && sid == spatial));
        return forward;
    }

    private void startPicture(int timestamp) {
        inPicture = true;
        pictureTimestamp = timestamp;
        pictureForwardedLayers = 0;
        frameSpatial = -1;
        if (spatial >= 0) {
            spatial = Math.min(spatial, targetSpatial);
            temporal = Math.min(temporal, targetTemporal);
        }
    }

    private boolean decide(int sid, int tid) {
        if (vp9.keyFrame()) {
            spatial = Math.min(targetSpatial, topLayer());
            temporal = targetTemporal;
            broken = false;
        }
        if (spatial < 0) {
            return false;
        }
        boolean lowerLayerOk = !vp9.interLayerDependency() || sid == 0
                || (pictureForwardedLayers & (1 << (sid - 1))) != 0;
        boolean referencesOk = referencesForwarded(sid);
        if (tid > temporal && tid <= targetTemporal && vp9.switchingUp() && sid <= spatial && lowerLayerOk
                && referencesOk) {
            temporal = tid;
        }
        if (sid == spatial + 1 && sid <= targetSpatial && !vp9.interPicturePredicted() && tid <= temporal
                && lowerLayerOk) {
            spatial = sid;
        }
        if (sid > spatial || tid > temporal) {
            return false;
        }
        if (!lowerLayerOk || !referencesOk) {
            broken = true;
            return false;
        }
        return true;
    }

    /** In flexible mode, whether every picture a layer frame references was forwarded in its spatial layer. */
    private boolean referencesForwarded(int sid) {
        if (!vp9.flexible() || !vp9.interPicturePredicted() || vp9.pictureIdLength() == 0) {
            return true;
        }
        int mask = vp9.pictureIdLength() == 2 ? PictureIds.LONG_MASK : PictureIds.SHORT_MASK;
        int pictureId = vp9.pictureId();
        for (int i = 0; i < vp9.pDiffCount(); i++) {
            int reference = (pictureId - vp9.pDiff(i)) & mask;
            if (forwardedPictures[sid * RING + (reference & (RING - 1))] != reference) {
                return false;
            }
        }
        return true;
    }

    private void remember(int sid, boolean forward) {
        if (forward) {
            pictureForwardedLayers |= 1 << sid;
        }
        if (vp9.pictureIdLength() > 0) {
            int pictureId = vp9.pictureId();
            forwardedPictures[sid * RING + (pictureId & (RING - 1))] = forward ? pictureId : -1;
        }
    }

    /**
     * Keeps the number of spatial layers the publisher sends current. A scalability structure says it, on keyframes
     * and also on the first picture after the encoder turned a spatial layer on or off (a sender under a rising
     * estimate adds layers without a keyframe); a layer frame above the announced layers proves more. Reading it
     * only from keyframes once left a viewer on layer 0 for good: its target was layer 1, but the stale count said
     * there was nothing to ask a keyframe for.
     */
    private void noteSpatialLayers(int sid) {
        if (vp9.hasScalabilityStructure()) {
            spatialLayers = vp9.spatialLayers();
        }
        if (spatialLayers > 0 && sid >= spatialLayers) {
            spatialLayers = sid + 1;
        }
    }

    private int topLayer() {
        return spatialLayers > 0 ? spatialLayers - 1 : MAX_LAYER;
    }

    /**
     * True when the SFU must set the RTP marker on its copy of the packet just accepted: it ends the highest
     * forwarded spatial layer of its picture (E set), so it is the last packet the viewer gets of that picture
     * although the publisher marked only the top layer's last packet. Setting it where it is already set is
     * harmless.
     */
    public boolean markerOverride() {
        return marker;
    }

    @Override
    public int spatial() {
        return spatial;
    }

    /** The temporal layer forwarded, at most the highest temporal id the stream has shown (a target of "all" is not a layer). */
    @Override
    public int temporal() {
        return spatial < 0 ? -1 : Math.min(temporal, highestSeenTemporal);
    }

    @Override
    public boolean wantsKeyframe() {
        if (spatial < 0 || broken) {
            return true;
        }
        int available = spatialLayers > 0 ? spatialLayers - 1 : highestSeenSpatial;
        return Math.min(targetSpatial, available) > spatial;
    }
}
