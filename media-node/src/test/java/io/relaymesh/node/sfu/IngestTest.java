package io.relaymesh.node.sfu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.relaymesh.node.dtls.DtlsCertificate;
import io.relaymesh.node.rtp.RtpHeaderWriter;
import io.relaymesh.node.rtp.RtpPacket;
import io.relaymesh.node.srtp.SrtpProfile;
import io.relaymesh.node.transport.WebRtcTransport;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An ingest (RTMP/SIP-style) publishes through the same path as WebRTC publishers, and says so to listeners. */
class IngestTest {

    private static final int H264_PT = 96;

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<Integer> received = new CopyOnWriteArrayList<>();
    private WebRtcTransport transport;
    private Sfu sfu;

    @BeforeEach
    void start() throws Exception {
        SecureRandom random = new SecureRandom();
        transport = WebRtcTransport.bind(List.of(InetAddress.getLoopbackAddress()), 0, System::nanoTime,
                new WebRtcTransport.DtlsSettings(DtlsCertificate.generate(Clock.systemUTC(), random),
                        List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80), random));
        sfu = new Sfu(transport, Clock.systemUTC(), "test", new Recorder());
    }

    @AfterEach
    void stop() {
        sfu.close();
        transport.close();
    }

    /** A one-packet H264 IDR frame (NAL type 5) with sequence number {@code seq}. */
    private static ByteBuf idr(int seq) {
        ByteBuf b = ByteBufAllocator.DEFAULT.directBuffer(64);
        RtpHeaderWriter.writeHeader(b, H264_PT, true, seq, seq * 3000, 0x1234);
        b.writeByte(0x65).writeZero(20);
        return b;
    }

    /** A viewer's down track on the room's video (H264 as payload type 102), fed to {@code sink}. */
    private void watch(RtpSink sink) throws Exception {
        MediaSpec viewerMedia = new MediaSpec("1", MediaKind.VIDEO,
                List.of(new CodecSpec(102, MediaCodec.H264, 90_000, -1)), Map.of(), true, true, false);
        CompletableFuture<DownTrack> attached = new CompletableFuture<>();
        transport.execute(() -> {
            DownTrack d = new DownTrack(sink, viewerMedia, 0x5555, 0, 100, 1000, transport.allocator());
            d.switchTo(sfu.room("stage").tracks().getFirst(), sfu.nanoTime());
            attached.complete(d);
        });
        attached.get();
    }

    @Test
    void viewersOfTheRoomReceiveTheIngestsPacketsAndListenersSeeItsLifecycle() throws Exception {
        Ingest ingest = Ingest.open(sfu, "rtmp-1", "rtmp", "stage", "obs",
                List.of(new Ingest.Track(MediaKind.VIDEO, "H264", 90_000, H264_PT))).get();
        watch(packet -> {
            try {
                received.add(new RtpPacket().wrap(packet).payloadType());
            } catch (Exception e) {
                received.add(-1);
            } finally {
                packet.release();
            }
        });
        assertThat(ingest.keyframeWanted()).as("the viewer's join asked for a keyframe").isTrue();

        for (int seq = 1; seq <= 5; seq++) {
            ingest.send(0, idr(seq));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 5);
        assertThat(received).containsOnly(102); // the viewer's payload type for H264

        ingest.close("unpublished");
        ingest.send(0, idr(6)); // after close: released, not sent
        await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("closed:rtmp-1:unpublished"));
        assertThat(received).hasSize(5);
        assertThat(events).containsExactly("opened:rtmp-1:rtmp:stage:obs", "joined:stage:obs",
                "track-started:rtmp-1:VIDEO:H264", "connected:rtmp-1", "track-ended:rtmp-1:VIDEO:H264",
                "left:stage:obs", "closed:rtmp-1:unpublished");
    }

    @Test
    void packetsFromAnotherThreadArriveInOrderAndAFullInboxDropsAndCounts() throws Exception {
        Ingest ingest = Ingest.open(sfu, "rtmp-2", "rtmp", "stage", "obs",
                List.of(new Ingest.Track(MediaKind.VIDEO, "H264", 90_000, H264_PT))).get();
        List<Integer> seqs = new CopyOnWriteArrayList<>();
        watch(packet -> {
            seqs.add(packet.getUnsignedShort(packet.readerIndex() + 2));
            packet.release();
        });

        // The event loop is held while this thread fills the inbox and then some: the extra packets are dropped,
        // counted and released; what fitted arrives once the loop runs, in order, with no packet lost among them.
        CountDownLatch hold = new CountDownLatch(1);
        transport.execute(() -> {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<ByteBuf> extra = new ArrayList<>();
        for (int seq = 1; seq <= Ingest.INBOX_CAPACITY + 10; seq++) {
            ByteBuf packet = idr(seq);
            if (seq > Ingest.INBOX_CAPACITY) {
                extra.add(packet);
            }
            ingest.send(0, packet);
        }
        assertThat(ingest.inboxOverflows()).isEqualTo(10);
        assertThat(extra).allMatch(p -> p.refCnt() == 0);
        hold.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> seqs.size() == Ingest.INBOX_CAPACITY);
        for (int i = 1; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).as("viewer sequence %d", i).isEqualTo((seqs.get(i - 1) + 1) & 0xFFFF);
        }
        ingest.close("unpublished");
    }

    private final class Recorder implements SfuListener {
        @Override
        public void sessionOpened(SessionInfo s) {
            events.add("opened:" + s.sessionId() + ":" + s.protocol() + ":" + s.room() + ":" + s.peer());
        }

        @Override
        public void sessionConnected(SessionInfo s, long setupMillis) {
            events.add("connected:" + s.sessionId());
        }

        @Override
        public void sessionClosed(SessionInfo s, SessionSummary summary, String reason) {
            events.add("closed:" + s.sessionId() + ":" + reason);
        }

        @Override
        public void peerJoined(String room, String peer) {
            events.add("joined:" + room + ":" + peer);
        }

        @Override
        public void peerLeft(String room, String peer) {
            events.add("left:" + room + ":" + peer);
        }

        @Override
        public void trackStarted(TrackInfo t) {
            events.add("track-started:" + t.sessionId() + ":" + t.kind() + ":" + t.codec());
        }

        @Override
        public void trackEnded(TrackInfo t) {
            events.add("track-ended:" + t.sessionId() + ":" + t.kind() + ":" + t.codec());
        }
    }
}
