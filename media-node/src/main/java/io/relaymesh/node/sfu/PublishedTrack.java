package io.relaymesh.node.sfu;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtp.RtpPacket;
import io.relaymesh.node.rtp.codec.Av1DependencyDescriptor;
import io.relaymesh.node.rtp.codec.H264Resolution;
import io.relaymesh.node.rtp.codec.Vp8PayloadDescriptor;

/**
 * One stream a publisher sends into a room (one SSRC: a plain track, or one simulcast layer of a track), and the
 * viewers' {@link DownTrack}s it fans out to. The layers of a track share a {@link TrackLayers}; the first one
 * learned stands for the track in the room.
 *
 * <p>The forwarding step: account the packet (receiver statistics, loss detection, bitrate per temporal layer,
 * resolution from VP8 keyframes; for VP9 and AV1 the layers inside the stream, {@link ScalableLayers}), keep it for retransmission, then hand the same plaintext packet to every down
 * track of the track, which decides whether its viewer gets this layer and copies and rewrites it. Event loop only;
 * no allocation per packet (the down-track array is replaced only when viewers come and go).
 */
final class PublishedTrack {

    /** Keyframe requests to the publisher: at most one per this interval per stream. */
    static final long KEYFRAME_REQUEST_INTERVAL_NANOS = 100_000_000L;
    /**
     * While a requested keyframe has not arrived, the request is not repeated before this: every viewer waiting
     * (a layer switch asks on each packet of the layer it waits for, a viewer's decoder asks on its own) is served by
     * the one keyframe on its way. Chromium's VP8 simulcast encoder answers a request on any layer with keyframes on
     * all of them, so repeating a request every 100 ms makes a storm of large frames that fills slow viewers' links.
     */
    static final long KEYFRAME_RETRY_NANOS = 500_000_000L;
    /** Packets older than this are not worth retransmitting. */
    static final long RETRANSMIT_MAX_AGE_NANOS = 1_000_000_000L;
    /**
     * Retransmission cache bound per video stream (per simulcast layer): 1024 packets, 1 MiB and 1 s, whichever
     * is reached first; about 3 s of a 2.5 Mbit/s layer would fit in the bytes, so the age bound rules normally.
     */
    static final int VIDEO_RETRANSMIT_PACKETS = 1024;
    static final int VIDEO_RETRANSMIT_BYTES = 1 << 20;
    static final int AUDIO_RETRANSMIT_PACKETS = 128;
    static final int AUDIO_RETRANSMIT_BYTES = 64 << 10;

    private final String id;
    private final TrackSource source;
    private final MediaKind kind;
    private final MediaSpec media;
    private final int ssrc;
    private final int epoch;
    private final ReceiveStatistics statistics;
    private final NackTracker nacks;
    private final RetransmissionBuffer retransmissions;
    private final TrackLayers layers;
    private final String rid;
    private final BitrateMeter bitrate = new BitrateMeter();
    private final Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
    /** The layers inside the stream (VP9 SVC, AV1); null for audio. */
    private final ScalableLayers scalable;
    private CodecSpec codec;
    private int rtxSsrc;
    private int width;
    private final H264Resolution h264 = new H264Resolution();
    private long malformedSps;
    private int height;
    private long lastKeyframeRequestNanos = Long.MIN_VALUE / 2;
    /** A keyframe was asked for and none has started since. */
    private boolean keyframePending;
    private boolean ended;
    private long packets;
    private long bytes;
    private long keyframes;
    private long keyframeRequests;
    private long duplicates;
    // Last sender report of this stream: maps its RTP clock to wall clock for the viewers' sender reports.
    private long srNtp;
    private int srRtp;
    private long srArrivalNanos;
    private boolean haveSr;

    /** A track of one stream, or the first layer of a simulcast track. */
    PublishedTrack(String id, TrackSource source, MediaSpec media, CodecSpec codec, int ssrc, int epoch) {
        this(id, source, media, codec, ssrc, epoch, new TrackLayers(), null);
    }

    /**
     * A layer of a track: {@code layers} is the group it joins (a new one for a new track), {@code rid} its RTP
     * stream id (RFC 8852), null when the stream has none.
     */
    PublishedTrack(String id, TrackSource source, MediaSpec media, CodecSpec codec, int ssrc, int epoch,
                   TrackLayers layers, String rid) {
        this(id, source, media, codec, ssrc, epoch, layers, rid, layers.count());
    }

