package io.relaymesh.node.sfu;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.rtp.RtpPacket;
import java.util.Arrays;

/**
 * One stream a publisher sends into a room, and the viewers' {@link DownTrack}s it fans out to.
 *
 * <p>The forwarding step: account the packet (receiver statistics, loss detection), keep it for
 * retransmission, then hand the same plaintext packet to every attached down track, which copies and rewrites
 * it for its viewer. Event loop only; no allocation per packet (the down-track array is replaced only when
 * viewers come and go).
 */
final class PublishedTrack {

    private static final DownTrack[] NONE = new DownTrack[0];
    /** Keyframe requests to the publisher: at most one per this interval per track. */
    static final long KEYFRAME_REQUEST_INTERVAL_NANOS = 100_000_000L;
    /** Packets older than this are not worth retransmitting. */
    static final long RETRANSMIT_MAX_AGE_NANOS = 1_000_000_000L;

    private final String id;
    private final TrackSource source;
    private final MediaKind kind;
    private final MediaSpec media;
    private final int ssrc;
    private final int epoch;
    private final ReceiveStatistics statistics;
    private final NackTracker nacks;
    private final RetransmissionBuffer retransmissions;
    private CodecSpec codec;
    private int rtxSsrc;
    private DownTrack[] downTracks = NONE;
    private long lastKeyframeRequestNanos = Long.MIN_VALUE / 2;
    private boolean ended;
    private long packets;
    private long bytes;
    private long keyframes;
    private long keyframeRequests;
    // Last sender report of this stream: maps its RTP clock to wall clock for the viewers' sender reports.
    private long srNtp;
    private int srRtp;
    private long srArrivalNanos;
    private boolean haveSr;

    PublishedTrack(String id, TrackSource source, MediaSpec media, CodecSpec codec, int ssrc, int epoch) {
        this.id = id;
        this.source = source;
        this.kind = media.kind();
        this.media = media;
        this.codec = codec;
        this.ssrc = ssrc;
        this.epoch = epoch;
        this.statistics = new ReceiveStatistics(codec.clockRate());
        this.nacks = kind == MediaKind.VIDEO && media.nack() ? NackTracker.forVideo() : null;
        this.retransmissions = kind == MediaKind.VIDEO
                ? new RetransmissionBuffer(1024, RETRANSMIT_MAX_AGE_NANOS)
                : new RetransmissionBuffer(128, RETRANSMIT_MAX_AGE_NANOS);
    }

    /** Forwards one plaintext packet (wrapped in {@code rtp}) to every viewer. */
    void onRtp(RtpPacket rtp, long nowNanos) {
        if (ended) {
            return;
        }
        ByteBuf buffer = rtp.buffer();
        int seq = rtp.sequenceNumber();
        if (rtp.payloadType() != codec.payloadType()) {
            CodecSpec other = media.codecByPayloadType(rtp.payloadType());
            if (other == null) {
                return;
            }
            codec = other; // the publisher switched codec within its negotiation
        }
        statistics.onPacket(seq, rtp.timestamp(), nowNanos);
        if (nacks != null && nacks.onPacket(seq, nowNanos)) {
            requestKeyframe(nowNanos);
        }
        packets++;
        bytes += rtp.payloadLength();
        retransmissions.store(seq, buffer, nowNanos);
        boolean keyframe = kind == MediaKind.VIDEO
                && KeyframeDetector.isKeyframeStart(codec.codec(), buffer, rtp.payloadOffset(), rtp.payloadLength());
        if (keyframe) {
            keyframes++;
        }
        DownTrack[] targets = downTracks;
        for (DownTrack target : targets) {
            target.forward(this, rtp, keyframe, nowNanos);
        }
    }

    /** Asks the source for a keyframe unless one was asked for within the last 100 ms. */
    void requestKeyframe(long nowNanos) {
        if (ended || nowNanos - lastKeyframeRequestNanos < KEYFRAME_REQUEST_INTERVAL_NANOS) {
            return;
        }
        lastKeyframeRequestNanos = nowNanos;
        keyframeRequests++;
        source.sendKeyframeRequest(this);
    }

    /** A packet kept for retransmission, or null (lent: valid during the current event-loop task). */
    ByteBuf retransmission(int seq, long nowNanos) {
        return retransmissions.get(seq, nowNanos);
    }

    /** Sequence numbers to NACK upstream now. */
    int dueNacks(long nowNanos, int[] out) {
        return nacks == null ? 0 : nacks.due(nowNanos, out);
    }

    void onSenderReport(long ntp, int rtpTimestamp, long nowNanos) {
        srNtp = ntp;
        srRtp = rtpTimestamp;
        srArrivalNanos = nowNanos;
        haveSr = true;
        statistics.onSenderReport(ntp, nowNanos);
    }

    void attach(DownTrack downTrack) {
        DownTrack[] next = Arrays.copyOf(downTracks, downTracks.length + 1);
        next[downTracks.length] = downTrack;
        downTracks = next;
    }

    void detach(DownTrack downTrack) {
        int index = -1;
        for (int i = 0; i < downTracks.length; i++) {
            if (downTracks[i] == downTrack) {
                index = i;
                break;
            }
        }
        if (index < 0) {
            return;
        }
        DownTrack[] next = new DownTrack[downTracks.length - 1];
        System.arraycopy(downTracks, 0, next, 0, index);
        System.arraycopy(downTracks, index + 1, next, index, downTracks.length - index - 1);
        downTracks = next.length == 0 ? NONE : next;
    }

    /** Stops forwarding and frees the retransmission cache. */
    void end() {
        ended = true;
        retransmissions.clear();
    }

    boolean ended() {
        return ended;
    }

    String id() {
        return id;
    }

    /** The session that publishes it: the part of the track id before the colon. */
    String sessionId() {
        int colon = id.indexOf(':');
        return colon < 0 ? id : id.substring(0, colon);
    }

    TrackSource source() {
        return source;
    }

    MediaKind kind() {
        return kind;
    }

    MediaSpec media() {
        return media;
    }

    CodecSpec codec() {
        return codec;
    }

    int ssrc() {
        return ssrc;
    }

    int rtxSsrc() {
        return rtxSsrc;
    }

    void rtxSsrc(int value) {
        rtxSsrc = value;
    }

    int epoch() {
        return epoch;
    }

    ReceiveStatistics statistics() {
        return statistics;
    }

    DownTrack[] downTracks() {
        return downTracks;
    }

    long packets() {
        return packets;
    }

    long bytes() {
        return bytes;
    }

    long keyframes() {
        return keyframes;
    }

    long keyframeRequests() {
        return keyframeRequests;
    }

    boolean hasSenderReport() {
        return haveSr;
    }

    long senderReportNtp() {
        return srNtp;
    }

    int senderReportRtp() {
        return srRtp;
    }

    long senderReportArrivalNanos() {
        return srArrivalNanos;
    }
}
