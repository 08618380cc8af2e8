package io.relaymesh.node.sfu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtcp.Bye;
import io.relaymesh.node.rtcp.ReceiverReport;
import io.relaymesh.node.rtcp.ReportBlock;
import io.relaymesh.node.rtcp.SenderReport;
import io.relaymesh.node.rtp.RtpPacket;
import io.relaymesh.node.transport.PeerConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RtcpExchangeTest {

    private static final int SFU_SSRC = 0x5F5F5F5F;
    private static final int MEDIA_SSRC = 0xCAFEBABE;

    private final TrackingAllocator alloc = new TrackingAllocator();
    private final Recorder seen = new Recorder();
    private final List<PublishedTrack> tracks = new ArrayList<>();

    @AfterEach
    void released() {
        tracks.forEach(PublishedTrack::end);
        assertThat(alloc.unreleased()).isZero();
    }

    @Test
    void pliAndFirReadBackAsKeyframeRequests() {
        readAndRelease(RtcpExchange.pli(alloc, SFU_SSRC, MEDIA_SSRC));
        readAndRelease(RtcpExchange.fir(alloc, SFU_SSRC, 0x01020304, 7));

        assertThat(seen.events).containsExactly("keyframe " + MEDIA_SSRC, "keyframe " + 0x01020304);
    }

    @Test
    void nackReadsBackEveryLostNumberAcrossTheWrap() {
        int[] lost = {65_530, 65_535, 0, 3, 200, 999};
        readAndRelease(RtcpExchange.nack(alloc, SFU_SSRC, MEDIA_SSRC, lost, 5)); // only the first five count

        assertThat(seen.events).containsExactlyInAnyOrder("nack " + MEDIA_SSRC + " 65530", "nack " + MEDIA_SSRC
                + " 65535", "nack " + MEDIA_SSRC + " 0", "nack " + MEDIA_SSRC + " 3", "nack " + MEDIA_SSRC + " 200");
    }

    @Test
    void byeFollowsAnEmptyReportAndNamesTheStreamAndItsRtxStream() throws ProtocolException {
        ByteBuf out = RtcpExchange.bye(alloc, SFU_SSRC, MEDIA_SSRC, 0x0A0B0C0D, "track ended");
        try {
            ReceiverReport rr = ReceiverReport.parse(out, out.readerIndex());
            assertThat(rr.senderSsrc()).isEqualTo(SFU_SSRC);
            assertThat(rr.reportBlocks()).isEmpty();
            Bye bye = Bye.parse(out, out.readerIndex() + rr.encodedLength());
            assertThat(bye.ssrcs()).containsExactly(MEDIA_SSRC, 0x0A0B0C0D);
            assertThat(bye.reason()).isEqualTo("track ended");
            assertThat(out.readableBytes()).isEqualTo(rr.encodedLength() + bye.encodedLength());
            assertThat(out.writableBytes()).isGreaterThanOrEqualTo(PeerConnection.SRTP_TAIL_ROOM);
        } finally {
            out.release();
        }
        ByteBuf noRtx = RtcpExchange.bye(alloc, SFU_SSRC, MEDIA_SSRC, 0, "track ended");
        try {
            assertThat(Bye.parse(noRtx, noRtx.readerIndex() + 8).ssrcs()).containsExactly(MEDIA_SSRC);
        } finally {
            noRtx.release();
        }
    }

    @Test
    void receiverReportCarriesEachPublishedStreamsStatistics() throws ProtocolException {
        PublishedTrack track = publishedTrack(MediaKind.VIDEO);
        ReceiveStatistics stats = track.statistics();
        for (int seq = 100; seq < 200; seq++) {
            if (seq != 150) {
                stats.onPacket(seq, seq * 3000, seq * 33_333_333L);
            }
        }
        long srNtp = 0xE0000000_12345678L;
        track.onSenderReport(srNtp, 42, 10_000_000_000L);

        ByteBuf rr = RtcpExchange.receiverReport(alloc, SFU_SSRC, "sfu@relaymesh", List.of(track),
                10_000_000_000L + 250_000_000L);
        ReportBlock block = ReceiverReport.parse(rr, rr.readerIndex()).reportBlocks().getFirst();
        readAndRelease(rr);

        assertThat(block.ssrc()).isEqualTo(MEDIA_SSRC);
        assertThat(block.cumulativeLost()).isEqualTo(1);
        assertThat(block.fractionLost()).isEqualTo((1 << 8) / 100);
        assertThat(block.extendedHighestSequence()).isEqualTo(199);
        assertThat(block.lastSr()).isEqualTo(0x00001234);
        assertThat(block.delaySinceLastSr()).isEqualTo(65_536 / 4);
        assertThat(seen.events).containsExactly("block " + MEDIA_SSRC + " " + 0x1234L + " " + 65_536 / 4);
    }

    @Test
    void senderReportDescribesWhatEachViewerWasSent() throws ProtocolException {
        PublishedTrack track = publishedTrack(MediaKind.AUDIO);
        List<ByteBuf> sent = new ArrayList<>();
        MediaSpec viewer = new MediaSpec("0", MediaKind.AUDIO, List.of(new CodecSpec(111, MediaCodec.OPUS, 48_000, -1)),
                Map.of(), false, false, false);
        DownTrack idle = new DownTrack(sent::add, viewer, 0x0000_0002, 0, 0, 0, alloc);
        DownTrack down = new DownTrack(sent::add, viewer, 0x0000_0001, 0, 10, 480_000, alloc);
        down.switchTo(track, 0);
        for (int i = 0; i < 3; i++) {
            ByteBuf in = RtpFixtures.vp8(alloc, 111, 1000 + i, i * 960, MEDIA_SSRC, true, true, 100);
            track.onRtp(new RtpPacket().wrap(in), i * 20_000_000L);
            in.release();
        }
        sent.forEach(ByteBuf::release);

        long nowNanos = 40_000_000L + 500_000_000L;
        ByteBuf sr = RtcpExchange.senderReport(alloc, SFU_SSRC, "sfu@relaymesh", List.of(idle, down), nowNanos,
                0xE1000000_00000000L);
        SenderReport report = SenderReport.parse(sr, sr.readerIndex());
        readAndRelease(sr);

        assertThat(report.senderSsrc()).isEqualTo(1);
        assertThat(report.packetCount()).isEqualTo(3);
        assertThat(report.octetCount()).isEqualTo(300);
        assertThat(report.ntpTimestamp()).isEqualTo(0xE1000000_00000000L);
        // The last packet's timestamp advanced by the 500 ms since it was sent, at 48 kHz.
        assertThat(report.rtpTimestamp()).isEqualTo(480_000 + 2 * 960 + 24_000);
        assertThat(seen.events).containsExactly("sr 1 " + 0xE1000000_00000000L + " " + (480_000 + 2 * 960 + 24_000));
        assertThat(RtcpExchange.senderReport(alloc, SFU_SSRC, "x", List.of(idle), 0, 0)).as("nothing sent yet")
                .isNull();
    }

    @ParameterizedTest(name = "rtt {0} ms, held {1} ms")
    @CsvSource({"30, 500", "0, 0", "250, 1000"})
    void roundTripFromLsrAndDlsr(long rttMillis, long heldMillis) {
        long sentNtp = 0xE0000010_80000000L; // .5 s past a whole second
        long lastSr = (sentNtp >>> 16) & 0xFFFFFFFFL;
        long dlsr = heldMillis * 65_536 / 1000;
        long nowNtp = sentNtp + ((rttMillis + heldMillis) << 32) / 1000;

        long rtt = RtcpExchange.roundTripNanos(lastSr, dlsr, nowNtp);

        assertThat(rtt).isBetween(rttMillis * 1_000_000L - 40_000L, rttMillis * 1_000_000L + 40_000L);
    }

    @Test
    void aReportFromTheFutureGivesNoRoundTrip() {
        assertThat(RtcpExchange.roundTripNanos(0x1000, 0x10, 0x0800L << 16)).isEqualTo(-1);
    }

    @Test
    void aTruncatedCompoundKeepsWhatWasReadAndNeverThrows() {
        ByteBuf pli = RtcpExchange.pli(alloc, SFU_SSRC, MEDIA_SSRC);
        ByteBuf nack = RtcpExchange.nack(alloc, SFU_SSRC, MEDIA_SSRC, new int[] {5}, 1);
        ByteBuf both = alloc.directBuffer(64).writeZero(3).readerIndex(3);
        both.writeBytes(pli).writeBytes(nack);
        pli.release();
        nack.release();
        int full = both.readableBytes();
        for (int cut = 0; cut < full; cut++) {
            ByteBuf truncated = both.retainedSlice(both.readerIndex(), cut);
            assertThatCode(() -> RtcpExchange.read(truncated, new Recorder())).doesNotThrowAnyException();
            truncated.release();
        }
        ByteBuf firstOnly = both.retainedSlice(both.readerIndex(), full - 2);
        readAndRelease(firstOnly);
        both.release();

        assertThat(seen.events).containsExactly("keyframe " + MEDIA_SSRC);
    }

    private PublishedTrack publishedTrack(MediaKind kind) {
        CodecSpec codec = kind == MediaKind.VIDEO ? new CodecSpec(96, MediaCodec.VP8, 90_000, -1)
                : new CodecSpec(111, MediaCodec.OPUS, 48_000, -1);
        MediaSpec media = new MediaSpec("0", kind, List.of(codec), Map.of(), true, true, false);
        Publisher publisher = new Publisher(null, "p", new Room("r", SfuListener.NONE), "peer", List.of(media), 1);
        PublishedTrack t = new PublishedTrack("p:0", publisher, media, codec, MEDIA_SSRC, 1);
        tracks.add(t);
        return t;
    }

    private void readAndRelease(ByteBuf compound) {
        try {
            RtcpExchange.read(compound, seen);
        } finally {
            compound.release();
        }
    }

    private static final class Recorder extends RtcpExchange.Reader {
        final List<String> events = new ArrayList<>();

        @Override
        void senderReport(int ssrc, long ntp, int rtpTimestamp) {
            events.add("sr " + ssrc + " " + ntp + " " + rtpTimestamp);
        }

        @Override
        void reportBlock(int ssrc, long lastSr, long delaySinceLastSr) {
            events.add("block " + ssrc + " " + lastSr + " " + delaySinceLastSr);
        }

        @Override
        void nack(int mediaSsrc, int seq) {
            events.add("nack " + mediaSsrc + " " + seq);
        }

        @Override
        void keyframeRequest(int mediaSsrc) {
            events.add("keyframe " + mediaSsrc);
        }
    }
}
