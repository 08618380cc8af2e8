package io.relaymesh.node.sfu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtp.RtpHeaderWriter;
import io.relaymesh.node.rtp.RtpPacket;
import io.relaymesh.node.rtp.RtxPacket;
import io.relaymesh.node.rtp.codec.LayerFilter;
import io.relaymesh.node.rtp.codec.Vp8PictureNumbering;
import io.relaymesh.node.transport.PeerConnection;
import java.util.Arrays;

/**
 * One outgoing stream to one viewer: the viewer's SSRC, payload types and header extension ids, and a
 * {@link StreamRewriter} that keeps it continuous across source and layer changes.
 *
 * <p>The viewer plays one track (its {@link #source()}); of a simulcast track it gets one layer at a time: the
 * {@link #setTarget target} layer once a keyframe of it arrives (asked for, rate-limited by the layer), until then
 * the current one. Within the stream a {@link LayerFilter} (VP8 temporal layers, VP9 SVC, AV1) drops what is above
 * the target; dropped packets take no sequence numbers. When the filter needs a keyframe (a spatial up-switch of a
 * VP9/AV1 stream) the publisher is asked for one, at most every {@value #FILTER_KEYFRAME_INTERVAL_NANOS} ns. VP8
 * picture id and TL0PICIDX continue across switches.
 * Video starts (and restarts after a switch) at a keyframe. Event loop only; no allocation per forwarded packet
 * beyond the viewer's copy.
 */
final class DownTrack {

    /** Header extension URIs not forwarded as-is: they describe the publisher's transport, not the viewer's. */
    static final String TRANSPORT_CC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    /** A layer target meaning "the highest there is". */
    static final int ALL_LAYERS = Integer.MAX_VALUE;
    /**
     * Keyframe requests on behalf of this viewer's layer filter (a spatial up-switch in a VP9/AV1 stream, or a lost
     * frame it depends on) at most this often: longer than a keyframe takes to arrive, so one switch does not make
     * the publisher send several (the track's own 100 ms limit still applies on top).
     */
    static final long FILTER_KEYFRAME_INTERVAL_NANOS = 500_000_000L;
    /** Least time between two resends of one packet when the viewer's round trip is not known. */
    static final long DEFAULT_RESEND_INTERVAL_NANOS = 100_000_000L;
    /** Padding packets sent per call at most (each up to 255 bytes). */
    static final int MAX_PADDING_PACKETS = 32;

    /** Byte offset of the timestamp in the RTP fixed header (RFC 3550 section 5.1). */
    private static final int RTP_TIMESTAMP_OFFSET = 4;

    private final RtpSink sink;
    private final MediaSpec media;
    private final int ssrc;
    private final int rtxSsrc;
    private final StreamRewriter rewriter;
    private final RtpPacket view = new RtpPacket();
    private final ByteBufAllocator allocator;
    private final SentPackets sent = new SentPackets();
    private final Vp8PictureNumbering vp8 = new Vp8PictureNumbering();
    private final BitrateMeter sentBitrate = new BitrateMeter();
    private PublishedTrack source;
    /** The layer of {@link #source} forwarded now; null until its first keyframe. */
    private PublishedTrack current;
    /** The layer to forward once a keyframe of it arrives. */
    private PublishedTrack target;
    private int targetSpatial = ALL_LAYERS;
    private int targetTemporal = ALL_LAYERS;
    private LayerFilter filter;
    /** Rewriter epoch: a new one at every switch of source or layer. */
    private int generation;
    private byte[] extensionMap;
    private int rtxSeq;
    private long packetsSent;
    private long octetsSent;
    private long retransmitted;
    private long resendsSuppressed;
    private long lastSentNanos;
    private long switches;
    private long paddingBytes;
    /**
     * Selection state (see LayerSelection): since when each packed choice has fitted at every selection,
     * {@link Long#MAX_VALUE} while it does not.
     */
    private final long[] fittingSinceNanos = new long[LayerSelection.CHOICES];
    private long filterKeyframeRequestNanos = Long.MIN_VALUE / 2;
    /** Forwards only the layer it was switched to (a relay link carries each layer as a stream of its own). */
    private boolean pinned;

    /**
     * @param sink      where this viewer's packets go (takes ownership of each)
     * @param rtxSsrc   the viewer's RTX SSRC, 0 when RTX was not negotiated
     * @param allocator allocates the per-viewer copies (pooled direct buffers in the node)
     */
    DownTrack(RtpSink sink, MediaSpec media, int ssrc, int rtxSsrc, int initialSeq, int initialTs,
              ByteBufAllocator allocator) {
        this.sink = sink;
        this.media = media;
        this.ssrc = ssrc;
        this.rtxSsrc = rtxSsrc;
        this.allocator = allocator;
        int clockRate = media.codecs().isEmpty() ? 90000 : media.codecs().getFirst().clockRate();
        this.rewriter = new StreamRewriter(clockRate, initialSeq, initialTs);
        this.rtxSeq = initialSeq ^ 0x5A5A;
        Arrays.fill(fittingSinceNanos, Long.MAX_VALUE);
    }