    /**
     * A layer of a track with a given {@link TrackLayers#indexOf index}: a layer received over a relay keeps the
     * index it has where the track is published.
     */
    PublishedTrack(String id, TrackSource source, MediaSpec media, CodecSpec codec, int ssrc, int epoch,
                   TrackLayers layers, String rid, int layerIndex) {
        this.id = id;
        this.layers = layers;
        this.rid = rid;
        this.source = source;
        this.kind = media.kind();
        this.media = media;
        this.codec = codec;
        this.ssrc = ssrc;
        this.epoch = epoch;
        this.statistics = new ReceiveStatistics(codec.clockRate());
        this.nacks = kind == MediaKind.VIDEO && media.nack() ? NackTracker.forVideo() : null;
        this.retransmissions = kind == MediaKind.VIDEO
                ? new RetransmissionBuffer(VIDEO_RETRANSMIT_PACKETS, VIDEO_RETRANSMIT_BYTES, RETRANSMIT_MAX_AGE_NANOS)
                : new RetransmissionBuffer(AUDIO_RETRANSMIT_PACKETS, AUDIO_RETRANSMIT_BYTES, RETRANSMIT_MAX_AGE_NANOS);
        Integer av1Extension = media.extensions().get(Av1DependencyDescriptor.URI);
        this.scalable = kind == MediaKind.VIDEO ? new ScalableLayers(av1Extension == null ? -1 : av1Extension) : null;
        layers.add(this, layerIndex);
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
        if (retransmissions.get(seq, nowNanos) != null) {
            // Already had it: a retransmission of a packet that was not lost (Chromium publishers send RTX copies
            // of sent packets to probe their bandwidth) or a network duplicate. Forwarded again, viewers' SRTP
            // replay checks would drop it and their transport-cc feedback report it lost.
            duplicates++;
            return;
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
            keyframePending = false;
        }
        int temporalId = -1;
        if (codec.codec() == MediaCodec.VP8) {
            temporalId = readVp8(rtp, keyframe);
        } else if (keyframe && codec.codec() == MediaCodec.H264) {
            readH264Size(rtp);
        }
        if (codec.codec() != MediaCodec.VP8 && scalable != null) {
            scalable.onPacket(codec.codec(), rtp, nowNanos);
        }
        bitrate.add(temporalId, rtp.length(), nowNanos);
        DownTrack[] targets = layers.downTracks();
        for (DownTrack target : targets) {
            target.forward(this, rtp, keyframe, nowNanos);
        }
    }

    /** The packet's temporal layer id (-1 when absent); on a keyframe also the frame's width and height. */
    private int readVp8(RtpPacket rtp, boolean keyframe) {
        int start = rtp.payloadOffset();
        int end = start + rtp.payloadLength();
        try {
            vp8.wrap(rtp.buffer(), start, end);
        } catch (ProtocolException e) {
            return -1;
        }
        if (keyframe) {
            // RFC 6386 section 9.1: 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height (LE).
            int header = start + vp8.encodedLength();
            ByteBuf b = rtp.buffer();
            if (end - header >= 10 && b.getUnsignedByte(header + 3) == 0x9d && b.getUnsignedByte(header + 4) == 0x01
                    && b.getUnsignedByte(header + 5) == 0x2a) {
                width = b.getUnsignedShortLE(header + 6) & 0x3FFF;
                height = b.getUnsignedShortLE(header + 8) & 0x3FFF;
            }
        }
        return vp8.temporalId();
    }

    /**
     * On an H264 keyframe, the picture size from the SPS sent with it (so simulcast layers rank by resolution, as
     * VP8's do, instead of by bitrate, which reorders them while the publisher ramps up). A malformed SPS is left to
     * the decoder: the size stays what it was.
     */
    private void readH264Size(RtpPacket rtp) {
        try {
            if (h264.readPayload(rtp.buffer(), rtp.payloadOffset(), rtp.payloadLength())) {
                width = h264.width();
                height = h264.height();
            }
        } catch (ProtocolException e) {
            malformedSps++;
        }
    }

    /** Packets received again while the first copy was still cached (not forwarded). */
    long duplicates() {
        return duplicates;
    }

    /**
     * Asks the source for a keyframe unless one was asked for within {@link #KEYFRAME_REQUEST_INTERVAL_NANOS}, or
     * within {@link #KEYFRAME_RETRY_NANOS} and has not started arriving yet.
     */
    void requestKeyframe(long nowNanos) {
        long since = nowNanos - lastKeyframeRequestNanos;
        if (ended || since < KEYFRAME_REQUEST_INTERVAL_NANOS || (keyframePending && since < KEYFRAME_RETRY_NANOS
                && source.encodesOnRequest())) {
            return;
        }
        lastKeyframeRequestNanos = nowNanos;
        keyframePending = true;
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

    /** Attaches a viewer to the track (all its layers). */
    void attach(DownTrack downTrack) {
        layers.attach(downTrack);
    }

    void detach(DownTrack downTrack) {
        layers.detach(downTrack);
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
        return layers.downTracks();
    }

    TrackLayers layers() {
        return layers;
    }

    /** The RTP stream id of this layer, null when it has none. */
    String rid() {
        return rid;
    }

    /** Width of the last keyframe (VP8), 0 while unknown. */
    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** The layers inside this stream (VP9 SVC, AV1 with the dependency descriptor); null for audio. */
    ScalableLayers scalable() {
        return scalable;
    }

    BitrateMeter bitrate() {
        return bitrate;
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
