package io.relaymesh.node.sfu;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtp.RtpPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A publisher that is not a WebRTC peer: an RTMP or SIP ingest (or a test) that produces RTP packets itself and
 * publishes them into a room like any WHIP publisher, so every viewer's path is the same.
 *
 * <p>{@link #send} may be called from any thread: off the media event loop the packet goes into the track's
 * bounded lock-free inbox ({@value #INBOX_CAPACITY} packets), which one task drains, scheduled when the first packet
 * of a batch arrives (no task and no allocation per packet). The
 * ingest cannot be asked for keyframes on demand: an RTMP publisher's viewers wait for its next keyframe (its
 * keyframe interval bounds their first picture). {@link #keyframeWanted()} tells a producer that can encode one
 * (and tests) that a viewer is waiting for one; the RTMP ingest does not read it.
 */
public final class Ingest implements TrackSource, SfuSession {

    /** Packets a track's inbox holds for the event loop (over 10 s of a 2.5 Mbit/s video track). */
    static final int INBOX_CAPACITY = 4096;

    /**
     * One track the ingest publishes.
     *
     * @param kind        audio or video
     * @param codec       encoding name as in SDP: opus, VP8, H264, ...
     * @param clockRate   RTP clock rate
     * @param payloadType payload type the producer writes into its packets
     */
    public record Track(MediaKind kind, String codec, int clockRate, int payloadType) {
    }

    private final Sfu sfu;
    private final String sessionId;
    private final Room room;
    private final String peer;
    private final SfuListener.SessionInfo info;
    private final List<PublishedTrack> tracks = new ArrayList<>();
    private final RtpPacket view = new RtpPacket();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean keyframeWanted;
    /**
     * Packets handed over from other threads, one inbox per track (Netty's bounded lock-free multi-producer queue:
     * an offer and a poll allocate nothing).
     */
    private final Queue<ByteBuf>[] inboxes;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drainInboxes;
    private final AtomicLong inboxOverflows = new AtomicLong();
    private long openedAtNanos;
    private long packetsIn;
    private long bytesIn;
    private long malformed;

    @SuppressWarnings("unchecked")
    private Ingest(Sfu sfu, String sessionId, String protocol, Room room, String peer, int trackCount) {
        this.sfu = sfu;
        this.inboxes = new Queue[trackCount];
        for (int i = 0; i < trackCount; i++) {
            inboxes[i] = PlatformDependent.newFixedMpscQueue(INBOX_CAPACITY);
        }
        this.sessionId = sessionId;
        this.room = room;
        this.peer = peer;
        this.info = new SfuListener.SessionInfo(sessionId, protocol, room.name(), peer);
    }

    /**
     * Publishes {@code tracks} into {@code room} as {@code peer}; completes on the event loop once viewers can
     * receive them.
     *
     * @param protocol the ingest protocol for events (rtmp, sip)
     */
    public static CompletableFuture<Ingest> open(Sfu sfu, String sessionId, String protocol, String room, String peer,
                                                 List<Track> tracks) {
        CompletableFuture<Ingest> done = new CompletableFuture<>();
        sfu.transport().execute(() -> {
            try {
                Room r = sfu.room(room);
                Ingest ingest = new Ingest(sfu, sessionId, protocol, r, peer, tracks.size());
                ingest.openedAtNanos = sfu.nanoTime();
                sfu.register(ingest);
                sfu.listener().sessionOpened(ingest.info);
                r.join(peer);
                int index = 0;
                for (Track t : tracks) {
                    CodecSpec codec = new CodecSpec(t.payloadType(), MediaCodec.of(t.codec()), t.clockRate(), -1);
                    MediaSpec media = new MediaSpec(Integer.toString(index), t.kind(), List.of(codec), Map.of(),
                            false, false, false);
                    PublishedTrack track = new PublishedTrack(sessionId + ":" + index, ingest, media, codec,
                            0x1000 + index, sfu.nextEpoch());
                    ingest.tracks.add(track);
                    index++;
                }
                for (PublishedTrack track : ingest.tracks) {
                    r.addTrack(track, sfu.nanoTime());
                }
                sfu.listener().sessionConnected(ingest.info, 0);
                done.complete(ingest);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /**
     * Publishes one RTP packet of track {@code trackIndex} (the readable region). Takes ownership of
     * {@code packet}. Packets after {@link #close} are released unsent.
     */
    public void send(int trackIndex, ByteBuf packet) {
        if (sfu.transport().eventLoop().inEventLoop()) {
            deliver(trackIndex, packet);
            return;
        }
        if (closed.get() || trackIndex < 0 || trackIndex >= inboxes.length) {
            packet.release();
            return;
        }
        if (!inboxes[trackIndex].offer(packet)) {
            // The event loop has not drained the inbox for thousands of packets (seconds of media): it is stalled
            // or overloaded, and holding more would only add delay. Counted; the viewers' NACKs and keyframe wait
            // repair what they can.
            packet.release();
            inboxOverflows.incrementAndGet();
            return;
        }
        if (!drainScheduled.get() && drainScheduled.compareAndSet(false, true)) {
            sfu.transport().execute(drain);
        }
    }

    /** Delivers what other threads handed over; event loop. Cleared first, so a packet offered meanwhile gets a task. */
    private void drainInboxes() {
        drainScheduled.set(false);
        for (int i = 0; i < inboxes.length; i++) {
            Queue<ByteBuf> inbox = inboxes[i];
            ByteBuf packet;
            while ((packet = inbox.poll()) != null) {
                deliver(i, packet);
            }
        }
    }

    /** Packets dropped because a track's inbox was full (the event loop did not keep up). */
    public long inboxOverflows() {
        return inboxOverflows.get();
    }

    private void deliver(int trackIndex, ByteBuf packet) {
        try {
            if (closed.get() || trackIndex < 0 || trackIndex >= tracks.size()) {
                return;
            }
            RtpPacket rtp;
            try {
                rtp = view.wrap(packet);
            } catch (ProtocolException e) {
                malformed++;
                return;
            }
            packetsIn++;
            bytesIn += packet.readableBytes();
            tracks.get(trackIndex).onRtp(rtp, sfu.nanoTime());
        } finally {
            packet.release();
        }
    }

    /** Reports a warning about this session to the node's listeners (events); any thread. */
    public void warn(String code, String message) {
        sfu.transport().execute(() -> sfu.listener().sessionWarning(info, code, message));
    }

    /** True when a viewer asked for a keyframe since the last call (clears the flag). */
    public boolean keyframeWanted() {
        boolean wanted = keyframeWanted;
        keyframeWanted = false;
        return wanted;
    }

    /** Ends the tracks (viewers are told through the room) and the session; idempotent, any thread. */
    public void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        sfu.transport().execute(() -> {
            long now = sfu.nanoTime();
            for (PublishedTrack t : tracks) {
                room.removeTrack(t, now);
                t.end();
            }
            room.leave(peer);
            sfu.listener().sessionClosed(info, new SfuListener.SessionSummary((now - openedAtNanos) / 1_000_000,
                    bytesIn, 0, packetsIn, 0, -1), reason);
            sfu.sessionClosed(sessionId, reason);
            drainInboxes(); // releases what other threads handed over before the close (delivery checks it)
        });
    }

    public String sessionId() {
        return sessionId;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Packets that were not RTP (a producer bug). */
    public long malformedPackets() {
        return malformed;
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public boolean encodesOnRequest() {
        return false; // asking again costs a flag: a producer that can encode on request sees it as soon as possible
    }

    @Override
    public void sendKeyframeRequest(PublishedTrack track) {
        keyframeWanted = true;
    }

    @Override
    public Room room() {
        return room;
    }

    @Override
    public void tick(long nowNanos) {
        // nothing to report upstream: the producer is local
    }
}