    /** Switches this viewer's stream to track {@code next} (null: nothing to play). Keyframe first for video. */
    void switchTo(PublishedTrack next, long nowNanos) {
        if (source != null) {
            source.detach(this);
        }
        source = next;
        current = null;
        target = null;
        if (next == null) {
            return;
        }
        extensionMap = ExtensionMapping.between(next.media().extensions(), media.extensions(), TRANSPORT_CC);
        next.attach(this);
        retarget(nowNanos);
    }

    /**
     * Sets the layers this viewer should get: spatial is the rank of a simulcast layer (0 lowest) or, for a single
     * stream, its layer filter's spatial layer; {@link #ALL_LAYERS} means the highest. Takes effect at the points
     * the stream allows (see the class comment).
     */
    void setTarget(int spatial, int temporal, long nowNanos) {
        targetSpatial = spatial;
        targetTemporal = temporal;
        retarget(nowNanos);
    }

    private void retarget(long nowNanos) {
        if (source == null) {
            return;
        }
        TrackLayers layers = source.layers();
        PublishedTrack next = pinned ? source : layers.layer(targetSpatial);
        if (next != target) {
            target = next;
            if (target != current && media.kind() == MediaKind.VIDEO) {
                target.requestKeyframe(nowNanos);
            }
        }
        if (filter != null) {
            filter.setTarget(layers.count() > 1 ? ALL_LAYERS : targetSpatial, targetTemporal);
        }
    }

    /** The forwarding step for one viewer: pick the layer, filter, copy, rewrite, send. */
    void forward(PublishedTrack from, RtpPacket in, boolean keyframe, long nowNanos) {
        PublishedTrack track = source;
        if (track == null || from.layers() != track.layers()) {
            return;
        }
        CodecSpec codec = media.codec(from.codec().codec());
        if (codec == null) {
            return; // the viewer did not negotiate the source's codec
        }
        if (from != current) {
            if (from != target) {
                return;
            }
            if (!keyframe && media.kind() == MediaKind.VIDEO) {
                from.requestKeyframe(nowNanos);
                return;
            }
            beginLayer(from, codec, in, nowNanos);
        }
        if (filter != null) {
            boolean accepted = filter.accept(in, nowNanos);
            if (filter.wantsKeyframe() && nowNanos - filterKeyframeRequestNanos >= FILTER_KEYFRAME_INTERVAL_NANOS) {
                filterKeyframeRequestNanos = nowNanos;
                from.requestKeyframe(nowNanos);
            }
            if (!accepted) {
                rewriter.skip(generation, in.sequenceNumber());
                return;
            }
        }
        if (rewriter.rewrite(generation, in.sequenceNumber(), in.timestamp(), nowNanos)) {
            send(from, codec, in, nowNanos);
        }
    }

    /** Copies {@code in} with the viewer's header fields (and VP8 numbering) and sends it. */
    private void send(PublishedTrack from, CodecSpec codec, RtpPacket in, long nowNanos) {
        ByteBuf out = allocator.directBuffer(in.length() + PeerConnection.SRTP_TAIL_ROOM);
        out.writeBytes(in.buffer(), in.offset(), in.length());
        int outSeq = rewriter.outSeq();
        int outTs = rewriter.outTs();
        if (!rewriteHeader(out, codec.payloadType(), outSeq, outTs)) {
            out.release();
            return;
        }
        if (LayerFilters.markerOverride(filter)) {
            view.setMarker(true);
        }
        int pictureId = -1;
        int tl0 = -1;
        if (codec.codec() == MediaCodec.VP8 && renumberVp8(out)) {
            pictureId = vp8.pictureId();
            tl0 = vp8.tl0PicIdx();
        }
        sent.record(outSeq, from, in.sequenceNumber(), outTs, pictureId, tl0);
        packetsSent++;
        octetsSent += in.payloadLength();
        lastSentNanos = nowNanos;
        sentBitrate.add(0, in.length(), nowNanos);
        if (media.kind() == MediaKind.AUDIO) {
            sink.sendRtpNow(out);
        } else {
            sink.sendRtp(out);
        }
    }

    /** Keeps the VP8 picture id and TL0PICIDX continuous; false when the packet has no readable descriptor. */
    private boolean renumberVp8(ByteBuf out) {
        return view.payloadLength() > 0
                && vp8.rewrite(out, view.payloadOffset(), view.payloadOffset() + view.payloadLength());
    }

