package io.relaymesh.node.sfu;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A test viewer: a {@link DownTrack} on a room's latest live track of one kind whose packets go to a consumer
 * instead of a peer connection (public so tests of other packages, such as the relay's, can watch a room).
 */
public final class SinkViewer {

    private final Sfu sfu;
    private final DownTrack down;
    private io.netty.util.concurrent.ScheduledFuture<?> selection;

    private SinkViewer(Sfu sfu, DownTrack down) {
        this.sfu = sfu;
        this.down = down;
    }

    /**
     * Attaches on the event loop; the future fails when the room has no live track of {@code kind} yet.
     *
     * @param packets receives each packet (plain RTP, the viewer's SSRC and payload type); releases it itself
     */
    public static CompletableFuture<SinkViewer> attach(Sfu sfu, String room, MediaKind kind, String codec, int pt,
                                                       int ssrc, Consumer<ByteBuf> packets) {
        return attach(sfu, room, kind, codec, pt, ssrc, Map.of(), packets);
    }

    /** As the other {@code attach}, for a viewer that negotiated these header extensions (ids by URI). */
    public static CompletableFuture<SinkViewer> attach(Sfu sfu, String room, MediaKind kind, String codec, int pt,
                                                       int ssrc, Map<String, Integer> extensions,
                                                       Consumer<ByteBuf> packets) {
        CompletableFuture<SinkViewer> done = new CompletableFuture<>();
        sfu.transport().execute(() -> {
            MediaSpec media = new MediaSpec("v", kind, List.of(new CodecSpec(pt, MediaCodec.of(codec), 90_000, -1)),
                    Map.copyOf(extensions), true, true, false);
            PublishedTrack latest = null;
            Room r = sfu.rooms().get(room);
            if (r != null) {
                for (PublishedTrack t : r.tracks()) {
                    if (t.kind() == kind && !t.ended()) {
                        latest = t;
                    }
                }
            }
            if (latest == null) {
                done.completeExceptionally(new IllegalStateException("no live " + kind + " track in " + room));
                return;
            }
            DownTrack d = new DownTrack(packets::accept, media, ssrc, 0, 1, 1, sfu.allocator());
            d.switchTo(latest, sfu.nanoTime());
            done.complete(new SinkViewer(sfu, d));
        });
        return done;
    }

    /** Whether the track it plays is still live (read on the event loop). */
    public CompletableFuture<Boolean> playing() {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        sfu.transport().execute(() -> done.complete(down.source() != null && !down.source().ended()));
        return done;
    }

    /**
     * Chooses this viewer's layers every {@value LayerSelection#INTERVAL_MILLIS} ms from a fixed send-side estimate,
     * as a WHEP session does from its connection's ({@link LayerSelection}); until {@link #close}.
     */
    public CompletableFuture<Void> selectLayersFor(long estimateBps) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        sfu.transport().execute(() -> {
            if (selection != null) {
                selection.cancel(false);
            }
            selection = sfu.transport().eventLoop().scheduleAtFixedRate(
                    () -> LayerSelection.select(List.of(down), estimateBps, DownTrack.ALL_LAYERS, DownTrack.ALL_LAYERS,
                            sfu.nanoTime()), 0, LayerSelection.INTERVAL_NANOS, java.util.concurrent.TimeUnit.NANOSECONDS);
            done.complete(null);
        });
        return done;
    }

    /** The picture width of the layer forwarded now (0 before any), read on the event loop. */
    public CompletableFuture<Integer> width() {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        sfu.transport().execute(() -> done.complete(down.currentLayer() == null ? 0 : down.currentLayer().width()));
        return done;
    }

    /** The rank of the layer forwarded now (0 the lowest; -1 before any), read on the event loop. */
    public CompletableFuture<Integer> spatial() {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        sfu.transport().execute(() -> done.complete(down.spatial()));
        return done;
    }

    /**
     * Spatial layers the played track's one stream describes (VP9 SVC, AV1 dependency descriptor), 0 when it
     * describes none: what this node's layer filters can select by. Read on the event loop.
     */
    public CompletableFuture<Integer> scalableSpatialLayers() {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        sfu.transport().execute(() -> {
            PublishedTrack source = down.source();
            ScalableLayers inner = source == null ? null : source.scalable();
            done.complete(inner == null || !inner.layered() ? 0 : inner.spatialLayers(sfu.nanoTime()));
        });
        return done;
    }

    /** How many layers the track played has, read on the event loop. */
    public CompletableFuture<Integer> layers() {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        sfu.transport().execute(() -> done.complete(down.source() == null ? 0 : down.source().layers().count()));
        return done;
    }

    public CompletableFuture<Void> close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        sfu.transport().execute(() -> {
            if (selection != null) {
                selection.cancel(false);
            }
            down.close();
            done.complete(null);
        });
        return done;
    }
}
