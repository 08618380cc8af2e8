package io.relaymesh.node.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtp.RtpPacket;
import io.relaymesh.node.rtp.RtxPacket;
import io.relaymesh.node.rtp.codec.Vp8Packets;
import io.relaymesh.node.rtp.codec.Vp8PayloadDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A simulcast track (three layers of one track, each its own SSRC and numbering) forwarded to a viewer whose
 * target layers change: what the viewer receives must look like one continuous VP8 stream.
 */
class SimulcastForwardingTest {

    private static final int PUB_PT = 96;
    private static final int VIEW_PT = 100;
    private static final int VIEW_RTX_PT = 101;
    private static final int VIEW_SSRC = 0xABCD0001;
    private static final int VIEW_RTX_SSRC = 0xABCD0002;
    private static final long FRAME_NANOS = 33_333_333L;
    private static final int FRAME_TICKS = 3000;
    /** TID of frame n in the L1T3 pattern every layer uses. */
    private static final int[] PATTERN = {0, 2, 1, 2};
    private static final int[] WIDTHS = {320, 640, 1280};
    /** Keyframe requests are counted by the layers themselves; the source needs to do nothing. */
    private static final TrackSource SOURCE = SilentSource.PUBLISHER;

    private final TrackingAllocator alloc = new TrackingAllocator();
    private final RecordingSink viewer = new RecordingSink();
    private final MediaSpec publisherMedia = new MediaSpec("1", MediaKind.VIDEO,
            List.of(new CodecSpec(PUB_PT, MediaCodec.VP8, 90_000, 97)), Map.of(), true, true, false);
    private final DownTrack down = new DownTrack(viewer, new MediaSpec("0", MediaKind.VIDEO,
            List.of(new CodecSpec(VIEW_PT, MediaCodec.VP8, 90_000, VIEW_RTX_PT)), Map.of(), true, true, false),
            VIEW_SSRC, VIEW_RTX_SSRC, 40_000, 123_456, alloc);
    private final TrackLayers layers = new TrackLayers();
    private final Layer[] publisher = new Layer[3];
    private final RtpPacket view = new RtpPacket();
    private long now = 5_000_000_000L;

    /** One simulcast encoding as the publisher sends it: its own SSRC, numbering and clock. */
    private final class Layer {
        final int index;
        final PublishedTrack track;
        int seq;
        int tsBase;
        int pictureId;
        int tl0;
        boolean keyframeDue = true;
        long requestsSeen;

        Layer(int index, SplittableRandom random) {
            this.index = index;
            this.track = new PublishedTrack("pub:1", SOURCE, publisherMedia, publisherMedia.codecs().getFirst(),
                    0x1000 + index, index + 1, layers, "r" + index);
            this.seq = random.nextInt(1 << 16);
            this.tsBase = random.nextInt();
            this.pictureId = random.nextInt(1 << 15);
            this.tl0 = random.nextInt(256);
        }

        /** Sends frame {@code frame} as {@code packets} packets; a keyframe when one was asked for. */
        void sendFrame(int frame, int packets) {
            if (track.keyframeRequests() != requestsSeen) {
                requestsSeen = track.keyframeRequests();
                keyframeDue = true;
            }
            boolean key = keyframeDue;
            keyframeDue = false;
            int tid = key ? 0 : PATTERN[frame % 4];
            if (tid == 0) {
                tl0 = (tl0 + 1) & 0xFF;
            }
            pictureId = (pictureId + 1) & 0x7FFF;
            for (int p = 0; p < packets; p++) {
                ByteBuf b = Vp8Packets.packet(PUB_PT, seq, tsBase + frame * FRAME_TICKS, track.ssrc(), p == 0,
                        key && p == 0, pictureId, tl0, tid, tid > 0 && frame % 8 < 4, WIDTHS[index],
                        WIDTHS[index] * 9 / 16, index, 60 + index * 40);
                seq = (seq + 1) & 0xFFFF;
                try {
                    track.onRtp(view.wrap(b), now);
                } catch (ProtocolException e) {
                    throw new AssertionError(e);
                } finally {
                    b.release();
                }
            }
        }
    }

