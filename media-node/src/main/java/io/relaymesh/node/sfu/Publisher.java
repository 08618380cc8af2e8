package io.relaymesh.node.sfu;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtp.RtpPacket;
import io.relaymesh.node.rtp.RtxPacket;
import io.relaymesh.node.transport.MediaHandler;
import io.relaymesh.node.transport.PeerConnection;
import java.util.ArrayList;
import java.util.List;

/**
 * A session that publishes into a room (WHIP): its incoming streams become {@link PublishedTrack}s, found by
 * SSRC and, for a new SSRC, by the payload type that tells which media section it belongs to. RTX streams
 * (RFC 4588) are unwrapped into the original packets. Towards the publisher it sends receiver reports, NACKs
 * for lost packets and keyframe requests, per stream.
 *
 * <p>Simulcast (RFC 8853): a browser sends each encoding on its own SSRC without announcing it; the first packets
 * of each carry the rid header extension (RFC 8852) naming the encoding, and those of its RTX stream the
 * repaired-rid. Each encoding becomes a layer (its own {@link PublishedTrack}) of the media section's one track
 * ({@link TrackLayers}, at most {@value TrackLayers#MAX_LAYERS}); the room sees the track once. Event loop only.
 */
final class Publisher implements MediaHandler, SfuSession, TrackSource {

    /** Streams per publisher at most: audio, video, their RTX and simulcast layers with headroom. */
    static final int MAX_STREAMS = 16;
    /** RFC 8852: the RTP stream id (rid) of a stream and, on an RTX stream, of the stream it repairs. */
    static final String RID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    static final String REPAIRED_RID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    /** RFC 8852 section 3: a rid is 1 to 255 alphanumeric characters (plus '-' and '_' in practice). */
    private static final int MAX_RID_LENGTH = 255;

    private final Sfu sfu;
    private final String sessionId;
    private final Room room;
    private final String peer;
    private final List<MediaSpec> media;
    private final int rtcpSsrc;
    private final RtpPacket view = new RtpPacket();
    private final RtpPacket rtxView = new RtpPacket();
    private final List<PublishedTrack> tracks = new ArrayList<>(4);
    private final int[] ssrcs = new int[MAX_STREAMS];
    private final PublishedTrack[] bySsrc = new PublishedTrack[MAX_STREAMS];
    private final boolean[] isRtx = new boolean[MAX_STREAMS];
    private final int[] nackScratch = new int[64];
    private int streams;
    private PeerConnection connection;
    private final SfuListener.SessionInfo info;
    private long openedAtNanos;
    private boolean joined;
    private long nextReportNanos;
    private long malformed;

    Publisher(Sfu sfu, String sessionId, Room room, String peer, List<MediaSpec> media, int rtcpSsrc) {
        this.sfu = sfu;
        this.info = new SfuListener.SessionInfo(sessionId, "whip", room.name(), peer);
        this.sessionId = sessionId;
        this.room = room;
        this.peer = peer;
        this.media = List.copyOf(media);
        this.rtcpSsrc = rtcpSsrc;
    }

    /** Announces the session (on the event loop, once registered). */
    @Override
    public void onSecure(PeerConnection c) {
        this.connection = c;
        room.addPublisher(this);
        room.join(peer);
        joined = true;
        sfu.listener().sessionConnected(info, (sfu.nanoTime() - openedAtNanos) / 1_000_000);
    }

    @Override
    public void onRtp(PeerConnection c, ByteBuf packet) {
        RtpPacket rtp;
        try {
            rtp = view.wrap(packet);
        } catch (ProtocolException e) {
            malformed++;
            return;
        }
        long now = sfu.nanoTime();
        int index = streamIndex(rtp.ssrc());
        if (index < 0) {
            index = learnStream(rtp, now);
            if (index < 0) {
                return;
            }
        }
        PublishedTrack track = bySsrc[index];
        if (isRtx[index]) {
            onRtx(track, rtp, now);
            return;
        }
        track.onRtp(rtp, now);
    }

    /** An RTX packet: restore the original packet (RFC 4588 section 4) and forward it like any other. */
    private void onRtx(PublishedTrack track, RtpPacket rtx, long now) {
        if (rtx.payloadLength() <= RtxPacket.OSN_LENGTH) {
            return; // padding-only probe
        }
        ByteBuf original = sfu.allocator().directBuffer(rtx.length());
        try {
            RtxPacket.unwrap(rtx, original, track.codec().payloadType(), track.ssrc());
            track.onRtp(rtxView.wrap(original), now);
        } catch (ProtocolException e) {
            malformed++;
        } finally {
            original.release();
        }
    }

