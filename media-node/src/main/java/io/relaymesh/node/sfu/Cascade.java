package io.relaymesh.node.sfu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.relaymesh.node.rtp.codec.Av1DependencyDescriptor;
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

    /** Layers of one track a relay link carries at most (a simulcast track's layers, each its own stream). */
    public static final int MAX_LAYERS = TrackLayers.MAX_LAYERS;
    /** Every layer: {@code (1 << MAX_LAYERS) - 1} as a layer mask. */
    public static final int ALL_LAYERS = (1 << MAX_LAYERS) - 1;
    /** The SSRC of a layer's stream on a relay link is the channel with the layer index in its top two bits. */
    public static final int LAYER_SHIFT = 30;
    /** The bits of a relay SSRC that are the channel. */
    public static final int CHANNEL_MASK = (1 << LAYER_SHIFT) - 1;
    /**
     * The header extensions a relay link carries, with their ids on every link (RFC 8285 one-byte ids): what the
     * nodes down the tree need to select and mix (the AV1 dependency descriptor, the audio level) or what viewers
     * need to render (the video orientation). The publisher's ids are mapped to these on the way out and from
     * these to each viewer's at the far end; transport-wide sequence numbers, mid, rid and send times describe
     * one hop and are not carried.
     */
    static final Map<String, Integer> RELAY_EXTENSIONS = Map.of(
            "urn:ietf:params:rtp-hdrext:ssrc-audio-level", 1,
            Av1DependencyDescriptor.URI, 2,
            "urn:3gpp:video-orientation", 3);

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
        /** A local viewer needs a keyframe of layer {@code layer} (already limited to one per 100 ms per layer). */
        void requestKeyframe(int layer);

        /** Sequence numbers ({@code seqs[0..count)}) of layer {@code layer} lost on the link, due for retransmission. */
        void nack(int layer, int[] seqs, int count);
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

    /** The SSRC of layer {@code layer} of relay channel {@code channel}. */
    public static int layerSsrc(int channel, int layer) {
        return channel | layer << LAYER_SHIFT;
    }

    /**
     * Attaches a remote node's subscription to live track {@code trackId} of {@code room}: each layer of the track
     * becomes a stream of its own ({@link #layerSsrc}), each packet copied once, rewritten (payload type, sequence
     * numbers and timestamps continuous per layer as for a viewer, header extensions to
     * {@link #RELAY_EXTENSIONS}) and handed to {@code sink}. No layer flows until {@link RemoteViewer#refresh}.
     *
     * @return the subscription, or null when the room has no such live track
     */
    public RemoteViewer attach(String room, String trackId, int channel, PacketSink sink) {
        Room r = sfu.rooms().get(room);
        if (r == null) {
            return null;
        }
        for (PublishedTrack t : r.tracks()) {
            if (t.id().equals(trackId) && !t.ended()) {
                MediaSpec m = t.media();
                MediaSpec link = new MediaSpec(m.mid(), m.kind(), m.codecs(), RELAY_EXTENSIONS, m.nack(), m.pli(),
                        m.fir());
                return new RemoteViewer(t, link, channel, sink::send, sfu);
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
        MediaSpec media = new MediaSpec("0", description.kind(), List.of(spec), RELAY_EXTENSIONS, video, video,
                false);
        RelayedTrack relayed = new RelayedTrack(sfu, sessionId, room, description.peer(), upstream, media, spec);
        PublishedTrack track = new PublishedTrack(sessionId + ":0", relayed, media, spec, RelayedTrack.ssrcOf(0),
                sfu.nextEpoch());
        relayed.start(track);
        return relayed;
    }
}
