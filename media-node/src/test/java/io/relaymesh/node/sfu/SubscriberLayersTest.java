package io.relaymesh.node.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import io.relaymesh.node.dtls.DtlsCertificate;
import io.relaymesh.node.srtp.SrtpProfile;
import io.relaymesh.node.transport.IceCredentials;
import io.relaymesh.node.transport.PeerConnection;
import io.relaymesh.node.transport.WebRtcTransport;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A viewer session's tick drives layer selection from its estimate seam and preferences, and its stats say so. */
class SubscriberLayersTest {

    private static final long[] LAYER_BPS = {150_000, 500_000, 1_500_000};
    private static final TrackSource SOURCE = SilentSource.PUBLISHER;

    private final SecureRandom random = new SecureRandom();
    private final MediaSpec video = new MediaSpec("1", MediaKind.VIDEO,
            List.of(new CodecSpec(96, MediaCodec.VP8, 90_000, 97)), Map.of(), true, true, false);
    private final AtomicLong estimate = new AtomicLong(-1);
    private WebRtcTransport transport;
    private Sfu sfu;
    private Subscriber viewer;
    private PublishedTrack[] layers = new PublishedTrack[3];
    private long now;

    @BeforeEach
    void start() throws Exception {
        transport = WebRtcTransport.bind(List.of(InetAddress.getLoopbackAddress()), 0, System::nanoTime,
                new WebRtcTransport.DtlsSettings(DtlsCertificate.generate(Clock.systemUTC(), random),
                        List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80), random));
        sfu = new Sfu(transport, Clock.systemUTC(), "test", SfuListener.NONE);
        onLoop(() -> {
            now = sfu.nanoTime();
            Room room = new Room("r", SfuListener.NONE);
            TrackLayers group = new TrackLayers();
            for (int i = 0; i < 3; i++) {
                layers[i] = new PublishedTrack("pub:1", SOURCE, video, video.codecs().getFirst(), 10 + i, i + 1, group,
                        "r" + i);
            }
            room.addTrack(layers[0], now);
            viewer = new Subscriber(sfu, "view", room, "peer", 7);
            viewer.addDownTrack(new DownTrack(viewer, video, 99, 98, 1, 1, sfu.allocator()));
            viewer.bind(new PeerConnection("view", IceCredentials.random(random), IceCredentials.random(random),
                    "sha-256", "AA:BB", viewer, now));
            viewer.estimateSource(estimate::get);
            room.addSubscriber(viewer, now);
            return null;
        });
    }

    @AfterEach
    void stop() throws Exception {
        onLoop(() -> {
            viewer.downTracks().forEach(DownTrack::close);
            for (PublishedTrack l : layers) {
                l.end();
            }
            return null;
        });
        sfu.close();
        transport.close();
    }

    private <T> T onLoop(Supplier<T> task) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        transport.execute(() -> {
            try {
                done.complete(task.get());
            } catch (RuntimeException | AssertionError e) {
                done.completeExceptionally(e);
            }
        });
        return done.get(10, TimeUnit.SECONDS);
    }

    /** {@code millis} of simulated time: every layer sends at its rate, the viewer ticks every 20 ms. */
    private Signaling.TrackStats run(long millis) throws Exception {
        return onLoop(() -> {
            for (long t = 0; t < millis; t += 20) {
                now += 20_000_000L;
                for (int i = 0; i < 3; i++) {
                    layers[i].bitrate().add(0, (int) (LAYER_BPS[i] / 8 / 50), now);
                }
                viewer.tick(now);
            }
            Signaling.ViewerStats stats = viewer.stats(now);
            assertThat(stats.session()).isEqualTo("view");
            assertThat(stats.estimateBps()).isEqualTo(estimate.get());
            assertThat(stats.rttMs()).isNull();
            return stats.tracks().getFirst();
        });
    }

    @Test
    void aTrackThatEndsWithNothingToReplaceItSendsTheViewerABye() throws Exception {
        long byes = onLoop(() -> {
            Room room = viewer.room();
            room.removeTrack(layers[0], now);
            return viewer.byesSent();
        });
        assertThat(byes).isEqualTo(1);
    }

    @Test
    void theTickFollowsTheEstimateAndThePreferencesAndTheStatsReportIt() throws Exception {
        Signaling.TrackStats unknown = run(1000);
        assertThat(unknown.kind()).isEqualTo("video");
        assertThat(unknown.track()).isEqualTo("pub:1");
        assertThat(unknown.layers()).isEqualTo(3);
        assertThat(unknown.targetSpatial()).as("unknown estimate: start low").isZero();
        assertThat(unknown.spatial()).as("no keyframe forwarded yet").isEqualTo(-1);
        assertThat(unknown.rid()).isEqualTo("r0");

        estimate.set(3_000_000);
        Signaling.TrackStats plenty = run(2600);
        assertThat(plenty.targetSpatial()).isEqualTo(2);
        assertThat(plenty.rid()).as("the target's rid until its keyframe").isEqualTo("r2");

        onLoop(() -> {
            viewer.preferences(1, Signaling.LayerPreferences.UNLIMITED);
            return null;
        });
        assertThat(run(40).targetSpatial()).as("a cap applies at the next tick").isEqualTo(1);

        estimate.set(200_000);
        assertThat(run(220).targetSpatial()).as("down at once").isZero();
    }
}