    private int streamIndex(int ssrc) {
        for (int i = 0; i < streams; i++) {
            if (ssrcs[i] == ssrc) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A new SSRC: its payload type says which media section (and whether it is RTX) it belongs to, its rid (when
     * present) which simulcast layer.
     */
    private int learnStream(RtpPacket rtp, long now) {
        if (streams == MAX_STREAMS) {
            return -1;
        }
        int pt = rtp.payloadType();
        for (MediaSpec m : media) {
            CodecSpec codec = m.codecByPayloadType(pt);
            if (codec != null) {
                String rid = rid(rtp, m, RID);
                PublishedTrack simulcast = rid == null ? null : simulcastTrack(m);
                if (simulcast != null) {
                    return addLayer(simulcast, m, codec, rtp.ssrc(), rid);
                }
                PublishedTrack track = new PublishedTrack(sessionId + ":" + m.mid(), this, m, codec, rtp.ssrc(),
                        sfu.nextEpoch(), new TrackLayers(), rid);
                tracks.add(track);
                int index = addStream(rtp.ssrc(), track, false);
                room.addTrack(track, now);
                return index;
            }
            CodecSpec repaired = m.codecByRtxPayloadType(pt);
            if (repaired != null) {
                String repairedRid = rid(rtp, m, REPAIRED_RID);
                for (PublishedTrack t : tracks) {
                    if (t.media() == m && t.rtxSsrc() == 0 && !t.ended()
                            && (repairedRid == null || repairedRid.equals(t.rid()))) {
                        t.rtxSsrc(rtp.ssrc());
                        return addStream(rtp.ssrc(), t, true);
                    }
                }
                return -1; // RTX before its media stream: ignored until the media stream is known
            }
        }
        return -1;
    }

    /** The live track of {@code m} whose layers carry rids, or null. */
    private PublishedTrack simulcastTrack(MediaSpec m) {
        for (PublishedTrack t : tracks) {
            if (t.media() == m && t.rid() != null && !t.ended()) {
                return t.layers().primary();
            }
        }
        return null;
    }

    /** Another encoding of a simulcast track; -1 when its rid is known already or the track is full. */
    private int addLayer(PublishedTrack track, MediaSpec m, CodecSpec codec, int ssrc, String rid) {
        TrackLayers layers = track.layers();
        if (layers.byRid(rid) != null || layers.count() == TrackLayers.MAX_LAYERS) {
            return -1;
        }
        PublishedTrack layer = new PublishedTrack(track.id(), this, m, codec, ssrc, sfu.nextEpoch(), layers, rid);
        tracks.add(layer);
        return addStream(ssrc, layer, false);
    }

    /** The rid (or repaired rid) header extension of {@code rtp}, null when absent or not negotiated. */
    private static String rid(RtpPacket rtp, MediaSpec m, String uri) {
        Integer id = m.extensions().get(uri);
        if (id == null) {
            return null;
        }
        int at = rtp.findExtension(id);
        int length = rtp.extensionLength(id);
        if (at < 0 || length <= 0 || length > MAX_RID_LENGTH) {
            return null;
        }
        return rtp.buffer().toString(at, length, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private int addStream(int ssrc, PublishedTrack track, boolean rtx) {
        ssrcs[streams] = ssrc;
        bySsrc[streams] = track;
        isRtx[streams] = rtx;
        return streams++;
    }

    @Override
    public void onRtcp(PeerConnection c, ByteBuf packet) {
        long now = sfu.nanoTime();
        RtcpExchange.read(packet, new RtcpExchange.Reader() {
            @Override
            public void senderReport(int ssrc, long ntp, int rtpTimestamp) {
                PublishedTrack t = trackOf(ssrc);
                if (t != null) {
                    t.onSenderReport(ntp, rtpTimestamp, now);
                }
            }
        });
    }

    private PublishedTrack trackOf(int ssrc) {
        int index = streamIndex(ssrc);
        return index < 0 || isRtx[index] ? null : bySsrc[index];
    }

    @Override
    public void onClosed(PeerConnection c, String reason) {
        long now = sfu.nanoTime();
        for (PublishedTrack t : tracks) {
            room.removeTrack(t, now);
            t.end();
        }
        tracks.clear();
        room.removePublisher(this);
        if (joined) {
            room.leave(peer);
        }
        sfu.listener().sessionClosed(info, SessionSummaries.of(c, openedAtNanos, sfu.nanoTime(), -1), reason);
        sfu.sessionClosed(sessionId, reason);
    }

    /** Sends a PLI (or FIR when only that was negotiated) for {@code track}. */
    @Override
    public void sendKeyframeRequest(PublishedTrack track) {
        if (connection == null) {
            return;
        }
        MediaSpec m = track.media();
        if (m.pli() || !m.fir()) {
            sfu.counters().keyframeRequestSent(SfuCounters.KeyframeRequest.PLI);
            connection.sendRtcp(RtcpExchange.pli(sfu.allocator(), rtcpSsrc, track.ssrc()));
        } else {
            sfu.counters().keyframeRequestSent(SfuCounters.KeyframeRequest.FIR);
            connection.sendRtcp(RtcpExchange.fir(sfu.allocator(), rtcpSsrc, track.ssrc(), sfu.nextFirSequence()));
        }
    }

    /** Periodic work: NACK what is missing; every second a receiver report. */
    @Override
    public void tick(long now) {
        if (connection == null) {
            return;
        }
        for (PublishedTrack t : tracks) {
            int n = t.dueNacks(now, nackScratch);
            if (n > 0) {
                sfu.counters().nacksSent(n);
                connection.sendRtcp(RtcpExchange.nack(sfu.allocator(), rtcpSsrc, t.ssrc(), nackScratch, n));
            }
        }
        if (now >= nextReportNanos && !tracks.isEmpty()) {
            nextReportNanos = now + Sfu.REPORT_INTERVAL_NANOS;
            connection.sendRtcp(RtcpExchange.receiverReport(sfu.allocator(), rtcpSsrc, sfu.cname(), tracks, now));
        }
    }

    /** Marks the session open now and tells the listener. Event loop. */
    void open(long nowNanos) {
        openedAtNanos = nowNanos;
        sfu.listener().sessionOpened(info);
    }

    @Override
    public String sessionId() {
        return sessionId;
    }

    @Override
    public Room room() {
        return room;
    }

    @Override
    public String peer() {
        return peer;
    }

    List<PublishedTrack> tracks() {
        return tracks;
    }

    /** The connection once secure, else null (event loop). */
    PeerConnection connection() {
        return connection;
    }

    long malformed() {
        return malformed;
    }
}
