package io.relaymesh.node.rtp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.relaymesh.node.rtp.RtpPacket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The VP9 filter on a synthetic L3T3 stream ({@link Vp9SvcStream}), in flexible mode (P_DIFFs) and in non-flexible
 * mode (TL0PICIDX and a group of pictures in the keyframe's scalability structure).
 */
class Vp9SvcFilterTest {

    private static final class Viewer {
        final Vp9SvcFilter filter = new Vp9SvcFilter();
        final Set<Integer> forwarded = new HashSet<>();
        final Vp9SvcStream stream;
        int undecodable;
        int partial;
        int picturesWithoutMarker;
        int keyframes;

        Viewer(boolean flexible) {
            stream = new Vp9SvcStream(flexible);
        }

        void pictures(int count) {
            for (int i = 0; i < count; i++) {
                boolean keyframe = filter.wantsKeyframe();
                keyframes += keyframe ? 1 : 0;
                picture(stream.next(keyframe, false));
            }
        }

        void picture(List<Vp9SvcStream.LayerFrame> frames) {
            boolean any = false;
            boolean lastMarked = false;
            for (Vp9SvcStream.LayerFrame frame : frames) {
                int accepted = 0;
                for (RtpPacket packet : frame.packets()) {
                    if (filter.accept(packet, 0)) {
                        accepted++;
                        any = true;
                        lastMarked = filter.markerOverride();
                    }
                }
                if (accepted > 0) {
                    undecodable += forwarded.containsAll(frame.references()) ? 0 : 1;
                    partial += accepted == frame.packets().size() ? 0 : 1;
                    forwarded.add(frame.key());
                } else {
                    forwarded.remove(frame.key());
                }
            }
            if (any && !lastMarked) {
                picturesWithoutMarker++;
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void forwardsTheTargetLayersFromTheFirstKeyframeOn(boolean flexible) {
        Viewer viewer = new Viewer(flexible);
        viewer.filter.setTarget(1, 1);
        viewer.picture(viewer.stream.next(false, false));
        assertThat(viewer.forwarded).isEmpty();
        assertThat(viewer.filter.wantsKeyframe()).isTrue();
        viewer.picture(viewer.stream.next(true, false));
        viewer.pictures(8);
        assertThat(viewer.filter.spatial()).isEqualTo(1);
        assertThat(viewer.filter.temporal()).isEqualTo(1);
        // keyframe S0+S1, then per 4 pictures S0+S1 of the T0 and T1 pictures
        assertThat(viewer.forwarded).hasSize(2 + 8);
        assertThat(viewer.picturesWithoutMarker).isZero();
        assertThat(viewer.undecodable).isZero();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void temporalUpAtASwitchingPointSpatialUpAtAnIntraOnlyLayerFrame(boolean flexible) {
        Viewer viewer = new Viewer(flexible);
        viewer.filter.setTarget(0, 0);
        viewer.picture(viewer.stream.next(true, false));
        viewer.pictures(3); // next picture is T0
        viewer.filter.setTarget(0, 2);
        viewer.pictures(1); // T0
        assertThat(viewer.filter.temporal()).isZero();
        viewer.pictures(1); // T2 referencing T0, U set
        assertThat(viewer.filter.temporal()).isEqualTo(2);
        viewer.filter.setTarget(2, 2);
        assertThat(viewer.filter.wantsKeyframe()).isTrue();
        viewer.picture(viewer.stream.next(false, true)); // S1 and S2 not inter-picture predicted
        assertThat(viewer.filter.spatial()).isEqualTo(2);
        assertThat(viewer.filter.wantsKeyframe()).isFalse();
        viewer.filter.setTarget(0, 0);
        viewer.pictures(1);
        assertThat(viewer.filter.spatial()).isZero();
        assertThat(viewer.filter.temporal()).isZero();
        assertThat(viewer.undecodable).isZero();
        assertThat(viewer.picturesWithoutMarker).isZero();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aLayerThePublisherAddsWithoutAKeyframeIsReachedThroughAKeyframeRequest(boolean flexible) {
        // Chromium starts a bandwidth-limited L3T3 publisher on one spatial layer and adds layers as its estimate
        // grows, announcing them in a scalability structure on a picture that is not a keyframe. A viewer whose
        // target rises after the new layer's first (intra-only) frame went by has only a keyframe to switch at.
        Viewer viewer = new Viewer(flexible);
        viewer.stream.spatialLayers(1);
        viewer.filter.setTarget(0, 2);
        viewer.picture(viewer.stream.next(true, false));
        viewer.pictures(3);
        viewer.stream.spatialLayers(2);
        viewer.pictures(4);
        assertThat(viewer.filter.spatial()).isZero();
        assertThat(viewer.keyframes).isZero();

        viewer.filter.setTarget(1, 2);
        assertThat(viewer.filter.wantsKeyframe()).as("a keyframe is the way up to the announced layer").isTrue();
        viewer.pictures(1);
        assertThat(viewer.keyframes).isEqualTo(1);
        assertThat(viewer.filter.spatial()).isEqualTo(1);
        assertThat(viewer.filter.wantsKeyframe()).isFalse();

        viewer.stream.spatialLayers(3);
        viewer.pictures(1);
        assertThat(viewer.filter.spatial()).as("held at the target").isEqualTo(1);
        viewer.filter.setTarget(2, 2);
        viewer.stream.spatialLayers(2);
        viewer.pictures(1);
        assertThat(viewer.filter.wantsKeyframe()).as("the publisher turned layer 2 off again").isFalse();
        assertThat(viewer.undecodable).isZero();
        assertThat(viewer.partial).isZero();
        assertThat(viewer.picturesWithoutMarker).isZero();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aNewLayersFirstFrameTakesTheViewerUpWhenItIsTheTarget(boolean flexible) {
        Viewer viewer = new Viewer(flexible);
        viewer.stream.spatialLayers(1);
        viewer.filter.setTarget(2, 2);
        viewer.picture(viewer.stream.next(true, false));
        viewer.pictures(2);
        assertThat(viewer.filter.wantsKeyframe()).as("the stream has no layer above 0 yet").isFalse();
        viewer.stream.spatialLayers(3);
        viewer.pictures(1);
        assertThat(viewer.filter.spatial()).isEqualTo(2);
        assertThat(viewer.keyframes).isZero();
        assertThat(viewer.undecodable).isZero();
        assertThat(viewer.picturesWithoutMarker).isZero();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void manyRandomTargetChangesNeverForwardAnUndecodableFrame(boolean flexible) {
        SplittableRandom random = new SplittableRandom(9628);
        Viewer viewer = new Viewer(flexible);
        for (int round = 0; round < 400; round++) {
            viewer.filter.setTarget(random.nextInt(3), random.nextInt(3));
            viewer.pictures(1 + random.nextInt(12));
        }
        assertThat(viewer.undecodable).isZero();
        assertThat(viewer.partial).isZero();
        assertThat(viewer.picturesWithoutMarker).isZero();
        assertThat(viewer.forwarded).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void filteringAllocatesNothingPerPacket(boolean flexible) {
        Vp9SvcStream stream = new Vp9SvcStream(flexible);
        List<List<Vp9SvcStream.LayerFrame>> pictures = new ArrayList<>();
        pictures.add(stream.next(true, false));
        for (int i = 0; i < 7; i++) {
            pictures.add(stream.next(false, false));
        }
        Vp9SvcFilter filter = new Vp9SvcFilter();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int round = 0; round < 3; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 2_000; i++) {
                filter.setTarget(i % 3, (i / 5) % 3);
                List<Vp9SvcStream.LayerFrame> picture = pictures.get(i % pictures.size());
                for (int f = 0; f < picture.size(); f++) {
                    List<RtpPacket> packets = picture.get(f).packets();
                    for (int p = 0; p < packets.size(); p++) {
                        sink += filter.accept(packets.get(p), i) ? 1 : 0;
                    }
                }
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round == 2) {
                assertThat(allocated).as("bytes allocated filtering 12,000 packets").isLessThan(4096);
            }
        }
        assertThat(sink).isPositive();
    }
}
