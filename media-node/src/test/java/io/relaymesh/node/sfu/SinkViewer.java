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
        CompletableFuture<SinkViewer> done = new CompletableFuture<>();
        sfu.transport().execute(() -> {
            MediaSpec media = new MediaSpec("v", kind, List.of(new CodecSpec(pt, MediaCodec.of(codec), 90_000, -1)),
                    Map.of(), true, true, false);
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

    public CompletableFuture<Void> close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        sfu.transport().execute(() -> {
            down.close();
            done.complete(null);
        });
        return done;
    }
}
