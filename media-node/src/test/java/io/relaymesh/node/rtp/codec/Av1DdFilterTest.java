package io.relaymesh.node.rtp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.relaymesh.node.rtp.RtpPacket;
import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Av1DdFilterTest {

    /** Feeds units to a filter the way an SFU does: a keyframe follows a keyframe wish after a few units. */
    private static final class Viewer {
        final Av1DdFilter filter = new Av1DdFilter(Av1FixtureStreams.EXTENSION_ID);
        final Av1FixtureStreams.Generator stream = new Av1FixtureStreams.Generator(20);
        final Set<Integer> forwarded = new HashSet<>();
        int keyframes;
        int undecodable;
        int partial;
        int unitsWithoutMarker;
        int sinceKeyframeRequest;

        void units(int count) {
            for (int i = 0; i < count; i++) {
                boolean keyframe = filter.wantsKeyframe() && ++sinceKeyframeRequest >= 3;
                if (keyframe) {
                    sinceKeyframeRequest = 0;
                    keyframes++;
                }
                unit(stream.nextUnit(keyframe));
            }
        }

        void unit(List<Av1FixtureStreams.Frame> frames) {
            RtpPacket lastForwarded = null;
            boolean lastMarked = false;
            for (Av1FixtureStreams.Frame frame : frames) {
                int accepted = 0;
                for (RtpPacket packet : frame.packets()) {
                    if (filter.accept(packet, 0)) {
                        accepted++;
                        lastForwarded = packet;
                        lastMarked = filter.markerOverride() || packet.marker();
                    } else {
                        assertThat(filter.markerOverride()).isFalse();
                    }
                }
                if (accepted > 0) {
                    if (!forwarded.containsAll(frame.references())) {
                        undecodable++;
                    }
                    if (accepted != frame.packets().size()) {
                        partial++;
                    }
                    forwarded.add(frame.frameNumber());
                } else {
                    forwarded.remove(frame.frameNumber());
                }
            }
            if (lastForwarded != null && !lastMarked) {
                unitsWithoutMarker++;
            }
        }
    }

    @Test
    void forwardsNothingUntilAKeyframeBringsTheStructure() {
        Viewer viewer = new Viewer();
        viewer.filter.setTarget(2, 2);
        assertThat(viewer.filter.wantsKeyframe()).isTrue();
        viewer.unit(viewer.stream.nextUnit(false));
        assertThat(viewer.forwarded).isEmpty();
        assertThat(viewer.filter.spatial()).isEqualTo(-1);
        viewer.unit(viewer.stream.nextUnit(true));
        assertThat(viewer.forwarded).hasSize(3);
        assertThat(viewer.filter.spatial()).isEqualTo(2);
        assertThat(viewer.filter.temporal()).isEqualTo(2);
        assertThat(viewer.filter.wantsKeyframe()).isFalse();
    }

    @Test
    void forwardsOnlyTheFramesOfTheChosenDecodeTarget() {
        Viewer viewer = new Viewer();
        viewer.filter.setTarget(1, 1);
        viewer.unit(viewer.stream.nextUnit(true));
        viewer.units(8);
        // S0 and S1 of the keyframe, then per 4 units S0 and S1 of the T0 and the T1 unit.
        assertThat(viewer.forwarded).hasSize(2 + 8);
        assertThat(viewer.filter.decodeTarget()).isEqualTo(4);
        assertThat(viewer.filter.spatial()).isEqualTo(1);
        assertThat(viewer.filter.temporal()).isEqualTo(1);
        assertThat(viewer.unitsWithoutMarker).as("S1 ends each forwarded unit with a marker").isZero();
        assertThat(viewer.undecodable).isZero();
    }

    @Test
    void temporalUpWaitsForASwitchIndicationAndDownIsImmediate() {
        Viewer viewer = new Viewer();
        viewer.filter.setTarget(0, 0);
        viewer.unit(viewer.stream.nextUnit(true));
        viewer.units(4);
        viewer.filter.setTarget(0, 2);
        viewer.unit(viewer.stream.nextUnit(false)); // T2 after T0: discardable, no switch
        assertThat(viewer.filter.temporal()).isZero();
        viewer.unit(viewer.stream.nextUnit(false)); // T1: switch
        assertThat(viewer.filter.temporal()).isEqualTo(2);
        viewer.filter.setTarget(0, 0);
        viewer.unit(viewer.stream.nextUnit(false)); // T2 after T1: down at once, dropped
        assertThat(viewer.filter.temporal()).isZero();
        assertThat(viewer.undecodable).isZero();
    }

    @Test
    void spatialUpWaitsForAKeyframeAndAsksForOne() {
        Viewer viewer = new Viewer();
        viewer.filter.setTarget(0, 2);
        viewer.unit(viewer.stream.nextUnit(true));
        viewer.units(4);
        viewer.filter.setTarget(2, 2);
        assertThat(viewer.filter.wantsKeyframe()).isTrue();
        viewer.unit(viewer.stream.nextUnit(false));
        assertThat(viewer.filter.spatial()).isZero();
        viewer.unit(viewer.stream.nextUnit(true));
        assertThat(viewer.filter.spatial()).isEqualTo(2);
        assertThat(viewer.filter.wantsKeyframe()).isFalse();
        viewer.filter.setTarget(1, 2);
        viewer.units(1);
        assertThat(viewer.filter.spatial()).as("down at once, chain intact").isEqualTo(1);
        assertThat(viewer.undecodable).isZero();
    }

    @Test
    void inactiveDecodeTargetsAreNotChosen() {
        Viewer viewer = new Viewer();
        viewer.filter.setTarget(2, 2);
        viewer.stream.activeDecodeTargets(0b000111111); // the publisher stopped S2
        viewer.unit(viewer.stream.nextUnit(true));
        assertThat(viewer.filter.spatial()).isEqualTo(1);
        assertThat(viewer.filter.wantsKeyframe()).isFalse();
    }

    @Test
    void manyRandomTargetChangesNeverForwardAnUndecodableFrame() {
        SplittableRandom random = new SplittableRandom(9628);
        Viewer viewer = new Viewer();
        for (int round = 0; round < 400; round++) {
            viewer.filter.setTarget(random.nextInt(3), random.nextInt(3));
            viewer.units(1 + random.nextInt(12));
        }
        assertThat(viewer.undecodable).isZero();
        assertThat(viewer.partial).isZero();
        assertThat(viewer.unitsWithoutMarker).isZero();
        assertThat(viewer.forwarded).isNotEmpty();
        assertThat(viewer.keyframes).as("keyframes only for spatial up-switches").isLessThan(400);
    }

    @Test
    void lostFramesStopTheirDependentsAndAskForAKeyframe() {
        Viewer viewer = new Viewer();
        viewer.filter.setTarget(2, 2);
        viewer.unit(viewer.stream.nextUnit(true));
        viewer.stream.nextUnit(false); // lost upstream: never reaches the filter
        viewer.stream.nextUnit(false);
        viewer.stream.nextUnit(false);
        viewer.stream.nextUnit(false); // the T0 unit is lost too
        viewer.unit(viewer.stream.nextUnit(false)); // T2 after the lost T0
        assertThat(viewer.undecodable).isZero();
        assertThat(viewer.filter.wantsKeyframe()).isTrue();
    }

    @Test
    void packetsWithoutTheExtensionOrWithGarbageAreDropped() {
        Av1DdFilter filter = new Av1DdFilter(Av1FixtureStreams.EXTENSION_ID);
        assertThat(filter.accept(CodecPackets.packet(false, 1, 0, 0, null, new byte[] {0x10}), 0)).isFalse();
        assertThat(filter.accept(CodecPackets.packet(false, 1, 0, Av1FixtureStreams.EXTENSION_ID,
                new byte[] {(byte) 0xC0, 0}, new byte[] {0x10}), 0)).isFalse();
    }

    @Test
    void filteringAllocatesNothingPerPacket() {
        Av1FixtureStreams.Generator stream = new Av1FixtureStreams.Generator(0);
        List<Av1FixtureStreams.Frame> key = stream.nextUnit(true);
        List<List<Av1FixtureStreams.Frame>> units = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            units.add(stream.nextUnit(false));
        }
        Av1DdFilter filter = new Av1DdFilter(Av1FixtureStreams.EXTENSION_ID);
        for (Av1FixtureStreams.Frame f : key) {
            f.packets().forEach(p -> filter.accept(p, 0));
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int round = 0; round < 3; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 2_000; i++) {
                filter.setTarget(i % 3, (i / 3) % 3);
                List<Av1FixtureStreams.Frame> unit = units.get(i % units.size());
                for (int f = 0; f < unit.size(); f++) {
                    List<RtpPacket> packets = unit.get(f).packets();
                    for (int p = 0; p < packets.size(); p++) {
                        sink += filter.accept(packets.get(p), i) ? 1 : 0;
                    }
                }
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round == 2) {
                // 48,000 packets: a bound far below one byte per packet, above the JIT's own noise.
                assertThat(allocated).as("bytes allocated filtering 48,000 packets").isLessThan(4096);
            }
        }
        assertThat(sink).isPositive();
    }
}
