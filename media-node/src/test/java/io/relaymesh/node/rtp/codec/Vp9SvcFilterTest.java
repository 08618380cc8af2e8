package io.relaymesh.node.rtp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.relaymesh.node.rtp.RtpPacket;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The VP9 filter on a synthetic L3T3 stream (full SVC, D set above S0; temporal pattern T0 T2 T1 T2 with U set on
 * the frames that reference only T0), in flexible mode (P_DIFFs) and in non-flexible mode (TL0PICIDX and a
 * group of pictures in the keyframe's scalability structure).
 */
class Vp9SvcFilterTest {

    private static final int[] TIDS = {0, 2, 1, 2};
    private static final int[] PDIFF = {4, 1, 2, 1};

    /** A layer frame (picture id, spatial id) and its references, as (picture id, spatial id) keys. */
    private record LayerFrame(int key, List<Integer> references, List<RtpPacket> packets) {
    }

    private static final class Stream {
        final boolean flexible;
        int picture = 32_760; // picture ids wrap during the stream
        int phase;
        int sequence;

        Stream(boolean flexible) {
            this.flexible = flexible;
        }

        List<LayerFrame> next(boolean keyframe, boolean upperLayersIntraOnly) {
            if (keyframe) {
                phase = 0;
            }
            int tid = TIDS[phase % 4];
            int pid = picture & 0x7FFF;
            List<LayerFrame> frames = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                boolean interPicture = !keyframe && !(upperLayersIntraOnly && s > 0);
                List<Integer> references = new ArrayList<>();
                if (interPicture) {
                    references.add(key((pid - PDIFF[phase % 4]) & 0x7FFF, s));
                }
                if (s > 0) {
                    references.add(key(pid, s - 1));
                }
                List<RtpPacket> packets = new ArrayList<>();
                for (int p = 0; p < 2; p++) {
                    ByteArrayOutputStream d = new ByteArrayOutputStream();
                    boolean ss = keyframe && s == 0 && p == 0;
                    d.write(0x80 | (interPicture ? 0x40 : 0) | 0x20 | (flexible ? 0x10 : 0) | (p == 0 ? 0x08 : 0)
                            | (p == 1 ? 0x04 : 0) | (ss ? 0x02 : 0));
                    d.write(0x80 | (pid >>> 8));
                    d.write(pid & 0xFF);
                    boolean switchingUp = tid > 0 && PDIFF[phase % 4] == (tid == 1 ? 2 : 1) && phase % 4 != 3;
                    d.write(tid << 5 | (switchingUp ? 0x10 : 0) | s << 1 | (s > 0 ? 1 : 0));
                    if (!flexible) {
                        d.write((picture / 4) & 0xFF); // TL0PICIDX
                    } else if (interPicture) {
                        d.write(PDIFF[phase % 4] << 1);
                    }
                    if (ss) {
                        d.write(2 << 5 | 0x10 | (flexible ? 0 : 0x08)); // N_S = 2, Y, G in non-flexible mode
                        for (int layer = 0; layer < 3; layer++) {
                            int w = 320 << layer;
                            int h = 180 << layer;
                            d.write(w >>> 8);
                            d.write(w);
                            d.write(h >>> 8);
                            d.write(h);
                        }
                        if (!flexible) {
                            d.write(4);
                            d.write(0x04); // T0, one reference
                            d.write(4);
                            d.write(2 << 5 | 0x10 | 0x04);
                            d.write(1);
                            d.write(1 << 5 | 0x10 | 0x04);
                            d.write(2);
                            d.write(2 << 5 | 0x04);
                            d.write(1);
                        }
                    }
                    d.write(0x42);
                    packets.add(CodecPackets.packet(p == 1 && s == 2, sequence++ & 0xFFFF, 3000 * picture, 0, null,
                            d.toByteArray()));
                }
                frames.add(new LayerFrame(key(pid, s), references, packets));
            }
            picture++;
            phase++;
            return frames;
        }
    }

    private static int key(int pid, int sid) {
        return pid * 8 + sid;
    }

    private static final class Viewer {
        final Vp9SvcFilter filter = new Vp9SvcFilter();
        final Set<Integer> forwarded = new HashSet<>();
        final Stream stream;
        int undecodable;
        int partial;
        int picturesWithoutMarker;
        int keyframes;

        Viewer(boolean flexible) {
            stream = new Stream(flexible);
        }

        void pictures(int count) {
            for (int i = 0; i < count; i++) {
                boolean keyframe = filter.wantsKeyframe();
                keyframes += keyframe ? 1 : 0;
                picture(stream.next(keyframe, false));
            }
        }

        void picture(List<LayerFrame> frames) {
            boolean any = false;
            boolean lastMarked = false;
            for (LayerFrame frame : frames) {
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
        Stream stream = new Stream(flexible);
        List<List<LayerFrame>> pictures = new ArrayList<>();
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
                List<LayerFrame> picture = pictures.get(i % pictures.size());
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