    @AfterEach
    void everyBufferIsReleasedExactlyOnce() {
        viewer.releaseAll();
        for (Layer l : publisher) {
            if (l != null) {
                l.track.end();
            }
        }
        assertThat(alloc.unreleased()).isZero();
    }

    private void publish(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 3; i++) {
            publisher[i] = new Layer(i, random);
        }
    }

    private void frame(int frame, SplittableRandom random) {
        // Layers' packets of one frame arrive interleaved in any layer order, as three SSRCs would.
        int first = random.nextInt(3);
        for (int k = 0; k < 3; k++) {
            publisher[(first + k) % 3].sendFrame(frame, 1 + random.nextInt(3));
        }
        now += FRAME_NANOS;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 7, 0xBADC0DE})
    void aThousandRandomSwitchesKeepEveryFieldContinuousAndStartEachLayerOnAKeyframe(long seed)
            throws ProtocolException {
        publish(seed);
        SplittableRandom random = new SplittableRandom(seed * 31);
        down.switchTo(publisher[0].track, now);
        Checker checker = new Checker();
        int frame = 0;
        while (down.switches() < 1000) {
            if (random.nextInt(4) == 0) {
                down.setTarget(random.nextInt(3), random.nextInt(3), now);
            }
            frame(frame++, random);
            checker.take(viewer.packets);
            viewer.releaseAll();
            assertThat(frame).as("switches keep happening").isLessThan(40_000);
        }

        assertThat(checker.spatialSwitches).isEqualTo(1000);
        assertThat(checker.packets).isGreaterThan(5000);
    }

    /** Checks each packet the viewer gets against the previous one. */
    private final class Checker {
        int packets;
        int spatialSwitches;
        int lastSeq;
        int lastTs;
        int lastPictureId;
        int lastTl0;
        int lastLayer = -1;
        long lastNanos;

        void take(List<ByteBuf> sent) throws ProtocolException {
            for (ByteBuf b : sent) {
                RtpPacket p = view.wrap(b);
                Vp8PayloadDescriptor d = Vp8Packets.descriptor(b);
                int layer = b.getByte(b.readerIndex() + b.readableBytes() - 1);
                assertThat(p.ssrc()).isEqualTo(VIEW_SSRC);
                assertThat(p.payloadType()).isEqualTo(VIEW_PT);
                if (packets == 0) {
                    assertThat(d.keyFrame()).as("the first packet starts a keyframe").isTrue();
                } else {
                    assertThat(p.sequenceNumber()).as("packet %d: no gaps, no repeats", packets)
                            .isEqualTo((lastSeq + 1) & 0xFFFF);
                    int tsStep = p.timestamp() - lastTs;
                    int pidStep = (d.pictureId() - lastPictureId) & 0x7FFF;
                    int tl0Step = (d.tl0PicIdx() - lastTl0) & 0xFF;
                    if (layer != lastLayer) {
                        spatialSwitches++;
                        assertThat(d.keyFrame()).as("a new layer starts with its keyframe").isTrue();
                        assertThat(pidStep).as("picture id continues across the switch").isEqualTo(1);
                        assertThat(tl0Step).as("TL0PICIDX continues across the switch").isEqualTo(1);
                        assertThat(tsStep).as("time moves on by the gap since the last packet").isPositive()
                                .isLessThanOrEqualTo((int) ((now - lastNanos) * 90 / 1_000_000) + FRAME_TICKS);
                    } else if (d.startOfFrame()) {
                        assertThat(tsStep).as("a new frame is later").isPositive().isLessThanOrEqualTo(4 * FRAME_TICKS);
                        assertThat(pidStep).as("picture ids only go up, gaps only for dropped layers")
                                .isBetween(1, 4);
                        assertThat(tl0Step).as("TL0PICIDX steps by one base frame at most").isBetween(0, 1);
                    } else {
                        assertThat(tsStep).as("packets of one frame share its time").isZero();
                        assertThat(pidStep).isZero();
                    }
                }
                lastSeq = p.sequenceNumber();
                lastTs = p.timestamp();
                lastPictureId = d.pictureId();
                lastTl0 = d.tl0PicIdx();
                lastLayer = layer;
                lastNanos = now;
                packets++;
            }
        }
    }

    @Test
    void aSwitchMapsTimeThroughTheLayersSenderReportsExactly() throws ProtocolException {
        publish(3);
        SplittableRandom random = new SplittableRandom(3);
        long ntpBase = 0xE000_0000_0000_0000L;
        for (Layer l : publisher) {
            // Each layer's report maps its own clock (tsBase at frame 0) to the same wall clock.
            l.track.onSenderReport(ntpBase, l.tsBase, now);
        }
        down.setTarget(0, DownTrack.ALL_LAYERS, now);
        down.switchTo(publisher[0].track, now);
        for (int f = 0; f < 10; f++) {
            frame(f, random);
        }
        down.setTarget(2, DownTrack.ALL_LAYERS, now);
        viewer.releaseAll();
        now += 250_000_000L; // frame 10 is late: arrival times say nothing about its capture time
        publisher[2].sendFrame(10, 2);
        publisher[0].sendFrame(10, 2);

        assertThat(down.switches()).isEqualTo(1);
        assertThat(viewer.packets).hasSize(2);
        RtpPacket first = view.wrap(viewer.packets.getFirst());
        int frame0 = 123_456; // the viewer's initial timestamp: frame 0 of layer 0 went out with it
        assertThat(first.timestamp() - frame0).isEqualTo(10 * FRAME_TICKS);
    }

    @Test
    void aNackAfterASwitchIsAnsweredFromTheLayerThePacketCameFrom() throws ProtocolException {
        publish(11);
        SplittableRandom random = new SplittableRandom(11);
        down.setTarget(0, DownTrack.ALL_LAYERS, now);
        down.switchTo(publisher[0].track, now);
        for (int f = 0; f < 4; f++) {
            frame(f, random);
        }
        ByteBuf lostOnLayer0 = viewer.packets.get(2);
        int lostSeq = view.wrap(lostOnLayer0).sequenceNumber();
        int lostTs = view.timestamp();
        int lostPictureId = Vp8Packets.descriptor(lostOnLayer0).pictureId();
        down.setTarget(1, DownTrack.ALL_LAYERS, now);
        for (int f = 4; f < 8; f++) {
            frame(f, random);
        }
        assertThat(down.switches()).isEqualTo(1);
        int before = viewer.packets.size();

        assertThat(down.retransmit(lostSeq, now)).isTrue();

        RtpPacket rtx = view.wrap(viewer.packets.get(before));
        assertThat(rtx.ssrc()).isEqualTo(VIEW_RTX_SSRC);
        assertThat(rtx.payloadType()).isEqualTo(VIEW_RTX_PT);
        assertThat(RtxPacket.originalSequenceNumber(rtx)).isEqualTo(lostSeq);
        assertThat(rtx.timestamp()).isEqualTo(lostTs);
        Vp8PayloadDescriptor d = new Vp8PayloadDescriptor().wrap(rtx.buffer(), rtx.payloadOffset() + RtxPacket.OSN_LENGTH,
                rtx.payloadOffset() + rtx.payloadLength());
        assertThat(d.pictureId()).as("sent with the renumbered picture id").isEqualTo(lostPictureId);
        ByteBuf rb = rtx.buffer();
        assertThat(rb.getByte(rb.readerIndex() + rb.readableBytes() - 1)).as("layer 0's payload").isZero();
        assertThat(down.retransmit((lostSeq + 5000) & 0xFFFF, now)).as("never sent").isFalse();
    }

    @Test
    void temporalLayersAboveTheTargetAreDroppedWithoutSequenceGaps() throws ProtocolException {
        publish(5);
        SplittableRandom random = new SplittableRandom(5);
        down.setTarget(2, 0, now);
        down.switchTo(publisher[0].track, now);
        for (int f = 0; f < 40; f++) {
            frame(f, random);
        }

        assertThat(viewer.packets).isNotEmpty();
        int seq = view.wrap(viewer.packets.getFirst()).sequenceNumber();
        for (ByteBuf b : viewer.packets) {
            assertThat(view.wrap(b).sequenceNumber()).isEqualTo(seq);
            seq = (seq + 1) & 0xFFFF;
            assertThat(Vp8Packets.descriptor(b).temporalId()).isZero();
            assertThat(b.getByte(b.readerIndex() + b.readableBytes() - 1)).as("the top layer").isEqualTo((byte) 2);
        }
        assertThat(down.spatial()).isEqualTo(2);
        assertThat(down.temporal()).isZero();
    }

    @Test
    void layersAreRankedByResolutionNotByTheOrderTheyArrivedIn() {
        publish(9);
        SplittableRandom random = new SplittableRandom(9);
        // Before any keyframe: by bitrate (layer 2 sends the largest packets).
        for (int f = 0; f < 3; f++) {
            publisher[2].sendFrame(f, 3);
            publisher[1].sendFrame(f, 2);
            publisher[0].sendFrame(f, 1);
            now += FRAME_NANOS;
        }
        layers.rank(now);
        assertThat(layers.layer(0)).isSameAs(publisher[0].track);
        assertThat(layers.layer(2)).isSameAs(publisher[2].track);

        frame(3, random);
        publisher[0].sendFrame(4, 20); // the low layer bursts: resolution, known now, still ranks it lowest
        now += 1;
        layers.rank(now);
        assertThat(layers.layer(0)).isSameAs(publisher[0].track);
        assertThat(layers.layer(1)).isSameAs(publisher[1].track);
        assertThat(layers.layer(2)).isSameAs(publisher[2].track);
        assertThat(publisher[1].track.width()).isEqualTo(640);
        assertThat(publisher[1].track.height()).isEqualTo(360);
        assertThat(layers.layer(7)).as("clamped").isSameAs(publisher[2].track);
        assertThat(layers.byRid("r1")).isSameAs(publisher[1].track);
    }

    @Test
    void paddingGoesOutOnTheRtxStreamOnlyOnceMediaFlows() throws ProtocolException {
        publish(2);
        down.switchTo(publisher[0].track, now);
        assertThat(down.sendPadding(1000, now)).as("nothing sent yet").isZero();
        frame(0, new SplittableRandom(2));
        int before = viewer.packets.size();

        assertThat(down.sendPadding(600, now)).isEqualTo(600);

        assertThat(viewer.packets.size() - before).isEqualTo(3);
        int total = 0;
        for (ByteBuf b : viewer.packets.subList(before, viewer.packets.size())) {
            RtpPacket p = view.wrap(b);
            assertThat(p.ssrc()).isEqualTo(VIEW_RTX_SSRC);
            assertThat(p.payloadType()).isEqualTo(VIEW_RTX_PT);
            assertThat(p.padding()).isTrue();
            assertThat(p.payloadLength()).isZero();
            total += p.paddingLength();
        }
        assertThat(total).isEqualTo(600);
    }

    /** Collects the viewer's packets. */
    static final class RecordingSink implements RtpSink {
        final List<ByteBuf> packets = new ArrayList<>();

        @Override
        public void sendRtp(ByteBuf packet) {
            packets.add(packet);
        }

        void releaseAll() {
            for (ByteBuf b : packets) {
                b.release();
            }
            packets.clear();
        }
    }
}
