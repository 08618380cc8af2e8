package io.relaymesh.node.sfu;

import static io.relaymesh.node.sfu.RtpFixtures.ABS_SEND_TIME;
import static io.relaymesh.node.sfu.RtpFixtures.ABS_SEND_TIME_ELEMENT;
import static io.relaymesh.node.sfu.RtpFixtures.MID;
import static io.relaymesh.node.sfu.RtpFixtures.MID_ELEMENT;
import static io.relaymesh.node.sfu.RtpFixtures.TRANSPORT_CC_ELEMENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtp.RtpPacket;
import io.relaymesh.node.rtp.RtxPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The forwarding step without sockets: publisher packets in, each viewer's rewritten packets out. */
class ForwardingTest {

    private static final int PUB_PT = 96;
    private static final int PUB_RTX_PT = 97;
    private static final int PUB_SSRC = 0x11111111;
    private static final int OTHER_PUB_SSRC = 0x22222222;

    private static final int A_PT = 100;
    private static final int A_RTX_PT = 101;
    private static final int A_SSRC = 0xAAAA0001;
    private static final int A_RTX_SSRC = 0xAAAA0002;
    private static final int A_SEQ = 65_534; // the viewer's numbering wraps right away
    private static final int A_TS = 0xFFFF_F000;
    private static final int A_MID_ID = 1;
    private static final int A_ABS_ID = 5;

    private static final int B_PT = 120;
    private static final int B_SSRC = 0xBBBB0001;
    private static final int B_SEQ = 300;
    private static final int B_TS = 777;
    private static final int B_MID_ID = 9;

    private static final long FRAME_NANOS = 33_333_333L;
    private static final int PAYLOAD = 200;

    private final TrackingAllocator alloc = new TrackingAllocator();
    private final Room room = new Room("lobby", SfuListener.NONE);
    private final List<PublishedTrack> tracks = new ArrayList<>();
    private final RecordingSink viewerA = new RecordingSink();
    private final RecordingSink viewerB = new RecordingSink();
    private final RtpPacket view = new RtpPacket();
    private long now = 1_000_000_000L;

    private final MediaSpec publisherMedia = video(new CodecSpec(PUB_PT, MediaCodec.VP8, 90_000, PUB_RTX_PT),
            RtpFixtures.PUBLISHER_EXTENSIONS);
    private final DownTrack downA = new DownTrack(viewerA,
            video(new CodecSpec(A_PT, MediaCodec.VP8, 90_000, A_RTX_PT),
                    Map.of(MID, A_MID_ID, ABS_SEND_TIME, A_ABS_ID, DownTrack.TRANSPORT_CC, 3)),
            A_SSRC, A_RTX_SSRC, A_SEQ, A_TS, alloc);
    private final DownTrack downB = new DownTrack(viewerB,
            video(new CodecSpec(B_PT, MediaCodec.VP8, 90_000, -1), Map.of(MID, B_MID_ID)),
            B_SSRC, 0, B_SEQ, B_TS, alloc);

    @AfterEach
    void everyBufferIsReleasedExactlyOnce() {
        viewerA.releaseAll();
        viewerB.releaseAll();
        for (PublishedTrack t : tracks) {
            t.end();
        }
        assertThat(alloc.allocatedCount()).isPositive();
        assertThat(alloc.unreleased()).isZero();
    }

