package io.relaymesh.node.rtmp;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.sfu.Ingest;
import io.relaymesh.node.sfu.Sfu;
import java.util.concurrent.CompletableFuture;

/** Opens a publication into a room: in the node, an SFU {@link Ingest}; in tests, a recorder. */
@FunctionalInterface
public interface RoomPublisher {

    /** A live publication: RTP in (ownership moves), warnings for the session's events, and its end. */
    interface Stream {
        void send(int track, ByteBuf packet);

        /** Reports a problem the publication keeps running with ({@code code} is stable, e.g. rtmp.b-frames). */
        void warn(String code, String message);

        void close(String reason);
    }

    /** Publishes the RTMP tracks (H264 video, Opus audio) into {@code room} as {@code peer}. */
    CompletableFuture<Stream> publish(String sessionId, String room, String peer);

    /** Publishes into the node's SFU. */
    static RoomPublisher of(Sfu sfu) {
        return (sessionId, room, peer) -> Ingest.open(sfu, sessionId, "rtmp", room, peer, RtmpPublication.TRACKS)
                .thenApply(ingest -> new Stream() {
                    @Override
                    public void send(int track, ByteBuf packet) {
                        ingest.send(track, packet);
                    }

                    @Override
                    public void warn(String code, String message) {
                        ingest.warn(code, message);
                    }

                    @Override
                    public void close(String reason) {
                        ingest.close(reason);
                    }
                });
    }
}
