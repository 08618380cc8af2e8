package io.relaymesh.node.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Layer choice from a viewer's estimate: start low, up only with margin after a hold, down at once, caps, audio first. */
class LayerSelectionTest {

    private static final long STEP = BitrateMeter.SLOT_NANOS;
    /** Cumulative bitrate per temporal layer of each simulcast layer. */
    private static final long[][] RATES = {
            {100_000, 150_000, 200_000},
            {400_000, 600_000, 800_000},
            {1_200_000, 1_800_000, 2_500_000}};

    private static final TrackSource SOURCE = SilentSource.PUBLISHER;

    private final TrackingAllocator alloc = new TrackingAllocator();
    private final MediaSpec video = new MediaSpec("1", MediaKind.VIDEO,
            List.of(new CodecSpec(96, MediaCodec.VP8, 90_000, -1)), Map.of(), true, true, false);
    private final MediaSpec audio = new MediaSpec("0", MediaKind.AUDIO,
            List.of(new CodecSpec(111, MediaCodec.OPUS, 48_000, -1)), Map.of(), false, false, false);
    private final List<PublishedTrack> published = new ArrayList<>();
    private final List<DownTrack> viewer = new ArrayList<>();
    private long now = 10_000_000_000L;
    private boolean[] silent = new boolean[3];
    private long audioBps;

    @AfterEach
    void release() {
        for (DownTrack d : viewer) {
            d.close();
        }
        published.forEach(PublishedTrack::end);
        assertThat(alloc.unreleased()).isZero();
    }

    private PublishedTrack simulcast() {
        TrackLayers layers = new TrackLayers();
        PublishedTrack primary = null;
        for (int i = 0; i < 3; i++) {
            PublishedTrack layer = new PublishedTrack("pub:1", SOURCE, video, video.codecs().getFirst(), 100 + i, i + 1,
                    layers, "r" + i);
            published.add(layer);
            primary = primary == null ? layer : primary;
        }
        return primary;
    }

    private DownTrack watch(PublishedTrack track, MediaSpec spec) {
        DownTrack d = new DownTrack(ByteBuf::release, spec, 1000 + viewer.size(), 0, 1, 1, alloc);
        d.switchTo(track, now);
        if (spec.kind() == MediaKind.VIDEO) {
            d.setTarget(0, DownTrack.ALL_LAYERS, now); // as a new subscriber does
        }
        viewer.add(d);
        return d;
    }

    /** Lets {@code millis} pass with every layer sending at its rate, selecting every 200 ms. */
    private void run(long estimate, long millis, int maxSpatial, int maxTemporal) {
        for (long t = 0; t < millis * 1_000_000L; t += STEP) {
            now += STEP;
            for (PublishedTrack p : published) {
                if (p.kind() == MediaKind.AUDIO) {
                    p.bitrate().add(0, (int) (audioBps / 80), now);
                    continue;
                }
                int rank = p.layers().count() == 3 ? (int) (p.ssrc() - 100) : 0;
                if (silent[rank]) {
                    continue;
                }
                for (int tid = 0; tid < 3; tid++) {
                    long layerBps = RATES[rank][tid] - (tid == 0 ? 0 : RATES[rank][tid - 1]);
                    p.bitrate().add(tid, (int) (layerBps / 80), now);
                }
            }
            if ((now / STEP) % 2 == 0) {
                LayerSelection.select(viewer, estimate, maxSpatial, maxTemporal, now);
            }
        }
    }

    private void run(long estimate, long millis) {
        run(estimate, millis, DownTrack.ALL_LAYERS, DownTrack.ALL_LAYERS);
    }

    private static String target(DownTrack d) {
        return d.targetSpatial() + "/" + (d.targetTemporal() == DownTrack.ALL_LAYERS ? "all" : d.targetTemporal());
    }

    @Test
    void anUnknownEstimateStartsAtTheLowestLayerWithAllTemporalLayers() {
        DownTrack d = watch(simulcast(), video);

        run(-1, 3000);

        assertThat(target(d)).isEqualTo("0/all");
        assertThat(d.targetLayer()).isSameAs(published.getFirst());
    }

