package io.relaymesh.node.sfu;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;
import io.relaymesh.node.rtp.RtpHeaderWriter;
import io.relaymesh.node.rtp.RtpPacket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A test publisher of a VP8 simulcast track with three layers (rids q, h, f: 320x180, 640x360 and 1280x720 keyframes,
 * packets of 200, 500 and 1100 bytes), driven on the SFU's event loop like a browser: one packet per layer every
 * 20 ms, and a keyframe of a layer soon after the node asked for one ({@link PublishedTrack#keyframeRequests}), as
 * a publisher answers a PLI. Public so the relay's tests can publish simulcast on a node.
 */
public final class SimulcastSource implements AutoCloseable {

    public static final int PT = 96;
    public static final int LAYERS = 3;
    static final int RID_ID = 10;
    private static final String[] RIDS = {"q", "h", "f"};
    private static final int[] WIDTHS = {320, 640, 1280};
    private static final int[] HEIGHTS = {180, 360, 720};
    private static final int[] SIZES = {200, 500, 1100};
    private static final long INTERVAL_NANOS = 20_000_000L;

    private final Sfu sfu;
    private final Publisher publisher;
    private final long[] requestsAnswered = new long[LAYERS];
    private final long[] sent = new long[LAYERS];
    private int seq = 1;
    private ScheduledFuture<?> timer;

    private SimulcastSource(Sfu sfu, Publisher publisher) {
        this.sfu = sfu;
        this.publisher = publisher;
    }

    /** Opens the publisher in {@code room} and starts sending (the first packet of each layer is a keyframe). */
    public static SimulcastSource start(Sfu sfu, String room) throws Exception {
        CompletableFuture<SimulcastSource> done = new CompletableFuture<>();
        sfu.transport().execute(() -> {
            MediaSpec video = new MediaSpec("1", MediaKind.VIDEO, List.of(new CodecSpec(PT, MediaCodec.VP8, 90_000, -1)),
                    Map.of(Publisher.RID, RID_ID), true, true, false);
            Publisher publisher = new Publisher(sfu, "sim-1", sfu.room(room), "camera", List.of(video), 0x51);
            SimulcastSource source = new SimulcastSource(sfu, publisher);
            source.timer = sfu.transport().eventLoop().scheduleAtFixedRate(source::tick, 0, INTERVAL_NANOS,
                    TimeUnit.NANOSECONDS);
            done.complete(source);
        });
        return done.get(10, TimeUnit.SECONDS);
    }

    private void tick() {
        List<PublishedTrack> tracks = publisher.tracks();
        for (int layer = 0; layer < LAYERS; layer++) {
            PublishedTrack track = layerTrack(tracks, layer);
            boolean keyframe = track == null || track.keyframeRequests() > requestsAnswered[layer];
            if (track != null) {
                requestsAnswered[layer] = track.keyframeRequests();
            }
            ByteBuf packet = packet(layer, seq, keyframe);
            try {
                publisher.onRtp(null, packet);
            } finally {
                packet.release();
            }
            sent[layer]++;
        }
        seq++;
    }

    private static PublishedTrack layerTrack(List<PublishedTrack> tracks, int layer) {
        for (PublishedTrack t : tracks) {
            if (RIDS[layer].equals(t.rid())) {
                return t;
            }
        }
        return null;
    }

    /** A VP8 packet of {@code layer} (SSRC 0x1000 + layer) with its rid, a keyframe carrying the layer's size. */
    private ByteBuf packet(int layer, int seq, boolean keyframe) {
        ByteBuf b = sfu.allocator().directBuffer(64 + SIZES[layer]);
        b.writeZero(5).readerIndex(5);
        int start = RtpHeaderWriter.writeHeader(b, PT, true, seq, seq * 1800, 0x1000 + layer);
        byte[] rid = RIDS[layer].getBytes(StandardCharsets.US_ASCII);
        b.setByte(start, b.getByte(start) | 0x10);
        b.writeShort(RtpPacket.PROFILE_ONE_BYTE).writeShort(1);
        b.writeByte(RID_ID << 4 | (rid.length - 1)).writeBytes(rid).writeZero(4 - 1 - rid.length);
        int payloadStart = b.writerIndex();
        b.writeByte(0x90).writeByte(0x00); // VP8 descriptor: X, S; no picture id
        if (keyframe) {
            b.writeByte(0x10).writeByte(0x02).writeByte(0x00) // frame tag, key frame
                    .writeByte(0x9d).writeByte(0x01).writeByte(0x2a) // start code
                    .writeShortLE(WIDTHS[layer]).writeShortLE(HEIGHTS[layer]);
        } else {
            b.writeByte(0x11).writeByte(0x02).writeByte(0x00); // frame tag, inter frame
        }
        b.writeZero(SIZES[layer] - (b.writerIndex() - payloadStart));
        return b;
    }

    /** Keyframe requests the node made per layer (index 0 = q, the lowest), read on the event loop. */
    public long[] keyframeRequests() throws Exception {
        CompletableFuture<long[]> done = new CompletableFuture<>();
        sfu.transport().execute(() -> {
            long[] out = new long[LAYERS];
            for (int layer = 0; layer < LAYERS; layer++) {
                PublishedTrack t = layerTrack(publisher.tracks(), layer);
                out[layer] = t == null ? 0 : t.keyframeRequests();
            }
            done.complete(out);
        });
        return done.get(10, TimeUnit.SECONDS);
    }

    /** Ends what {@code publisher} publishes, as its session's close does (which needs a connection). */
    static void endTracks(Sfu sfu, Publisher publisher) {
        for (PublishedTrack t : List.copyOf(publisher.tracks())) {
            publisher.room().removeTrack(t, sfu.nanoTime());
            t.end();
        }
    }

    /** Stops sending and ends the track (frees what it keeps for retransmission). */
    @Override
    public void close() throws Exception {
        sfu.transport().eventLoop().submit(() -> {
            timer.cancel(false);
            endTracks(sfu, publisher);
        }).get(10, TimeUnit.SECONDS);
    }
}
