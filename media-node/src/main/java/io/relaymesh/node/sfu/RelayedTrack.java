package io.relaymesh.node.sfu;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtp.RtpPacket;

/**
 * A track received from another media node, published into a local room: local viewers' down tracks play it
 * as any publisher's. A simulcast track arrives as one stream per layer, each named by its layer index (the index
 * it has where it is published, {@link TrackLayers#indexOf}), and becomes a layer here, learned at its first packet,
 * so local viewers' layer selection works as for a local simulcast publisher. Keyframe requests and the link's
 * NACKs go upstream per layer through {@link Cascade.Upstream}, one per layer however many local viewers ask (the
 * layer merges them); {@link #demand} says which layers local viewers need. Event loop only.
 */
public final class RelayedTrack implements TrackSource, SfuSession {

    private static final int MAX_NACKS = 64;

    private final Sfu sfu;
    private final String sessionId;
    private final Room room;
    private final String peer;
    private final Cascade.Upstream upstream;
    private final MediaSpec media;
    private final CodecSpec codec;
    private final RtpPacket view = new RtpPacket();
    private final int[] nacks = new int[MAX_NACKS];
    /** The primary (layer index 0), which stands for the track in the room. */
    private PublishedTrack track;
    /** Layers by index, learned as they arrive. */
    private final PublishedTrack[] layers = new PublishedTrack[TrackLayers.MAX_LAYERS];
    private int upstreamLayers = Cascade.ALL_LAYERS;
    private boolean ended;
    private long packets;
    private long malformed;

    RelayedTrack(Sfu sfu, String sessionId, Room room, String peer, Cascade.Upstream upstream, MediaSpec media,
                 CodecSpec codec) {
        this.sfu = sfu;
        this.sessionId = sessionId;
        this.room = room;
        this.peer = peer;
        this.upstream = upstream;
        this.media = media;
        this.codec = codec;
    }

    /** The local SSRC of layer {@code index} (what the layer's statistics and stats name it by). */
    static int ssrcOf(int index) {
        return 0x2000 + index;
    }

    void start(PublishedTrack published) {
        this.track = published;
        layers[0] = published;
        sfu.register(this);
        room.join(peer);
        room.addTrack(published, sfu.nanoTime());
    }

    /**
     * Forwards one plaintext RTP packet (readable bytes) of layer {@code layer} (0..{@value Cascade#MAX_LAYERS} - 1)
     * to the local viewers; the caller keeps ownership.
     */
    public void onRtp(ByteBuf packet, int layer) {
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
        PublishedTrack target = layers[layer];
        if (target == null) {
            target = learn(layer);
        }
        packets++;
        target.onRtp(rtp, sfu.nanoTime());
    }

    /** The first packet of a layer: it joins the track's layers, under the index it has upstream. */
    private PublishedTrack learn(int index) {
        PublishedTrack layer = new PublishedTrack(track.id(), this, media, codec, ssrcOf(index), sfu.nextEpoch(),
                track.layers(), null, index);
        layers[index] = layer;
        return layer;
    }

    /** The layers learned here (bit i: index i). */
    public int learnedLayers() {
        return track.layers().indexMask();
    }

    /** What the parent says the track has (bit i: index i); every layer until it says. */
    public int upstreamLayers() {
        return upstreamLayers;
    }

    public void upstreamLayers(int mask) {
        upstreamLayers = mask;
    }

    /**
     * The layers local viewers need (bit i: index i): the lowest one always; per viewer the layer it plays, the one
     * it is switching to, and the one ranked just above the higher of the two, so that its layer selection can
     * measure the next step up and climb. Down tracks pinned to one layer (child nodes' subscriptions) are not
     * viewers: their demand travels separately.
     */
    public int demand() {
        if (ended) {
            return 0;
        }
        TrackLayers group = track.layers();
        group.rank(sfu.nanoTime());
        int mask = bit(group, group.layer(0));
        for (DownTrack d : group.downTracks()) {
            if (d.pinned()) {
                continue;
            }
            PublishedTrack current = d.currentLayer();
            PublishedTrack target = d.targetLayer();
            mask |= bit(group, current) | bit(group, target);
            int top = Math.max(current == null ? -1 : group.rankOf(current), target == null ? -1 : group.rankOf(target));
            if (top >= 0 && top + 1 < group.count()) {
                mask |= bit(group, group.layer(top + 1));
            }
        }
        return mask;
    }

    private static int bit(TrackLayers group, PublishedTrack layer) {
        int index = layer == null ? -1 : group.indexOf(layer);
        return index < 0 ? 0 : 1 << index;
    }

    /** Packets received for layer {@code index} (0 when it was never learned). */
    public long packets(int index) {
        PublishedTrack layer = layers[index];
        return layer == null ? 0 : layer.packets();
    }

    /** Ends the track: local viewers switch to another live track of its kind, or to nothing; idempotent. */
    public void end(String reason) {
        if (ended) {
            return;
        }
        ended = true;
        room.removeTrack(track, sfu.nanoTime());
        for (PublishedTrack layer : layers) {
            if (layer != null) {
                layer.end();
            }
        }
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
        int index = published.layers().indexOf(published);
        if (index >= 0) {
            upstream.requestKeyframe(index);
        }
    }

    @Override
    public void tick(long nowNanos) {
        if (ended) {
            return;
        }
        for (int index = 0; index < layers.length; index++) {
            PublishedTrack layer = layers[index];
            int due = layer == null ? 0 : layer.dueNacks(nowNanos, nacks);
            if (due > 0) {
                upstream.nack(index, nacks, due);
            }
        }
    }
}
