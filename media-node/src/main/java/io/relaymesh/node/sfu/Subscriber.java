package io.relaymesh.node.sfu;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.transport.MediaHandler;
import io.relaymesh.node.transport.BandwidthStats;
import io.relaymesh.node.transport.PacerStats;
import io.relaymesh.node.transport.PeerConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A session that plays a room (WHEP): one {@link DownTrack} per negotiated media section, each fed by the
 * room's current track of its kind. Answers the viewer's NACKs from the source's cache, forwards its
 * keyframe requests upstream (rate-limited per track), and sends sender reports.
 *
 * <p>Adaptive video: every {@value LayerSelection#INTERVAL_MILLIS} ms it picks each video track's layers from the
 * connection's send-side estimate and the viewer's {@link Signaling.LayerPreferences preferences}
 * ({@link LayerSelection}); every tick it sends the padding the estimator asks for on the video RTX streams.
 * Event loop only.
 */
final class Subscriber implements MediaHandler, SfuSession, RtpSink {

    /** Resends of one packet are at least this far apart even on a link with a shorter round trip. */
    static final long MIN_RESEND_INTERVAL_NANOS = 20_000_000L;

    private final Sfu sfu;
    private final String sessionId;
    private final Room room;
    private final int rtcpSsrc;
    private final List<DownTrack> downTracks = new ArrayList<>(2);
    private final SfuListener.SessionInfo info;
    private final String peer;
    private PeerConnection connection;
    private long byesSent;
    private long openedAtNanos;
    private boolean joined;
    private long nextReportNanos;
    private long roundTripNanos = -1;
    private int fractionLost;
    private LongSupplier estimate = () -> connection == null ? -1 : connection.sendEstimateBps();
    private int maxSpatial = DownTrack.ALL_LAYERS;
    private int maxTemporal = DownTrack.ALL_LAYERS;
    private long nextSelectionNanos = Long.MIN_VALUE;
    /** What the viewer would receive without a bandwidth limit, as of the last selection (-1 before it). */
    private long desiredBps = -1;
    private final PeerConnection.PaddingSource padding = this::sendPadding;

    Subscriber(Sfu sfu, String sessionId, Room room, String peer, int rtcpSsrc) {
        this.sfu = sfu;
        this.peer = peer;
        this.info = new SfuListener.SessionInfo(sessionId, "whep", room.name(), peer);
        this.sessionId = sessionId;
        this.room = room;
        this.rtcpSsrc = rtcpSsrc;
    }

    void addDownTrack(DownTrack downTrack) {
        downTracks.add(downTrack);
        if (downTrack.kind() == MediaKind.VIDEO) {
            downTrack.setTarget(0, DownTrack.ALL_LAYERS, sfu.nanoTime()); // start low (see LayerSelection)
        }
    }

    /** Where the send-side estimate comes from (the connection's by default; tests drive selection with it). */
    void estimateSource(LongSupplier source) {
        this.estimate = source;
    }

    /** Caps the layers this viewer gets ({@link DownTrack#ALL_LAYERS}: no cap); applied at once. Event loop. */
    void preferences(int maxSpatialLayer, int maxTemporalLayer) {
        this.maxSpatial = maxSpatialLayer;
        this.maxTemporal = maxTemporalLayer;
        nextSelectionNanos = Long.MIN_VALUE;
    }

    PeerConnection connection() {
        return connection;
    }

    /**
     * The track {@code downTrack} played ended and nothing replaces it: RTCP BYE for its stream, so the viewer's
     * stack knows the source left rather than stalled (the same stream resumes if a publisher comes back).
     */
    void streamEnded(DownTrack downTrack) {
        byesSent++;
        if (connection != null) {
            connection.sendRtcp(RtcpExchange.bye(sfu.allocator(), rtcpSsrc, downTrack.ssrc(), downTrack.rtxSsrc(),
                    "track ended"));
        }
    }

    /** BYEs sent to this viewer (for tests and stats). */
    long byesSent() {
        return byesSent;
    }

    void bind(PeerConnection c) {
        this.connection = c;
    }

    /** Sends one of this viewer's packets on its connection, paced (dropped before the connection is bound). */
    @Override
    public void sendRtp(ByteBuf packet) {
        PeerConnection c = boundOrRelease(packet);
        if (c != null) {
            c.sendRtp(packet);
        }
    }

    /** Sends one of this viewer's packets at once, around the connection's pacer (audio, probe padding). */
    @Override
    public void sendRtpNow(ByteBuf packet) {
        PeerConnection c = boundOrRelease(packet);
        if (c != null) {
            c.sendRtpNow(packet);
        }
    }

    /** The connection, or null after releasing {@code packet} when none is bound yet. */
    private PeerConnection boundOrRelease(ByteBuf packet) {
        PeerConnection c = connection;
        if (c == null) {
            packet.release();
        }
        return c;
    }

    @Override
    public void onSecure(PeerConnection c) {
        this.connection = c;
        room.addSubscriber(this, sfu.nanoTime());
        room.join(peer);
        joined = true;
        sfu.listener().sessionConnected(info, (sfu.nanoTime() - openedAtNanos) / 1_000_000);
    }

    /** Marks the session open now and tells the listener. Event loop. */
    void open(long nowNanos) {
        openedAtNanos = nowNanos;
        sfu.listener().sessionOpened(info);
    }

    @Override
    public void onRtp(PeerConnection c, ByteBuf packet) {
        // A viewer sends no media; anything it sends is ignored.
    }

    @Override
    public void onRtcp(PeerConnection c, ByteBuf packet) {
        long now = sfu.nanoTime();
        RtcpExchange.read(packet, new RtcpExchange.Reader() {
            @Override
            public void nack(int mediaSsrc, int seq) {
                sfu.counters().nackReceived();
                DownTrack d = bySsrc(mediaSsrc);
                if (d != null) {
                    long suppressed = d.resendsSuppressed();
                    boolean resent = d.retransmit(seq, now, resendInterval());
                    if (resent || d.resendsSuppressed() == suppressed) {
                        sfu.counters().retransmission(resent); // a repeat of an answered NACK is neither
                    }
                }
            }

            @Override
            public void keyframeRequest(int mediaSsrc, SfuCounters.KeyframeRequest kind) {
                sfu.counters().keyframeRequestReceived(kind);
                DownTrack d = bySsrc(mediaSsrc);
                PublishedTrack playing = d == null ? null
                        : d.currentLayer() != null ? d.currentLayer() : d.targetLayer();
                if (playing != null) {
                    playing.requestKeyframe(now); // the layer the viewer decodes, not the track's first one
                }
            }

            @Override
            public void reportBlock(int ssrc, int fraction, long lastSr, long delaySinceLastSr) {
                if (bySsrc(ssrc) != null) {
                    fractionLost = fraction;
                }
                if (lastSr != 0) {
                    long rtt = RtcpExchange.roundTripNanos(lastSr, delaySinceLastSr, sfu.wallClockNtp());
                    if (rtt >= 0) {
                        roundTripNanos = rtt;
                    }
                }
            }
        });
    }

    /** A packet is resent at most once per round trip (from receiver reports; 100 ms until one is measured). */
    private long resendInterval() {
        return roundTripNanos < 0 ? DownTrack.DEFAULT_RESEND_INTERVAL_NANOS
                : Math.max(MIN_RESEND_INTERVAL_NANOS, roundTripNanos);
    }

    private DownTrack bySsrc(int ssrc) {
        for (DownTrack d : downTracks) {
            if (d.ssrc() == ssrc) {
                return d;
            }
        }
        return null;
    }

    @Override
    public void onClosed(PeerConnection c, String reason) {
        for (DownTrack d : downTracks) {
            d.close();
        }
        room.removeSubscriber(this);
        if (joined) {
            room.leave(peer);
        }
        sfu.listener().sessionClosed(info, SessionSummaries.of(c, openedAtNanos, sfu.nanoTime(),
                roundTripNanos < 0 ? -1 : roundTripNanos / 1_000_000), reason);
        sfu.sessionClosed(sessionId, reason);
    }

    @Override
    public void tick(long now) {
        if (connection == null) {
            return;
        }
        if (now >= nextSelectionNanos) {
            nextSelectionNanos = now + LayerSelection.INTERVAL_NANOS;
            LayerSelection.select(downTracks, estimate.getAsLong(), maxSpatial, maxTemporal, now);
            desiredBps = LayerSelection.desiredBps(downTracks, maxSpatial, maxTemporal, now);
        }
        connection.probe(now, desiredBps, padding);
        if (now < nextReportNanos) {
            return;
        }
        nextReportNanos = now + Sfu.REPORT_INTERVAL_NANOS;
        ByteBuf report = RtcpExchange.senderReport(sfu.allocator(), rtcpSsrc, sfu.cname(), downTracks, now,
                sfu.wallClockNtp());
        if (report != null) {
            connection.sendRtcp(report);
        }
    }

    /**
     * Probe padding, split over the video tracks that have an RTX stream (called by the connection while a probe
     * cluster is open). Returns the bytes sent.
     */
    private int sendPadding(int bytes, long now) {
        int carriers = 0;
        for (DownTrack d : downTracks) {
            if (d.kind() == MediaKind.VIDEO && d.rtxSsrc() != 0) {
                carriers++;
            }
        }
        int left = bytes;
        for (DownTrack d : downTracks) {
            if (carriers > 0 && d.kind() == MediaKind.VIDEO && d.rtxSsrc() != 0) {
                int part = left / carriers;
                left -= d.sendPadding(part, now);
                carriers--;
            }
        }
        return bytes - left;
    }

    /** What the viewer gets now, for {@code GET /whep/endpoint/{id}}: video tracks first. Event loop. */
    Signaling.ViewerStats stats(long now) {
        List<Signaling.TrackStats> tracks = new ArrayList<>(downTracks.size());
        for (MediaKind kind : new MediaKind[] {MediaKind.VIDEO, MediaKind.AUDIO}) {
            for (DownTrack d : downTracks) {
                if (d.kind() == kind) {
                    tracks.add(trackStats(d, now));
                }
            }
        }
        Double rtt = roundTripNanos < 0 ? null : roundTripNanos / 1e6;
        return new Signaling.ViewerStats(sessionId, estimate.getAsLong(), rtt, fractionLost / 256.0, tracks,
                connection == null ? null : bandwidthDetail(connection));
    }

    private static Signaling.BandwidthDetail bandwidthDetail(PeerConnection c) {
        BandwidthStats b = c.bandwidthStats();
        PacerStats p = c.pacerStats();
        return new Signaling.BandwidthDetail(b.delayBasedBps(), b.lossBasedBps(), b.acknowledgedBps(), b.sendRateBps(),
                b.lossFraction(), b.usage().name().toLowerCase(Locale.ROOT), b.probes(),
                p.rateBps() == Long.MAX_VALUE ? -1 : p.rateBps(), p.queuedBytes(), p.longestWaitMillis());
    }

    /** One track's part of {@link #stats}. */
    static Signaling.TrackStats trackStats(DownTrack d, long now) {
        PublishedTrack source = d.source();
        PublishedTrack layer = d.currentLayer() != null ? d.currentLayer() : d.targetLayer();
        int simulcast = source == null ? 0 : source.layers().count();
        ScalableLayers inner = simulcast == 1 && source.scalable() != null && source.scalable().layered()
                ? source.scalable() : null;
        int layers = inner != null ? Math.max(1, inner.spatialLayers(now)) : simulcast;
        int targetSpatial = source == null ? -1 : simulcast > 1 ? source.layers().rankOf(d.targetLayer())
                : Math.min(d.targetSpatial(), layers - 1);
        int highestTemporal = inner != null ? inner.temporalLayers(now) - 1
                : layer == null ? 0 : layer.bitrate().temporalLayers(now) - 1;
        int targetTemporal = d.targetTemporal() == DownTrack.ALL_LAYERS && layer != null
                ? Math.max(0, highestTemporal) : Math.min(d.targetTemporal(), BitrateMeter.TEMPORAL_IDS - 1);
        int width = 0;
        int height = 0;
        if (inner != null && d.spatial() >= 0) {
            width = inner.width(d.spatial());
            height = inner.height(d.spatial());
        } else if (layer != null) {
            width = layer.width();
            height = layer.height();
        }
        boolean sized = width > 0;
        return new Signaling.TrackStats(source == null ? d.media().mid() : source.id(),
                d.kind() == MediaKind.VIDEO ? "video" : "audio", layers, d.spatial(), d.temporal(), targetSpatial,
                targetTemporal, layer == null ? null : layer.rid(), sized ? width : null,
                sized ? height : null, d.bitsPerSecond(now), d.switches());
    }

    @Override
    public String sessionId() {
        return sessionId;
    }

    @Override
    public Room room() {
        return room;
    }

    String peer() {
        return peer;
    }

    List<DownTrack> downTracks() {
        return downTracks;
    }

    /** Last round-trip time measured from the viewer's receiver reports, or -1. */
    long roundTripNanos() {
        return roundTripNanos;
    }
}
