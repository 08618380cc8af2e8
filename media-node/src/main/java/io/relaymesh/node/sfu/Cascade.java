package io.relaymesh.node.sfu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The SFU's side of cascading between media nodes (package {@code relay}): what this node publishes, a remote
 * node's subscription to one of those tracks (one {@link RemoteViewer} per link, however many viewers the remote
 * node has), and a stream received from another node published into a local room ({@link RelayedTrack}), so
 * local viewers play it through the same path as any publisher's. Every method runs on the SFU's event loop
 * ({@link #eventLoop()}) unless it says otherwise.
 */
public final class Cascade {

    /**
     * A track as the cluster directory describes it.
     *
     * @param room        room name
     * @param trackId     the track's id on its publishing node ({@code session:index})
     * @param peer        the publishing peer
     * @param kind        audio or video
     * @param codec       codec name (opus, VP8, H264, ...)
     * @param clockRate   RTP clock rate
     * @param payloadType payload type of the packets as relayed
     */
    public record TrackDescription(String room, String trackId, String peer, MediaKind kind, String codec,
                                   int clockRate, int payloadType) {
    }

    /** Receives a relayed copy of each packet; takes ownership of {@code packet} (with SRTP tail room). */
    @FunctionalInterface
    public interface PacketSink {
        void send(ByteBuf packet);
    }

    /** Feedback a relayed track sends towards the node it comes from. */
    public interface Upstream {
        /** A local viewer needs a keyframe (already limited to one per 100 ms per track). */
        void requestKeyframe();

        /** Sequence numbers ({@code seqs[0..count)}) lost on the link, due for retransmission. */
        void nack(int[] seqs, int count);
    }

    private final Sfu sfu;

    public Cascade(Sfu sfu) {
        this.sfu = sfu;
    }

    /** The SFU's event loop: run everything here. */
    public EventLoop eventLoop() {
        return sfu.transport().eventLoop();
    }

    public long nanoTime() {
        return sfu.nanoTime();
    }

    /** Any thread. */
    public ByteBufAllocator allocator() {
        return sfu.allocator();
    }

    /** Live tracks published on this node by its own publishers and ingests (relayed tracks excluded). */
    public List<TrackDescription> localTracks() {
        List<TrackDescription> out = new ArrayList<>();
        for (Room room : sfu.rooms().values()) {
            for (PublishedTrack t : room.tracks()) {
                if (!t.ended() && !(t.source() instanceof RelayedTrack)) {
                    out.add(describe(room.name(), t));
                }
            }
        }
        return out;
    }

    private static TrackDescription describe(String room, PublishedTrack t) {
        return new TrackDescription(room, t.id(), t.source().peer(), t.kind(), t.codec().codec().name(),
                t.codec().clockRate(), t.codec().payloadType());
    }

    /**
     * Attaches a remote node's subscription to live track {@code trackId} of {@code room}: each packet is
     * copied once, rewritten to {@code ssrc} (payload type, sequence numbers and timestamps continuous as for a
     * viewer) and handed to {@code sink}.
     *
     * @return the subscription, or null when the room has no such live track
     */
    public RemoteViewer attach(String room, String trackId, int ssrc, PacketSink sink) {
        Room r = sfu.rooms().get(room);
        if (r == null) {
            return null;
        }
        for (PublishedTrack t : r.tracks()) {
            if (t.id().equals(trackId) && !t.ended()) {
                DownTrack down = new DownTrack(sink::send, t.media(), ssrc, 0,
                        ssrc & 0xFFFF, ssrc ^ 0x5EED, sfu.allocator());
                RemoteViewer viewer = new RemoteViewer(down, sfu);
                down.switchTo(t, sfu.nanoTime());
                return viewer;
            }
        }
        return null;
    }

    /**
     * Publishes a stream received from another node into local room {@code description.room()} as peer
     * {@code description.peer()}; local viewers switch to it as to any new track.
     *
     * @param sessionId unique on this node (the session the track belongs to)
     */
    public RelayedTrack publish(TrackDescription description, String sessionId, Upstream upstream) {
        Room room = sfu.room(description.room());
        MediaCodec codec = MediaCodec.of(description.codec());
        CodecSpec spec = new CodecSpec(description.payloadType(), codec, description.clockRate(), -1);
        boolean video = description.kind() == MediaKind.VIDEO;
        MediaSpec media = new MediaSpec("0", description.kind(), List.of(spec), Map.of(), video, video, false);
        RelayedTrack relayed = new RelayedTrack(sfu, sessionId, room, description.peer(), upstream);
        PublishedTrack track = new PublishedTrack(sessionId + ":0", relayed, media, spec, 0x2000, sfu.nextEpoch());
        relayed.start(track);
        return relayed;
    }
}