    @Test
    void upOnlyWithMarginAfterTheEstimateHeldThenDownAtOnce() {
        DownTrack d = watch(simulcast(), video);
        run(-1, 1000);

        run(1_000_000, (int) LayerSelection.HOLD_MILLIS - 200); // layer 1, all temporal layers, fits with margin
        assertThat(target(d)).as("not held long enough yet").isEqualTo("0/all");
        run(1_000_000, 400);
        assertThat(target(d)).isEqualTo("1/all");

        run(2_500_000, 3000); // 2.5M needs 2.875M with margin: the top layer's base fits, its full rate not
        assertThat(target(d)).isEqualTo("2/1");

        run(500_000, 200);
        assertThat(target(d)).as("down at once, to the full frame rate of layer 0 rather than layer 1's base")
                .isEqualTo("0/all");
        run(700_000, 3000);
        assertThat(target(d)).as("layer 1 at one temporal layer less than what fits on layer 0").isEqualTo("1/1");
        run(100_000, 200);
        assertThat(target(d)).as("nothing fits: the lowest layer's base").isEqualTo("0/0");
    }

    @Test
    void aLayerThatFlowedOnlyForAMomentIsNoStepUp() {
        // Over a relay, a paused layer flows for a moment when the parent resumes it; its reading over the last
        // second is a fraction of its rate and decays for a second after: it must not look like it fits.
        DownTrack d = watch(simulcast(), video);
        run(3_000_000, 3000); // every layer measured once (layers rank by their peak rate here)
        silent[2] = true;
        run(1_000_000, 3000);
        assertThat(d.targetLayer()).isSameAs(published.get(1));
        silent[2] = false;
        run(1_000_000, 300); // reads at most 750 kbit/s: fits 1 Mbit/s with the margin
        silent[2] = true;
        for (int i = 0; i < 10; i++) {
            run(1_000_000, 200);
            assertThat(d.targetLayer()).as("%d ms after the burst", 200 * (i + 1)).isSameAs(published.get(1));
        }

        silent[2] = false; // flowing for good: a step up once measured over a whole second, if it fits
        run(3_000_000, 2600);
        assertThat(d.targetLayer()).isSameAs(published.get(2));
    }

    @Test
    void upOnlyAsFarAsFittedThroughoutTheHold() {
        DownTrack d = watch(simulcast(), video);
        run(300_000, 3000);
        assertThat(target(d)).isEqualTo("0/all");

        run(1_000_000, 800); // layer 1 with all temporal layers fits (920k with the margin)
        run(3_000_000, 400); // the top layer's full rate fits for one selection or two as the hold ends
        assertThat(target(d)).as("up to what fitted at every selection of the hold, not to what fits now")
                .isEqualTo("1/all");

        run(3_000_000, 1000);
        assertThat(target(d)).as("the top layer once it has fitted for a whole hold").isEqualTo("2/all");
    }

    @Test
    void aNoisyEstimateDoesNotMakeTheViewerOscillate() {
        DownTrack d = watch(simulcast(), video);
        run(300_000, 3000);
        assertThat(target(d)).isEqualTo("0/all");

        for (int i = 0; i < 20; i++) { // 1 s of plenty, 0.4 s of little, over and over: never held for 2 s
            run(3_000_000, 1000);
            run(300_000, 400);
            assertThat(target(d)).as("round %d", i).isEqualTo("0/all");
        }
    }

    @Test
    void preferencesCapTheLayers() {
        DownTrack d = watch(simulcast(), video);

        run(10_000_000, 3000, 1, DownTrack.ALL_LAYERS);
        assertThat(target(d)).isEqualTo("1/all");
        run(10_000_000, 400, 1, 0);
        assertThat(target(d)).as("a lower cap applies at once").isEqualTo("1/0");
        run(10_000_000, 3000, DownTrack.ALL_LAYERS, DownTrack.ALL_LAYERS);
        assertThat(target(d)).isEqualTo("2/all");
    }

    @Test
    void audioIsServedFirstAndVideoTracksShareTheRest() {
        PublishedTrack voice = new PublishedTrack("pub:0", SOURCE, audio, audio.codecs().getFirst(), 50, 9);
        published.add(voice);
        audioBps = 200_000;
        watch(voice, audio);
        DownTrack first = watch(simulcast(), video);
        DownTrack second = watch(simulcast(), video);

        run(2_000_000, 3000); // (2M - 200k) / 2 = 900k each: layer 1 up to temporal 1 (600k * 1.15)

        assertThat(target(first)).isEqualTo("1/1");
        assertThat(target(second)).isEqualTo("1/1");
    }

    @Test
    void aLayerThePublisherStoppedSendingIsNoChoice() {
        DownTrack d = watch(simulcast(), video);
        run(50_000_000, 3000);
        assertThat(d.targetLayer()).isSameAs(published.get(2));
        silent[2] = true; // a browser drops its top layer when its own estimate falls

        run(50_000_000, 1200);

        assertThat(target(d)).isEqualTo("1/all");
        assertThat(d.targetLayer()).as("the paused layer keeps its rank").isSameAs(published.get(1));
    }
}
