package io.relaymesh.node.sfu;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtp.RtpPacket;

/**
 * A track received from another media node, published into a local room: local viewers' down tracks play it
 * as any publisher's. Keyframe requests and the link's NACKs go upstream through {@link Cascade.Upstream}, one
 * per track however many local viewers ask (the track merges them). Event loop only.
 */
public final class RelayedTrack implements TrackSource, SfuSession {

    private static final int MAX_NACKS = 64;

    private final Sfu sfu;
    private final String sessionId;
    private final Room room;
    private final String peer;
    private final Cascade.Upstream upstream;
    private final RtpPacket view = new RtpPacket();
    private final int[] nacks = new int[MAX_NACKS];
    private PublishedTrack track;
    private boolean ended;
    private long packets;
    private long malformed;

    RelayedTrack(Sfu sfu, String sessionId, Room room, String peer, Cascade.Upstream upstream) {
        this.sfu = sfu;
        this.sessionId = sessionId;
        this.room = room;
        this.peer = peer;
        this.upstream = upstream;
    }

    void start(PublishedTrack published) {
        this.track = published;
        sfu.register(this);
        room.join(peer);
        room.addTrack(published, sfu.nanoTime());
    }

    /** Forwards one plaintext RTP packet (readable bytes) to the local viewers; the caller keeps ownership. */
    public void onRtp(ByteBuf packet) {
        if (ended) {
            return;
        }
        RtpPacket rtp;
        try {
            rtp = view.wrap(packet);
        } catch (ProtocolException e) {
            malformed++;
            return;
        }
        packets++;
        track.onRtp(rtp, sfu.nanoTime());
    }

    /** Ends the track: local viewers switch to another live track of its kind, or to nothing; idempotent. */
    public void end(String reason) {
        if (ended) {
            return;
        }
        ended = true;
        room.removeTrack(track, sfu.nanoTime());
        track.end();
        room.leave(peer);
        sfu.sessionClosed(sessionId, reason);
    }

    public boolean ended() {
        return ended;
    }

    public long packets() {
        return packets;
    }

    public long malformedPackets() {
        return malformed;
    }

    /** Local viewers currently attached. */
    public int viewers() {
        return track.downTracks().length;
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

    @Override
    public void sendKeyframeRequest(PublishedTrack published) {
        upstream.requestKeyframe();
    }

    @Override
    public void tick(long nowNanos) {
        if (ended) {
            return;
        }
        int due = track.dueNacks(nowNanos, nacks);
        if (due > 0) {
            upstream.nack(nacks, due);
        }
    }
}