    /** Starts forwarding layer {@code from} at its keyframe {@code in}. */
    private void beginLayer(PublishedTrack from, CodecSpec codec, RtpPacket in, long nowNanos) {
        PublishedTrack previous = current;
        current = from;
        generation++;
        if (previous != null) {
            switches++;
            timestampFromSenderReports(previous, from, in.timestamp());
        }
        vp8.streamSwitched();
        filter = LayerFilters.forCodec(codec.codec(), from.media());
        if (filter != null) {
            filter.setTarget(source.layers().count() > 1 ? ALL_LAYERS : targetSpatial, targetTemporal);
        }
    }

    /**
     * When both layers have sent a sender report, maps the new layer's timestamp to the old layer's clock (via
     * NTP time) and tells the rewriter, so the switch keeps the stream's timing (and lip sync) exact. Otherwise the
     * rewriter advances by the arrival-time gap.
     */
    private void timestampFromSenderReports(PublishedTrack previous, PublishedTrack next, int inTs) {
        if (!previous.hasSenderReport() || !next.hasSenderReport()) {
            return;
        }
        long ntpDiff = next.senderReportNtp() - previous.senderReportNtp(); // 32.32 fixed point seconds
        if (Math.abs(ntpDiff) >= 1L << 40) {
            return; // reports minutes apart: not a usable mapping
        }
        long ticks = ntpDiff * rewriter.clockRate() >> 32;
        int inPreviousClock = previous.senderReportRtp() + (int) ticks + (inTs - next.senderReportRtp());
        rewriter.nextSwitchTimestamp(inPreviousClock + rewriter.tsOffset());
    }

    /**
     * Answers a viewer's NACK for outgoing sequence number {@code outSeq} from the cache of the layer it came from;
     * false when the packet could not be resent (not remembered, no longer cached, or too old).
     */
    boolean retransmit(int outSeq, long nowNanos) {
        return retransmit(outSeq, nowNanos, DEFAULT_RESEND_INTERVAL_NANOS);
    }

    /**
     * As {@link #retransmit(int, long)}, but a packet already resent within {@code minIntervalNanos} (the viewer's
     * round trip: its repeated NACK crossed the retransmission) is not resent again; counted in
     * {@link #resendsSuppressed()}.
     */
    boolean retransmit(int outSeq, long nowNanos, long minIntervalNanos) {
        int slot = sent.find(outSeq);
        if (slot < 0) {
            return false;
        }
        if (!sent.mayResend(slot, nowNanos, minIntervalNanos)) {
            resendsSuppressed++;
            return false;
        }
        PublishedTrack from = sent.layer(slot);
        ByteBuf cached = from.retransmission(sent.incomingSeq(slot), nowNanos);
        CodecSpec codec = media.codec(from.codec().codec());
        if (cached == null || codec == null) {
            return false;
        }
        ByteBuf copy = allocator.directBuffer(cached.readableBytes() + RtxPacket.OSN_LENGTH + PeerConnection.SRTP_TAIL_ROOM);
        copy.writeBytes(cached, cached.readerIndex(), cached.readableBytes());
        if (!rewriteHeader(copy, codec.payloadType(), outSeq, sent.outTs(slot))) {
            copy.release();
            return false;
        }
        if (sent.pictureId(slot) >= 0 || sent.tl0PicIdx(slot) >= 0) {
            vp8.restore(copy, view.payloadOffset(), view.payloadOffset() + view.payloadLength(), sent.pictureId(slot),
                    sent.tl0PicIdx(slot));
        }
        retransmitted++;
        if (codec.rtxPayloadType() < 0 || rtxSsrc == 0) {
            sink.sendRtp(copy);
            return true;
        }
        ByteBuf rtx = allocator.directBuffer(copy.readableBytes() + RtxPacket.OSN_LENGTH + PeerConnection.SRTP_TAIL_ROOM);
        try {
            RtxPacket.wrap(view.wrap(copy), rtx, codec.rtxPayloadType(), rtxSsrc, rtxSeq);
            rtxSeq = (rtxSeq + 1) & 0xFFFF;
        } catch (ProtocolException e) {
            rtx.release();
            return false;
        } finally {
            copy.release();
        }
        sink.sendRtp(rtx);
        return true;
    }

