package io.relaymesh.node.rtp.codec;

import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtp.RtpPacket;

/**
 * Temporal layer selection for one viewer of one VP8 stream (RFC 7741 section 4.2: TID, Y, TL0PICIDX). Frames
 * whose TID is above the current level are dropped. The level changes only at the start of a frame: down to the
 * target at once (the next frame), up only where the stream allows it: a keyframe (everything after it is
 * decodable) or a frame with the Y bit (a layer sync point: it depends on base layer frames only), up to that
 * frame's TID. A stream without TID (not temporally layered) passes whole. Malformed descriptors are dropped.
 *
 * <p>VP8 has no spatial layers within a stream (simulcast is handled by the caller), so the spatial target is
 * ignored. Event loop only; no allocation per packet.
 */
public final class Vp8TemporalFilter implements LayerFilter {

    /** VP8's TID field is two bits. */
    static final int MAX_TEMPORAL_ID = 3;

    private final Vp8PayloadDescriptor descriptor = new Vp8PayloadDescriptor();
    private int target = MAX_TEMPORAL_ID;
    private int level = -1;
    private int highestSeen = -1;
    private long malformed;

    @Override
    public void setTarget(int spatial, int temporal) {
        target = Math.max(0, Math.min(temporal, MAX_TEMPORAL_ID));
    }

    @Override
    public boolean accept(RtpPacket packet, long nowNanos) {
        int start = packet.payloadOffset();
        try {
            descriptor.wrap(packet.buffer(), start, start + packet.payloadLength());
        } catch (ProtocolException e) {
            malformed++;
            return false;
        }
        int tid = descriptor.temporalId();
        if (tid < 0) {
            level = 0;
            highestSeen = 0;
            return true;
        }
        highestSeen = Math.max(highestSeen, tid);
        if (descriptor.startOfFrame()) {
            if (descriptor.keyFrame()) {
                level = target;
            } else if (level > target) {
                level = target;
            } else if (tid > level && tid <= target && (descriptor.layerSync() || tid == 0)) {
                level = tid;
            }
        }
        return level >= 0 && tid <= level;
    }

    @Override
    public int spatial() {
        return level < 0 ? -1 : 0;
    }

    /** The highest temporal layer forwarded now (never above the highest the stream has shown). */
    @Override
    public int temporal() {
        return level < 0 ? -1 : Math.min(level, highestSeen);
    }

    @Override
    public boolean wantsKeyframe() {
        return false;
    }

    /** Packets dropped because their descriptor could not be read. */
    public long malformed() {
        return malformed;
    }
}