    @Test
    void eachViewerGetsItsOwnNumberingFromTheFirstKeyframe() throws ProtocolException {
        PublishedTrack track = publish(PUB_SSRC, 1);
        downA.switchTo(track, now);
        downB.switchTo(track, now);
        assertThat(track.keyframeRequests()).as("joining viewers ask for a keyframe, once per 100 ms").isEqualTo(1);

        feed(track, 65_530, 0, true, false); // a delta frame: nobody may start on it
        feed(track, 65_531, 0, false, false);
        assertThat(viewerA.packets).isEmpty();
        assertThat(viewerB.packets).isEmpty();

        int keyTs = 3000;
        for (int i = 0; i < 10; i++) { // keyframe at 65532, then the publisher's numbering wraps
            int frame = i / 2;
            feed(track, (65_532 + i) & 0xFFFF, keyTs + frame * 3000, i % 2 == 0, i == 0);
            now += i % 2 == 1 ? FRAME_NANOS : 0;
        }

        assertThat(viewerA.packets).hasSize(10);
        assertThat(viewerB.packets).hasSize(10);
        for (int i = 0; i < 10; i++) {
            int inSeq = (65_532 + i) & 0xFFFF;
            int inTs = keyTs + (i / 2) * 3000;
            RtpPacket a = view.wrap(viewerA.packets.get(i));
            assertThat(a.ssrc()).isEqualTo(A_SSRC);
            assertThat(a.payloadType()).isEqualTo(A_PT);
            assertThat(a.sequenceNumber()).isEqualTo((A_SEQ + i) & 0xFFFF);
            assertThat(a.timestamp()).isEqualTo(A_TS + (inTs - keyTs));
            assertThat(payload(a)).isEqualTo(publisherPayload(inSeq, inTs, i % 2 == 0, i == 0));
            ByteBuf aBuf = viewerA.packets.get(i);
            assertThat(aBuf.getByte(aBuf.readerIndex() + MID_ELEMENT)).isEqualTo((byte) (A_MID_ID << 4));
            assertThat(aBuf.getByte(aBuf.readerIndex() + ABS_SEND_TIME_ELEMENT)).isEqualTo((byte) (A_ABS_ID << 4 | 2));
            assertThat(a.findExtension(3)).as("transport-cc describes the publisher's leg: dropped").isEqualTo(-1);

            RtpPacket b = view.wrap(viewerB.packets.get(i));
            assertThat(b.ssrc()).isEqualTo(B_SSRC);
            assertThat(b.payloadType()).isEqualTo(B_PT);
            assertThat(b.sequenceNumber()).isEqualTo(B_SEQ + i);
            assertThat(b.timestamp()).isEqualTo(B_TS + (inTs - keyTs));
            assertThat(b.findExtension(B_MID_ID)).isPositive();
            ByteBuf bBuf = viewerB.packets.get(i);
            assertThat(bBuf.getByte(bBuf.readerIndex() + ABS_SEND_TIME_ELEMENT)).as("not negotiated by B: padding")
                    .isZero();
            assertThat(bBuf.getByte(bBuf.readerIndex() + TRANSPORT_CC_ELEMENT)).isZero();
            assertThat(payload(b)).isEqualTo(payload(a));
        }
        assertThat(downA.packetsSent()).isEqualTo(10);
        assertThat(downA.octetsSent()).isEqualTo(10L * PAYLOAD);
    }

    @Test
    void aRequestedKeyframeIsNotAskedForAgainUntilItArrivesOrTheRetryIsDue() throws ProtocolException {
        PublishedTrack track = publish(PUB_SSRC, 1);
        downA.switchTo(track, now); // asks for the keyframe it must start on
        assertThat(track.keyframeRequests()).isEqualTo(1);
        int seq = 100;
        // Delta frames for 400 ms: viewer A waits and asks on every packet, the publisher is asked once.
        for (int i = 0; i < 12; i++) {
            now += FRAME_NANOS;
            feed(track, seq++, i * 3000, true, false);
        }
        assertThat(track.keyframeRequests()).as("one request while its keyframe is on the way").isEqualTo(1);
        // The keyframe does not come: asked again once the retry interval is over.
        now += PublishedTrack.KEYFRAME_RETRY_NANOS;
        feed(track, seq++, 40_000, true, false);
        assertThat(track.keyframeRequests()).isEqualTo(2);
        // It arrives; a viewer (B) asking 100 ms later is served at once, no retry wait.
        feed(track, seq++, 43_000, true, true);
        now += PublishedTrack.KEYFRAME_REQUEST_INTERVAL_NANOS;
        downB.switchTo(track, now);
        assertThat(track.keyframeRequests()).isEqualTo(3);
    }

    @Test
    void aPacketReceivedTwiceIsForwardedOnce() throws ProtocolException {
        PublishedTrack track = publish(PUB_SSRC, 1);
        downA.switchTo(track, now);
        feed(track, 500, 0, true, true);
        feed(track, 501, 3000, true, false);
        feed(track, 501, 3000, true, false); // an RTX copy of a packet that was not lost, or a network duplicate
        feed(track, 500, 0, true, true);
        feed(track, 502, 6000, true, false);
        assertThat(viewerA.packets).hasSize(3);
        assertThat(track.duplicates()).isEqualTo(2);
        for (int i = 0; i < 3; i++) {
            assertThat(view.wrap(viewerA.packets.get(i)).sequenceNumber()).isEqualTo((A_SEQ + i) & 0xFFFF);
        }
    }