    /**
     * Sends about {@code bytes} of padding-only packets on the viewer's RTX stream (RFC 4588; what the bandwidth
     * estimator probes with), at most {@value #MAX_PADDING_PACKETS} packets.
     *
     * @return bytes of padding sent; 0 when the viewer has no RTX stream or nothing was sent yet
     */
    int sendPadding(int bytes, long nowNanos) {
        PublishedTrack from = current;
        CodecSpec codec = from == null ? null : media.codec(from.codec().codec());
        if (bytes <= 0 || codec == null || codec.rtxPayloadType() < 0 || rtxSsrc == 0 || !rewriter.started()) {
            return 0;
        }
        long elapsedTicks = (nowNanos - rewriter.lastOutNanos()) * rewriter.clockRate() / 1_000_000_000L;
        int ts = (int) (rewriter.lastOutTs() + elapsedTicks);
        int sentBytes = 0;
        for (int i = 0; i < MAX_PADDING_PACKETS && sentBytes < bytes; i++) {
            int length = Math.min(RtpHeaderWriter.MAX_PADDING, bytes - sentBytes);
            ByteBuf packet = allocator.directBuffer(RtpPacket.FIXED_HEADER_LENGTH + length + PeerConnection.SRTP_TAIL_ROOM);
            RtpHeaderWriter.writePaddingPacket(packet, codec.rtxPayloadType(), rtxSeq, ts, rtxSsrc, length);
            rtxSeq = (rtxSeq + 1) & 0xFFFF;
            sentBytes += length;
            sink.sendRtpNow(packet);
        }
        paddingBytes += sentBytes;
        return sentBytes;
    }

    private boolean rewriteHeader(ByteBuf packet, int payloadType, int seq, int ts) {
        try {
            view.wrap(packet);
        } catch (ProtocolException e) {
            return false;
        }
        view.setPayloadType(payloadType);
        view.setSequenceNumber(seq);
        view.setTimestamp(ts);
        view.setSsrc(ssrc);
        if (view.extension()) {
            // Always rewritten: ids the viewer did not negotiate must not reach it.
            view.rewriteExtensionIds(extensionMap);
        }
        return true;
    }

    PublishedTrack source() {
        return source;
    }

    /** From now on forwards the layer {@link #switchTo} names, never another layer of its track. */
    void pin() {
        pinned = true;
    }

    boolean pinned() {
        return pinned;
    }

    /** The layer forwarded now, null before the first keyframe. */
    PublishedTrack currentLayer() {
        return current;
    }

    /** The layer the viewer is moving to (equal to {@link #currentLayer()} when settled). */
    PublishedTrack targetLayer() {
        return target;
    }

    /** Rank of the simulcast layer forwarded (or the filter's spatial layer of a single stream), -1 before any. */
    int spatial() {
        if (current == null) {
            return -1;
        }
        if (source.layers().count() > 1) {
            return source.layers().rankOf(current);
        }
        return filter == null ? 0 : Math.max(0, filter.spatial());
    }

    /** Temporal layer forwarded, -1 before any (0 for a stream without temporal layers). */
    int temporal() {
        if (current == null) {
            return -1;
        }
        return filter == null ? 0 : filter.temporal();
    }

    int targetSpatial() {
        return targetSpatial;
    }

    int targetTemporal() {
        return targetTemporal;
    }

    /** Layer switches made (spatial: from one simulcast layer to another). */
    long switches() {
        return switches;
    }

    /** Bits per second sent to the viewer over the last second (media, not retransmissions or padding). */
    long bitsPerSecond(long nowNanos) {
        return sentBitrate.bitsPerSecond(BitrateMeter.TEMPORAL_IDS, nowNanos);
    }

    long paddingBytes() {
        return paddingBytes;
    }

    /**
     * Records one selection: every choice up to {@code best} (packed, {@link LayerSelection#pack}) fits now, those
     * above it do not (-1: none fits). A choice keeps the time since when it has fitted without a break.
     */
    void fitting(int best, long nowNanos) {
        for (int c = 0; c < fittingSinceNanos.length; c++) {
            if (c > best) {
                fittingSinceNanos[c] = Long.MAX_VALUE;
            } else if (fittingSinceNanos[c] == Long.MAX_VALUE) {
                fittingSinceNanos[c] = nowNanos;
            }
        }
    }

    /**
     * The highest choice above {@code current} that has fitted at every selection since {@code sinceNanos} or
     * earlier: the lowest best choice of that time. -1 when there is none.
     */
    int heldAbove(int current, long sinceNanos) {
        for (int c = fittingSinceNanos.length - 1; c > current; c--) {
            if (fittingSinceNanos[c] <= sinceNanos) {
                return c;
            }
        }
        return -1;
    }

    MediaSpec media() {
        return media;
    }

    MediaKind kind() {
        return media.kind();
    }

    int ssrc() {
        return ssrc;
    }

    int rtxSsrc() {
        return rtxSsrc;
    }

    StreamRewriter rewriter() {
        return rewriter;
    }

    long packetsSent() {
        return packetsSent;
    }

    long octetsSent() {
        return octetsSent;
    }

    long retransmitted() {
        return retransmitted;
    }

    /** NACKs not answered because the packet had just been resent. */
    long resendsSuppressed() {
        return resendsSuppressed;
    }

    long lastSentNanos() {
        return lastSentNanos;
    }

    /** Stops forwarding to this viewer. */
    void close() {
        if (source != null) {
            source.detach(this);
            source = null;
        }
        current = null;
        target = null;
        sent.clear();
    }
}
