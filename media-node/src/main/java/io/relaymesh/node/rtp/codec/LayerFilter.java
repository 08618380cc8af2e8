package io.relaymesh.node.rtp.codec;

import io.relaymesh.node.rtp.RtpPacket;

/**
 * What one viewer receives of one scalable video stream (a single SSRC carrying several layers: VP8 temporal
 * layers, VP9 SVC, AV1 with a dependency descriptor). The SFU keeps one filter per viewer and stream, sets the
 * target the viewer's bandwidth allows, and asks the filter packet by packet; the filter moves to the target only
 * at the points the codec allows (temporal down at once, temporal up at a switching point, spatial up on a
 * keyframe or a spatial switching point).
 *
 * <p>Event loop only; no allocation per packet.
 */
public interface LayerFilter {

    /** The layers to reach, 0-based and inclusive; larger values than the stream has mean "all". */
    void setTarget(int spatial, int temporal);

    /**
     * Decides for one plaintext packet of the stream whether the viewer gets it, and moves towards the target
     * where this packet allows it.
     *
     * @return true to forward the packet
     */
    boolean accept(RtpPacket packet, long nowNanos);

    /** Spatial layer currently forwarded (the highest one), -1 before the first decision. */
    int spatial();

    /** Temporal layer currently forwarded (the highest one), -1 before the first decision. */
    int temporal();

    /** True while a spatial up-switch waits for a keyframe (the SFU then asks the publisher for one). */
    boolean wantsKeyframe();
}