    @Test
    void aViewerJoiningMidStreamWaitsForTheNextKeyframe() throws ProtocolException {
        PublishedTrack track = publish(PUB_SSRC, 1);
        downA.switchTo(track, now);
        feed(track, 10, 0, true, true);
        feed(track, 11, 3000, true, false);
        now += 200_000_000L;
        downB.switchTo(track, now);
        assertThat(track.keyframeRequests()).isEqualTo(2);
        feed(track, 12, 6000, true, false);
        assertThat(viewerB.packets).isEmpty();
        feed(track, 13, 9000, true, true);
        feed(track, 14, 12_000, true, false);

        assertThat(viewerA.packets).hasSize(5);
        assertThat(viewerB.packets).hasSize(2);
        assertThat(view.wrap(viewerB.packets.get(0)).sequenceNumber()).isEqualTo(B_SEQ);
        assertThat(view.wrap(viewerB.packets.get(1)).sequenceNumber()).isEqualTo(B_SEQ + 1);
    }

    @Test
    void aSourceSwitchKeepsTheViewersSequenceContinuous() throws ProtocolException {
        PublishedTrack first = publish(PUB_SSRC, 1);
        PublishedTrack second = publish(OTHER_PUB_SSRC, 2);
        downA.switchTo(first, now);
        for (int i = 0; i < 5; i++) {
            feed(first, 1000 + i, 90_000 + i * 3000, true, i == 0);
            now += FRAME_NANOS;
        }
        downA.switchTo(second, now);
        feed(first, 1005, 90_000 + 5 * 3000, true, false); // the old source goes on for a while: not forwarded
        feed(second, 40_000, 5_000_000, true, false); // not a keyframe: skipped
        now += 100_000_000L;
        feed(second, 40_001, 5_009_000, true, true);
        feed(second, 40_002, 5_012_000, true, false);

        assertThat(viewerA.packets).hasSize(7);
        int lastTs = A_TS + 4 * 3000;
        RtpPacket switched = view.wrap(viewerA.packets.get(5));
        assertThat(switched.sequenceNumber()).isEqualTo((A_SEQ + 5) & 0xFFFF);
        assertThat(switched.ssrc()).isEqualTo(A_SSRC);
        // Time moved on by the wall-clock gap since the last packet sent (one frame + 100 ms at 90 kHz).
        assertThat(switched.timestamp() - lastTs).isEqualTo((int) ((FRAME_NANOS + 100_000_000L) * 90 / 1_000_000));
        int switchedTs = switched.timestamp();
        RtpPacket next = view.wrap(viewerA.packets.get(6));
        assertThat(next.sequenceNumber()).isEqualTo((A_SEQ + 6) & 0xFFFF);
        assertThat(next.timestamp() - switchedTs).isEqualTo(3000);
        assertThat(first.downTracks()).isEmpty();
        assertThat(second.downTracks()).containsExactly(downA);
    }

    @Test
    void aViewersNackIsAnsweredAsRtxWhenNegotiatedAndAsAPlainCopyOtherwise() throws ProtocolException {
        PublishedTrack track = publish(PUB_SSRC, 1);
        downA.switchTo(track, now);
        downB.switchTo(track, now);
        for (int i = 0; i < 6; i++) {
            feed(track, 500 + i, i * 3000, true, i == 0);
        }
        int lostOnA = (A_SEQ + 3) & 0xFFFF;
        byte[] original = payload(view.wrap(viewerA.packets.get(3)));
        int originalTs = view.timestamp();

        downA.retransmit(lostOnA, now + 10_000_000L);
        downA.retransmit(lostOnA, now + 20_000_000L);
        downB.retransmit(B_SEQ + 3, now + 10_000_000L);

        assertThat(viewerA.packets).hasSize(8);
        for (int i = 0; i < 2; i++) {
            RtpPacket rtx = view.wrap(viewerA.packets.get(6 + i));
            assertThat(rtx.ssrc()).isEqualTo(A_RTX_SSRC);
            assertThat(rtx.payloadType()).isEqualTo(A_RTX_PT);
            assertThat(rtx.sequenceNumber()).as("RTX has its own sequence").isEqualTo((A_SEQ ^ 0x5A5A) + i);
            assertThat(rtx.timestamp()).isEqualTo(originalTs);
            assertThat(RtxPacket.originalSequenceNumber(rtx)).isEqualTo(lostOnA);
            byte[] carried = new byte[rtx.payloadLength() - RtxPacket.OSN_LENGTH];
            rtx.buffer().getBytes(rtx.payloadOffset() + RtxPacket.OSN_LENGTH, carried);
            assertThat(carried).isEqualTo(original);
            assertThat(rtx.findExtension(A_MID_ID)).as("extension ids rewritten for the viewer").isPositive();
        }
        assertThat(viewerB.packets).hasSize(7);
        RtpPacket copy = view.wrap(viewerB.packets.get(6));
        assertThat(copy.ssrc()).isEqualTo(B_SSRC);
        assertThat(copy.payloadType()).isEqualTo(B_PT);
        assertThat(copy.sequenceNumber()).isEqualTo(B_SEQ + 3);
        assertThat(payload(copy)).isEqualTo(original);
        assertThat(downA.retransmitted()).isEqualTo(2);
    }

