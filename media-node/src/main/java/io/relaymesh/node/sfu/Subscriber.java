package io.relaymesh.node.sfu;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.transport.MediaHandler;
import io.relaymesh.node.transport.PeerConnection;
import java.util.ArrayList;
import java.util.List;

/**
 * A session that plays a room (WHEP): one {@link DownTrack} per negotiated media section, each fed by the
 * room's current track of its kind. Answers the viewer's NACKs from the source's cache, forwards its
 * keyframe requests upstream (rate-limited per track), and sends sender reports. Event loop only.
 */
final class Subscriber implements MediaHandler, SfuSession, RtpSink {

    private final Sfu sfu;
    private final String sessionId;
    private final Room room;
    private final int rtcpSsrc;
    private final List<DownTrack> downTracks = new ArrayList<>(2);
    private final SfuListener.SessionInfo info;
    private final String peer;
    private PeerConnection connection;
    private long openedAtNanos;
    private boolean joined;
    private long nextReportNanos;
    private long roundTripNanos = -1;

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
    }

    PeerConnection connection() {
        return connection;
    }

    void bind(PeerConnection c) {
        this.connection = c;
    }

    /** Sends one of this viewer's packets on its connection (dropped before the connection is bound). */
    @Override
    public void sendRtp(ByteBuf packet) {
        PeerConnection c = connection;
        if (c == null) {
            packet.release();
            return;
        }
        c.sendRtp(packet);
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
                    sfu.counters().retransmission(d.retransmit(seq, now));
                }
            }

            @Override
            public void keyframeRequest(int mediaSsrc, SfuCounters.KeyframeRequest kind) {
                sfu.counters().keyframeRequestReceived(kind);
                DownTrack d = bySsrc(mediaSsrc);
                if (d != null && d.source() != null) {
                    d.source().requestKeyframe(now);
                }
            }

            @Override
            public void reportBlock(int ssrc, long lastSr, long delaySinceLastSr) {
                if (lastSr != 0) {
                    long rtt = RtcpExchange.roundTripNanos(lastSr, delaySinceLastSr, sfu.wallClockNtp());
                    if (rtt >= 0) {
                        roundTripNanos = rtt;
                    }
                }
            }
        });
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
        if (connection == null || now < nextReportNanos) {
            return;
        }
        nextReportNanos = now + Sfu.REPORT_INTERVAL_NANOS;
        ByteBuf report = RtcpExchange.senderReport(sfu.allocator(), rtcpSsrc, sfu.cname(), downTracks, now,
                sfu.wallClockNtp());
        if (report != null) {
            connection.sendRtcp(report);
        }
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
