package io.relaymesh.node.sfu;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A test publisher of one video track with the header extensions a browser negotiated, fed RTP packets by the
 * test (public so the relay's tests can publish on a node what Ingest cannot: header extensions, AV1).
 */
public final class PacketSource implements AutoCloseable {

    private final Sfu sfu;
    private final Publisher publisher;

    private PacketSource(Sfu sfu, Publisher publisher) {
        this.sfu = sfu;
        this.publisher = publisher;
    }

    /** A publisher in {@code room} of {@code codec} on payload type {@code pt}, with these extension ids by URI. */
    public static PacketSource open(Sfu sfu, String room, String codec, int pt, Map<String, Integer> extensions)
            throws Exception {
        CompletableFuture<PacketSource> done = new CompletableFuture<>();
        sfu.transport().execute(() -> {
            MediaSpec video = new MediaSpec("1", MediaKind.VIDEO,
                    List.of(new CodecSpec(pt, MediaCodec.of(codec), 90_000, -1)), Map.copyOf(extensions), true, true,
                    false);
            done.complete(new PacketSource(sfu, new Publisher(sfu, "src-1", sfu.room(room), "camera", List.of(video),
                    0x52)));
        });
        return done.get(10, TimeUnit.SECONDS);
    }

    /** Publishes {@code packet} on the event loop as the transport would; takes ownership. */
    public void send(ByteBuf packet) {
        sfu.transport().execute(() -> {
            try {
                publisher.onRtp(null, packet);
            } finally {
                packet.release();
            }
        });
    }

    /** Ends the track (frees what it keeps for retransmission). */
    @Override
    public void close() throws Exception {
        sfu.transport().eventLoop().submit(() -> SimulcastSource.endTracks(sfu, publisher)).get(10, TimeUnit.SECONDS);
    }
}