    @Test
    void nacksForUnsentOrExpiredPacketsAreIgnored() {
        PublishedTrack track = publish(PUB_SSRC, 1);
        downA.switchTo(track, now);
        feed(track, 500, 0, true, true);

        downA.retransmit((A_SEQ + 1) & 0xFFFF, now); // never sent
        downA.retransmit(A_SEQ, now + PublishedTrack.RETRANSMIT_MAX_AGE_NANOS + 1); // too old to help

        assertThat(viewerA.packets).hasSize(1);
        assertThat(downA.retransmitted()).isZero();
    }

    @Test
    void aViewerWithoutTheSourcesCodecGetsNothing() {
        PublishedTrack track = publish(PUB_SSRC, 1);
        DownTrack h264Only = new DownTrack(viewerB, video(new CodecSpec(102, MediaCodec.H264, 90_000, -1), Map.of()),
                B_SSRC, 0, 0, 0, alloc);
        h264Only.switchTo(track, now);
        feed(track, 1, 0, true, true);

        assertThat(viewerB.packets).isEmpty();
    }

    private PublishedTrack publish(int ssrc, int epoch) {
        Publisher publisher = new Publisher(null, "pub-" + epoch, room, "peer-" + epoch, List.of(publisherMedia), 1);
        PublishedTrack t = new PublishedTrack("pub-" + epoch + ":0", publisher, publisherMedia,
                publisherMedia.codecs().getFirst(), ssrc, epoch);
        tracks.add(t);
        return t;
    }

    /** One publisher packet through the track, then released as the transport does after its handler. */
    private void feed(PublishedTrack track, int seq, int ts, boolean frameStart, boolean keyframe) {
        ByteBuf in = RtpFixtures.vp8(alloc, PUB_PT, seq, ts, track.ssrc(), frameStart, keyframe, PAYLOAD);
        try {
            track.onRtp(new RtpPacket().wrap(in), now);
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        } finally {
            in.release();
        }
    }

    private byte[] publisherPayload(int seq, int ts, boolean frameStart, boolean keyframe) throws ProtocolException {
        ByteBuf in = RtpFixtures.vp8(alloc, PUB_PT, seq, ts, PUB_SSRC, frameStart, keyframe, PAYLOAD);
        try {
            return payload(new RtpPacket().wrap(in));
        } finally {
            in.release();
        }
    }

    private static byte[] payload(RtpPacket p) {
        return ByteBufUtil.getBytes(p.buffer(), p.payloadOffset(), p.payloadLength());
    }

    private static MediaSpec video(CodecSpec codec, Map<String, Integer> extensions) {
        return new MediaSpec("0", MediaKind.VIDEO, List.of(codec), extensions, true, true, false);
    }

    /** Keeps what a viewer was sent; owns those buffers until {@link #releaseAll()}. */
    private static final class RecordingSink implements RtpSink {
        final List<ByteBuf> packets = new ArrayList<>();

        @Override
        public void sendRtp(ByteBuf packet) {
            assertThat(packet.writableBytes()).as("room left for the SRTP trailer")
                    .isGreaterThanOrEqualTo(io.relaymesh.node.transport.PeerConnection.SRTP_TAIL_ROOM);
            packets.add(packet);
        }

        void releaseAll() {
            for (ByteBuf p : packets) {
                assertThat(p.release()).isTrue();
            }
            packets.clear();
        }
    }
}
