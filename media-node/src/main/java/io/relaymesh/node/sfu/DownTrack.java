package io.relaymesh.node.sfu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtp.RtpPacket;
import io.relaymesh.node.rtp.RtxPacket;
import io.relaymesh.node.transport.PeerConnection;

/**
 * One outgoing stream to one viewer: the viewer's SSRC, payload types and header extension ids, and a
 * {@link StreamRewriter} that keeps it continuous across source changes. Video starts (and restarts after a
 * source switch) at a keyframe. Event loop only.
 */
final class DownTrack {

    /** Header extension URIs not forwarded as-is: they describe the publisher's transport, not the viewer's. */
    static final String TRANSPORT_CC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

    /** Byte offset of the timestamp in the RTP fixed header (RFC 3550 section 5.1). */
    private static final int RTP_TIMESTAMP_OFFSET = 4;

    private final RtpSink sink;
    private final MediaSpec media;
    private final int ssrc;
    private final int rtxSsrc;
    private final StreamRewriter rewriter;
    private final RtpPacket view = new RtpPacket();
    private final ByteBufAllocator allocator;
    private PublishedTrack source;
    private byte[] extensionMap;
    private boolean waitingForKeyframe;
    private int rtxSeq;
    private long packetsSent;
    private long octetsSent;
    private long retransmitted;
    private long lastSentNanos;

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
    }

    /** Switches this viewer's stream to {@code next} (null: nothing to play). Keyframe first for video. */
    void switchTo(PublishedTrack next, long nowNanos) {
        if (source != null) {
            source.detach(this);
        }
        source = next;
        if (next == null) {
            return;
        }
        extensionMap = ExtensionMapping.between(next.media().extensions(), media.extensions(), TRANSPORT_CC);
        waitingForKeyframe = media.kind() == MediaKind.VIDEO;
        next.attach(this);
        if (waitingForKeyframe) {
            next.requestKeyframe(nowNanos);
        }
    }

    /** The forwarding step for one viewer: copy, rewrite, protect, send. */
    void forward(PublishedTrack from, RtpPacket in, boolean keyframe, long nowNanos) {
        if (from != source) {
            return;
        }
        CodecSpec codec = media.codec(from.codec().codec());
        if (codec == null) {
            return; // the viewer did not negotiate the source's codec
        }
        if (waitingForKeyframe) {
            if (!keyframe) {
                from.requestKeyframe(nowNanos);
                return;
            }
            waitingForKeyframe = false;
        }
        if (!rewriter.rewrite(from.epoch(), in.sequenceNumber(), in.timestamp(), nowNanos)) {
            return;
        }
        ByteBuf out = allocator.directBuffer(in.length() + PeerConnection.SRTP_TAIL_ROOM);
        out.writeBytes(in.buffer(), in.offset(), in.length());
        if (!rewriteHeader(out, codec.payloadType(), rewriter.outSeq(), rewriter.outTs())) {
            out.release();
            return;
        }
        packetsSent++;
        octetsSent += in.payloadLength();
        lastSentNanos = nowNanos;
        sink.sendRtp(out);
    }

    /**
     * Answers a viewer's NACK for outgoing sequence number {@code outSeq} from the source's cache; false when
     * the packet could not be resent (not in the cache, too old, or no source).
     */
    boolean retransmit(int outSeq, long nowNanos) {
        PublishedTrack from = source;
        if (from == null) {
            return false;
        }
        int inSeq = rewriter.incomingSeq(outSeq);
        if (inSeq < 0) {
            return false;
        }
        ByteBuf cached = from.retransmission(inSeq, nowNanos);
        CodecSpec codec = media.codec(from.codec().codec());
        if (cached == null || codec == null) {
            return false;
        }
        ByteBuf copy = allocator.directBuffer(cached.readableBytes() + RtxPacket.OSN_LENGTH + PeerConnection.SRTP_TAIL_ROOM);
        copy.writeBytes(cached, cached.readerIndex(), cached.readableBytes());
        int outTs = cached.getInt(cached.readerIndex() + RTP_TIMESTAMP_OFFSET) + rewriter.tsOffset();
        if (!rewriteHeader(copy, codec.payloadType(), outSeq, outTs)) {
            copy.release();
            return false;
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

    long lastSentNanos() {
        return lastSentNanos;
    }

    /** Stops forwarding to this viewer. */
    void close() {
        if (source != null) {
            source.detach(this);
            source = null;
        }
    }
}
