package io.relaymesh.node.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtp.RtpPacket;
import io.relaymesh.node.rtp.codec.Av1FixtureStreams;
import io.relaymesh.node.rtp.codec.Vp9SvcStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link ScalableLayers} measures of a single scalable stream: per (spatial, temporal) choice exactly the bytes
 * of the packets a viewer at that choice gets over the last second, the layer counts and resolutions the stream
 * announces, silent layers, malformed packets, and no allocation per packet.
 */
class ScalableLayersTest {

    private static final long PICTURE_NANOS = 33_333_333L;

    /** One packet as fed: when, its layer ids and its length. */
    private record Fed(long nanos, int spatialId, int temporalId, int length) {
    }

    private final List<Fed> fed = new ArrayList<>();

    /** The bits per second a viewer at (s, t) gets by the meter's rule: the packets of the last ten 100 ms slots. */
    private long expected(int s, int t, long nowNanos) {
        long firstSlot = Math.floorDiv(nowNanos, BitrateMeter.SLOT_NANOS) - BitrateMeter.SLOTS + 1;
        long bytes = 0;
        for (Fed f : fed) {
            if (Math.floorDiv(f.nanos(), BitrateMeter.SLOT_NANOS) >= firstSlot && f.spatialId() <= s
                    && f.temporalId() <= t) {
                bytes += f.length();
            }
        }
        return bytes * 8;
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void vp9CellsCountEveryPacketAtOrBelowTheirSpatialAndTemporalLayer(boolean flexible) {
        Vp9SvcStream stream = new Vp9SvcStream(flexible).payloadBytes(100, 200, 400);
        ScalableLayers layers = new ScalableLayers(-1);
        long now = 1_000_000_000L;
        assertThat(layers.layered()).isFalse();
        assertThat(layers.spatialLayers(now)).isZero();
        for (int picture = 0; picture < 75; picture++, now += PICTURE_NANOS) {
            for (Vp9SvcStream.LayerFrame frame : stream.next(picture == 0, false)) {
                for (RtpPacket packet : frame.packets()) {
                    layers.onPacket(MediaCodec.VP9, packet, now);
                    fed.add(new Fed(now, frame.key() & 7, temporalId(packet), packet.length()));
                }
            }
        }
        assertThat(layers.layered()).isTrue();
        for (int s = 0; s < 3; s++) {
            for (int t = 0; t < 3; t++) {
                assertThat(layers.bitsPerSecond(s, t, now)).as("S%dT%d", s, t).isEqualTo(expected(s, t, now));
            }
        }
        assertThat(layers.bitsPerSecond(2, 2, now)).isGreaterThan(layers.bitsPerSecond(2, 1, now))
                .isGreaterThan(layers.bitsPerSecond(1, 2, now));
        assertThat(layers.spatialLayers(now)).isEqualTo(3);
        assertThat(layers.temporalLayers(now)).isEqualTo(3);
        assertThat(layers.width(0)).isEqualTo(320);
        assertThat(layers.height(1)).isEqualTo(360);
        assertThat(layers.width(2)).isEqualTo(1280);
        assertThat(layers.width(3)).as("no fourth layer").isZero();
        assertThat(layers.width(-1)).isZero();
    }

    @Test
    void aSpatialLayerThePublisherStopsSendingIsSilentAfterASecond() {
        Vp9SvcStream stream = new Vp9SvcStream(true);
        ScalableLayers layers = new ScalableLayers(-1);
        long now = 0;
        for (int picture = 0; picture < 60; picture++, now += PICTURE_NANOS) {
            for (Vp9SvcStream.LayerFrame frame : stream.next(picture == 0, false)) {
                if (picture < 30 || (frame.key() & 7) < 2) { // S2 stops after one second
                    for (RtpPacket packet : frame.packets()) {
                        layers.onPacket(MediaCodec.VP9, packet, now);
                    }
                }
            }
        }
        assertThat(layers.spatialActive(2, now)).isFalse();
        assertThat(layers.spatialActive(1, now)).isTrue();
        assertThat(layers.spatialActive(0, now)).isTrue();
        assertThat(layers.spatialLayers(now)).as("the announced count stays").isEqualTo(3);
        assertThat(layers.temporalLayers(now)).isEqualTo(3);
        assertThat(layers.bitsPerSecond(2, 2, now)).as("S2 adds nothing now")
                .isEqualTo(layers.bitsPerSecond(1, 2, now)).isPositive();
        long later = now + 1_000_000_000L;
        assertThat(layers.spatialActive(0, later)).isFalse();
        assertThat(layers.temporalLayers(later)).isZero();
        assertThat(layers.bitsPerSecond(0, 0, later)).isZero();
    }

    @Test
    void av1CellsCountTheFramesPresentInTheirDecodeTarget() {
        Av1FixtureStreams.Generator stream = new Av1FixtureStreams.Generator(5);
        ScalableLayers layers = new ScalableLayers(Av1FixtureStreams.EXTENSION_ID);
        long now = 1_000_000_000L;
        for (int unit = 0; unit < 75; unit++, now += PICTURE_NANOS) {
            for (Av1FixtureStreams.Frame frame : stream.nextUnit(unit == 0)) {
                for (RtpPacket packet : frame.packets()) {
                    layers.onPacket(MediaCodec.AV1, packet, now);
                    fed.add(new Fed(now, frame.spatialId(), frame.temporalId(), packet.length()));
                }
            }
        }
        // Full SVC: decode target S{s}T{t} holds exactly the frames up to spatial s and temporal t.
        for (int s = 0; s < 3; s++) {
            for (int t = 0; t < 3; t++) {
                assertThat(layers.bitsPerSecond(s, t, now)).as("S%dT%d", s, t).isEqualTo(expected(s, t, now))
                        .isPositive();
            }
        }
        assertThat(layers.spatialLayers(now)).isEqualTo(3);
        assertThat(layers.temporalLayers(now)).isEqualTo(3);
        assertThat(layers.width(2)).isEqualTo(1280);
        assertThat(layers.height(0)).isEqualTo(180);
    }

    @Test
    void malformedOrForeignPacketsAreNotCountedAndNeverThrow() throws ProtocolException {
        ScalableLayers layers = new ScalableLayers(Av1FixtureStreams.EXTENSION_ID);
        // VP9 descriptor with I set (a picture id follows) and nothing after it: truncated.
        RtpPacket truncatedVp9 = new RtpPacket().wrap(Unpooled.wrappedBuffer(new byte[] {
            (byte) 0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 7, // RTP fixed header
            (byte) 0x80}));                                  // VP9: I=1, picture id missing
        // AV1 packet without any header extension: no dependency descriptor.
        RtpPacket plainAv1 = new RtpPacket().wrap(Unpooled.wrappedBuffer(new byte[] {
            (byte) 0x80, 96, 0, 2, 0, 0, 0, 1, 0, 0, 0, 7, 0x10, 0x32}));
        // AV1 packet whose descriptor element is 2 bytes (needs 3).
        RtpPacket shortDescriptor = new RtpPacket().wrap(Unpooled.wrappedBuffer(new byte[] {
            (byte) 0x90, 96, 0, 3, 0, 0, 0, 1, 0, 0, 0, 7,     // RTP fixed header, X=1
            0x10, 0x00, 0x00, 0x01,                             // two-byte profile, one word
            Av1FixtureStreams.EXTENSION_ID, 2, (byte) 0x80, 0x00, // id, length 2, truncated descriptor
            0x10, 0x32}));
        layers.onPacket(MediaCodec.VP9, truncatedVp9, 0);
        layers.onPacket(MediaCodec.AV1, plainAv1, 0);
        layers.onPacket(MediaCodec.AV1, shortDescriptor, 0);
        layers.onPacket(MediaCodec.H264, truncatedVp9, 0);
        assertThat(layers.layered()).isFalse();
        assertThat(layers.spatialLayers(0)).isZero();
        assertThat(layers.bitsPerSecond(2, 3, 0)).isZero();
        assertThat(new ScalableLayers(-1).layered()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void measuringAllocatesNothingPerPacket(boolean av1) {
        List<RtpPacket> packets = new ArrayList<>();
        if (av1) {
            Av1FixtureStreams.Generator stream = new Av1FixtureStreams.Generator(0);
            for (int unit = 0; unit < 8; unit++) {
                stream.nextUnit(unit == 0).forEach(f -> packets.addAll(f.packets()));
            }
        } else {
            Vp9SvcStream stream = new Vp9SvcStream(true);
            for (int picture = 0; picture < 8; picture++) {
                stream.next(picture == 0, false).forEach(f -> packets.addAll(f.packets()));
            }
        }
        MediaCodec codec = av1 ? MediaCodec.AV1 : MediaCodec.VP9;
        ScalableLayers layers = new ScalableLayers(Av1FixtureStreams.EXTENSION_ID);
        packets.forEach(p -> layers.onPacket(codec, p, 0)); // the keyframe's structure is parsed once
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int round = 0; round < 3; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 12_000; i++) {
                // Skip the keyframe (index 0..5): a structure equal to the one in force is not re-parsed anyway.
                layers.onPacket(codec, packets.get(6 + i % (packets.size() - 6)), i * 1_000_000L);
            }
            sink += layers.bitsPerSecond(2, 2, 12_000_000_000L);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round == 2) {
                assertThat(allocated).as("bytes allocated measuring 12,000 packets").isLessThan(4096);
            }
        }
        assertThat(sink).isPositive();
    }

    private static int temporalId(RtpPacket packet) {
        // VP9 descriptor: flags, two-byte picture id, then the layer indices byte |TID|U|SID|D|.
        return packet.buffer().getUnsignedByte(packet.payloadOffset() + 3) >>> 5;
    }
}
