package io.relaymesh.node.sfu;

/**
 * A remote node's subscription to one local track: per layer of the track a {@link DownTrack} pinned to that layer
 * whose "viewer" is the relay link, so each layer leaves this node as a stream of its own ({@link
 * Cascade#layerSsrc}), rewritten and kept continuous exactly as a viewer's stream is.
 *
 * <p>Demand: the remote node says which layers it needs ({@link #demand}); the others are paused (detached, so
 * they cost nothing per packet) and resumed at a keyframe of their own, asked for when they resume. The layer the
 * track ranks lowest always flows, so a viewer down the tree can always fall back at once. Until the first demand
 * every layer flows. Event loop only.
 */
public final class RemoteViewer {

    private final PublishedTrack track;
    private final MediaSpec media;
    private final int channel;
    private final RtpSink sink;
    private final Sfu sfu;
    /** By layer index; null until the layer is known here and a stream was granted for it. */
    private final DownTrack[] streams = new DownTrack[TrackLayers.MAX_LAYERS];
    private int demand = Cascade.ALL_LAYERS;
    private int streamCount;

    RemoteViewer(PublishedTrack track, MediaSpec media, int channel, RtpSink sink, Sfu sfu) {
        this.track = track;
        this.media = media;
        this.channel = channel;
        this.sink = sink;
        this.sfu = sfu;
    }

    /**
     * Makes streams for layers learned since the last call (at most {@code budget} new ones: each is an SSRC of the
     * link) and pauses or resumes each as the demand and the current lowest layer say.
     *
     * @return the streams made by this call
     */
    public int refresh(int budget) {
        long now = sfu.nanoTime();
        TrackLayers layers = track.layers();
        int made = 0;
        for (int index = 0; index < streams.length && made < budget; index++) {
            if (streams[index] == null && layers.byIndex(index) != null) {
                int ssrc = Cascade.layerSsrc(channel, index);
                DownTrack down = new DownTrack(sink, media, ssrc, 0, ssrc & 0xFFFF, ssrc ^ 0x5EED, sfu.allocator());
                down.pin();
                streams[index] = down;
                streamCount++;
                made++;
            }
        }
        apply(now);
        return made;
    }

    /** The layers (bit i: index i) the remote node needs now; applied at once. */
    public void demand(int layers) {
        if (layers != demand) {
            demand = layers;
            apply(sfu.nanoTime());
        }
    }

    private void apply(long now) {
        if (track.ended()) {
            return;
        }
        TrackLayers layers = track.layers();
        layers.rank(now);
        PublishedTrack lowest = layers.layer(0);
        for (int index = 0; index < streams.length; index++) {
            DownTrack down = streams[index];
            PublishedTrack layer = layers.byIndex(index);
            if (down == null || layer == null) {
                continue;
            }
            boolean wanted = (demand & 1 << index) != 0 || layer == lowest;
            if (wanted && down.source() == null) {
                down.switchTo(layer, now); // asks the layer's source for a keyframe: the stream restarts at one
            } else if (!wanted && down.source() != null) {
                down.switchTo(null, now);
            }
        }
    }

    /**
     * The layers the track has (bit i: index i): those learned here, and for a track this node itself receives
     * over a relay also those its own parent has (they come here once demanded).
     */
    public int layers() {
        int mask = track.layers().indexMask();
        return track.source() instanceof RelayedTrack relayed ? mask | relayed.upstreamLayers() : mask;
    }

    /** The remote node's viewers need a keyframe of layer {@code layer} (limited to one per 100 ms per layer). */
    public void requestKeyframe(int layer) {
        PublishedTrack l = layer >= 0 && layer < TrackLayers.MAX_LAYERS ? track.layers().byIndex(layer) : null;
        if (l != null) {
            l.requestKeyframe(sfu.nanoTime());
        }
    }

    /** Resends sequence number {@code seq} of layer {@code layer}'s stream from the cache; false when it cannot. */
    public boolean retransmit(int layer, int seq) {
        DownTrack down = layer >= 0 && layer < TrackLayers.MAX_LAYERS ? streams[layer] : null;
        return down != null && down.retransmit(seq, sfu.nanoTime());
    }

    /** True once the track's publisher stopped. */
    public boolean ended() {
        return track.ended();
    }

    /** Streams made (SSRCs this subscription uses on the link). */
    public int streams() {
        return streamCount;
    }

    /** Whether layer {@code layer}'s stream is flowing now. */
    public boolean flowing(int layer) {
        DownTrack down = streams[layer];
        return down != null && down.source() != null;
    }

    /** Packets sent on layer {@code layer}'s stream. */
    public long packetsSent(int layer) {
        DownTrack down = streams[layer];
        return down == null ? 0 : down.packetsSent();
    }

    public long packetsSent() {
        long sum = 0;
        for (DownTrack down : streams) {
            sum += down == null ? 0 : down.packetsSent();
        }
        return sum;
    }

    /** Stops forwarding. */
    public void close() {
        for (DownTrack down : streams) {
            if (down != null) {
                down.close();
            }
        }
    }
}
