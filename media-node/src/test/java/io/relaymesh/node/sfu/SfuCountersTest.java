package io.relaymesh.node.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.dtls.DtlsCertificate;
import io.relaymesh.node.sfu.SfuCounters.KeyframeRequest;
import io.relaymesh.node.srtp.SrtpProfile;
import io.relaymesh.node.transport.IceCredentials;
import io.relaymesh.node.transport.PeerConnection;
import io.relaymesh.node.transport.WebRtcTransport;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SFU's counts for metrics: sessions and tracks follow the listener events, and the RTCP a viewer sends
 * (NACK, PLI, FIR) and the requests sent upstream are counted by kind. Runs each step on the transport's event
 * loop, as the node does.
 */
class SfuCountersTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int VIEWER_SSRC = 0x0A0A0A0A;
    private static final int SENDER_SSRC = 0x12345678;

    private final List<String> events = new ArrayList<>();
    private WebRtcTransport transport;
    private Sfu sfu;

    @BeforeEach
    void start() throws Exception {
        DtlsCertificate certificate = DtlsCertificate.generate(Clock.systemUTC(), RANDOM);
        transport = WebRtcTransport.bind(List.of(InetAddress.getLoopbackAddress()), 0, System::nanoTime,
                new WebRtcTransport.DtlsSettings(certificate, List.of(SrtpProfile.AEAD_AES_128_GCM), RANDOM));
        sfu = new Sfu(transport, Clock.systemUTC(), "counters-test", new SfuListener() {
            @Override
            public void sessionOpened(SessionInfo session) {
                events.add("opened " + session.sessionId());
            }

            @Override
            public void trackStarted(TrackInfo track) {
                events.add("started " + track.trackId());
            }
        });
    }

    @AfterEach
    void stop() {
        sfu.close();
        transport.close();
    }

    private void onLoop(Runnable step) throws Exception {
        transport.eventLoop().submit(step).get(5, TimeUnit.SECONDS);
    }

    private static MediaSpec video(boolean pli, boolean fir) {
        return new MediaSpec("1", MediaKind.VIDEO, List.of(new CodecSpec(96, MediaCodec.VP8, 90_000, -1)), Map.of(),
                true, pli, fir);
    }

    @Test
    void sessionsAndTracksAreCountedByProtocolAndKindAndTheNodesListenerStillHearsThem() throws Exception {
        SfuListener counted = sfu.listener();
        SfuListener.SessionInfo whip = new SfuListener.SessionInfo("s1", "whip", "room", "alice");
        SfuListener.SessionInfo odd = new SfuListener.SessionInfo("s2", "carrier-pigeon", "room", "bob");
        SfuListener.TrackInfo video = new SfuListener.TrackInfo("s1:1", "room", "alice", "s1", MediaKind.VIDEO, "VP8");

        counted.sessionOpened(whip);
        counted.sessionOpened(odd);
        counted.trackStarted(video);

        SfuCounters c = sfu.counters();
        assertThat(c.sessionsLive("whip")).isEqualTo(1);
        assertThat(c.sessionsLive("other")).as("unknown protocols count as other").isEqualTo(1);
        assertThat(c.sessionsLive("whep")).isZero();
        assertThat(c.tracksLive(MediaKind.VIDEO)).isEqualTo(1);
        assertThat(events).containsExactly("opened s1", "opened s2", "started s1:1");

        counted.trackEnded(video);
        counted.sessionClosed(whip, new SfuListener.SessionSummary(1, 0, 0, 0, 0, -1), "bye");

        assertThat(c.sessionsLive("whip")).isZero();
        assertThat(c.sessionsOpened("whip")).isEqualTo(1);
        assertThat(c.tracksLive(MediaKind.VIDEO)).isZero();
        assertThat(c.tracksStarted(MediaKind.VIDEO)).isEqualTo(1);
    }

    @Test
    void aViewersNacksAndKeyframeRequestsAreCountedByKind() throws Exception {
        Room room = sfu.room("room");
        Subscriber viewer = new Subscriber(sfu, "v1", room, "viewer", 0x0B0B0B0B);
        DownTrack down = new DownTrack(viewer, video(true, true), VIEWER_SSRC, 0, 1000, 0, transport.allocator());
        viewer.addDownTrack(down);

        onLoop(() -> {
            // No source yet: the NACKed packets cannot be resent.
            ByteBuf nack = RtcpExchange.nack(transport.allocator(), SENDER_SSRC, VIEWER_SSRC, new int[] {1000, 1001}, 2);
            ByteBuf pli = RtcpExchange.pli(transport.allocator(), SENDER_SSRC, VIEWER_SSRC);
            ByteBuf fir = RtcpExchange.fir(transport.allocator(), SENDER_SSRC, VIEWER_SSRC, 1);
            try {
                viewer.onRtcp(null, nack);
                viewer.onRtcp(null, pli);
                viewer.onRtcp(null, pli.resetReaderIndex());
                viewer.onRtcp(null, fir);
            } finally {
                nack.release();
                pli.release();
                fir.release();
            }
        });

        SfuCounters c = sfu.counters();
        assertThat(c.nacksReceived()).isEqualTo(2);
        assertThat(c.retransmissionsMissed()).isEqualTo(2);
        assertThat(c.retransmitted()).isZero();
        assertThat(c.keyframeRequestsReceived(KeyframeRequest.PLI)).isEqualTo(2);
        assertThat(c.keyframeRequestsReceived(KeyframeRequest.FIR)).isEqualTo(1);
    }

    @Test
    void keyframeRequestsToAPublisherAreCountedAsPliOrFirAsNegotiated() throws Exception {
        Room room = sfu.room("room");
        MediaSpec pliMedia = video(true, false);
        MediaSpec firOnly = video(false, true);
        Publisher publisher = new Publisher(sfu, "p1", room, "alice", List.of(pliMedia), 0x0C0C0C0C);
        PeerConnection connection = new PeerConnection("p1", IceCredentials.random(RandomGenerator.getDefault()),
                IceCredentials.random(RandomGenerator.getDefault()), "sha-256", "00:11", publisher, System.nanoTime());
        PublishedTrack withPli = new PublishedTrack("p1:1", publisher, pliMedia, pliMedia.codecs().getFirst(), 1, 1);
        PublishedTrack withFir = new PublishedTrack("p1:2", publisher, firOnly, firOnly.codecs().getFirst(), 2, 2);

        onLoop(() -> {
            // Not connected yet: nothing to count.
            publisher.sendKeyframeRequest(withPli);
            publisher.onSecure(connection); // the connection is not secure, so the packets are released unsent
            publisher.sendKeyframeRequest(withPli);
            publisher.sendKeyframeRequest(withFir);
            publisher.sendKeyframeRequest(withFir);
        });

        assertThat(sfu.counters().keyframeRequestsSent(KeyframeRequest.PLI)).isEqualTo(1);
        assertThat(sfu.counters().keyframeRequestsSent(KeyframeRequest.FIR)).isEqualTo(2);
        withPli.end();
        withFir.end();
    }
}
