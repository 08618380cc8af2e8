package io.relaymesh.node.rtcp;

import static io.relaymesh.node.rtcp.RtcpGolden.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every RTCP type against its golden bytes: parse, write, truncation and the type-specific rejections. */
class RtcpPacketsTest {

    private static final int PREFIX = 5;
    private final List<ByteBuf> buffers = new ArrayList<>();

    @AfterEach
    void releaseBuffers() {
        buffers.forEach(ByteBuf::release);
    }

    private ByteBuf atOffset(byte[] packet) {
        ByteBuf buf = Unpooled.buffer();
        buffers.add(buf);
        buf.writeZero(PREFIX).writeBytes(packet);
        buf.readerIndex(PREFIX);
        return buf;
    }

    static List<RtcpGolden.Case> cases() {
        return RtcpGolden.CASES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parsesTheGoldenBytesAtANonZeroOffset(RtcpGolden.Case c) throws ProtocolException {
        ByteBuf buf = atOffset(c.bytes());
        assertThat(c.parser().parse(buf, PREFIX)).isEqualTo(c.expected());
        assertThat(buf.readerIndex()).isEqualTo(PREFIX);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void writesTheGoldenBytesAfterExistingContent(RtcpGolden.Case c) {
        ByteBuf out = Unpooled.buffer();
        buffers.add(out);
        out.writeZero(PREFIX);
        out.readerIndex(PREFIX);
        RtcpGolden.writeTo(c.expected(), out);
        assertThat(RtcpGolden.encodedLength(c.expected())).isEqualTo(c.bytes().length);
        assertThat(ByteBufUtil.getBytes(out)).isEqualTo(c.bytes());
    }

    static Stream<Arguments> truncations() {
        return RtcpGolden.CASES.stream()
                .flatMap(c -> IntStream.range(0, c.bytes().length).mapToObj(n -> Arguments.of(c, n)));
    }

    @ParameterizedTest(name = "{0} cut to {1} bytes")
    @MethodSource("truncations")
    void everyTruncationIsRejected(RtcpGolden.Case c, int kept) {
        ByteBuf buf = atOffset(Arrays.copyOf(c.bytes(), kept));
        assertThatThrownBy(() -> c.parser().parse(buf, PREFIX)).isInstanceOf(ProtocolException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theReaderIndexFormParsesTheSame(RtcpGolden.Case c) throws ProtocolException {
        ByteBuf buf = atOffset(c.bytes());
        Object viaReaderIndex = switch (c.expected()) {
            case SenderReport p -> SenderReport.parse(buf);
            case ReceiverReport p -> ReceiverReport.parse(buf);
            case SourceDescription p -> SourceDescription.parse(buf);
            case Bye p -> Bye.parse(buf);
            case GenericNack p -> GenericNack.parse(buf);
            case Pli p -> Pli.parse(buf);
            case Fir p -> Fir.parse(buf);
            case Remb p -> Remb.parse(buf);
            default -> throw new IllegalStateException();
        };
        assertThat(viaReaderIndex).isEqualTo(c.expected());
    }

    static Stream<Arguments> inconsistent() {
        return Stream.of(
                Arguments.of("SR claiming a report block it lacks", (RtcpGolden.Parser) SenderReport::parse,
                        patch(RtcpGolden.SENDER_REPORT, 0, 0x81), "needs 52"),
                Arguments.of("RR claiming two blocks", (RtcpGolden.Parser) ReceiverReport::parse,
                        patch(RtcpGolden.RECEIVER_REPORT, 0, 0x82), "needs 56"),
                Arguments.of("RR parsed as SR", (RtcpGolden.Parser) SenderReport::parse,
                        RtcpGolden.RECEIVER_REPORT, "is not SR"),
                Arguments.of("version 1", (RtcpGolden.Parser) Pli::parse, patch(RtcpGolden.PLI, 0, 0x41), "version 1"),
                Arguments.of("PLI with FIR's FMT", (RtcpGolden.Parser) Pli::parse, patch(RtcpGolden.PLI, 0, 0x84),
                        "FMT 4"),
                Arguments.of("PLI of one word", (RtcpGolden.Parser) Pli::parse, hex("81 ce 00 01 00 00 00 01"), "needs 12"),
                Arguments.of("NACK without items", (RtcpGolden.Parser) GenericNack::parse,
                        hex("81 cd 00 02 00 00 00 01 00 00 00 02"), "whole number"),
                Arguments.of("FIR with half an entry", (RtcpGolden.Parser) Fir::parse,
                        hex("84 ce 00 03 00 00 00 01 00 00 00 00 12 34 56 78"), "whole number"),
                Arguments.of("REMB claiming two SSRCs", (RtcpGolden.Parser) Remb::parse,
                        patch(RtcpGolden.REMB, 16, 0x02), "2 SSRCs"),
                Arguments.of("AFB that is not REMB", (RtcpGolden.Parser) Remb::parse,
                        patch(RtcpGolden.REMB, 12, 0x51), "not REMB"),
                Arguments.of("SDES item overrunning", (RtcpGolden.Parser) SourceDescription::parse,
                        patch(RtcpGolden.CNAME_SDES, 9, 0x20), "overruns"),
                Arguments.of("SDES chunk without end item", (RtcpGolden.Parser) SourceDescription::parse,
                        hex("81 ca 00 02 00 00 00 01 01 02 61 62"), "no end item"),
                Arguments.of("SDES claiming a second chunk", (RtcpGolden.Parser) SourceDescription::parse,
                        patch(RtcpGolden.CNAME_SDES, 0, 0x82), "chunk 1 truncated"),
                Arguments.of("SDES item that is not UTF-8", (RtcpGolden.Parser) SourceDescription::parse,
                        patch(RtcpGolden.CNAME_SDES, 10, 0xC3), "UTF-8"),
                Arguments.of("BYE reason overrunning", (RtcpGolden.Parser) Bye::parse,
                        patch(RtcpGolden.BYE, 12, 0x08), "overruns"),
                Arguments.of("BYE claiming three sources", (RtcpGolden.Parser) Bye::parse,
                        hex("83 cb 00 02 00 00 00 01 00 00 00 02"), "needs 16"),
                Arguments.of("padding count 0", (RtcpGolden.Parser) Pli::parse,
                        hex("a1 ce 00 03 00 00 00 01 00 00 00 02 00 00 00 00"), "padding count 0"),
                Arguments.of("padding count past the header", (RtcpGolden.Parser) Pli::parse,
                        hex("a1 ce 00 03 00 00 00 01 00 00 00 02 00 00 00 0d"), "padding count 13"),
                Arguments.of("padding eating the SSRCs", (RtcpGolden.Parser) Pli::parse,
                        hex("a1 ce 00 03 00 00 00 01 00 00 00 02 00 00 00 08"), "needs 12"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inconsistent")
    void inconsistentPacketsAreRejectedWithAReason(String name, RtcpGolden.Parser parser, byte[] packet,
            String reason) {
        ByteBuf buf = atOffset(packet);
        assertThatThrownBy(() -> parser.parse(buf, PREFIX)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void negativeOffsetsAreRejectedNotThrownAsIndexErrors() {
        ByteBuf buf = atOffset(RtcpGolden.PLI);
        assertThatThrownBy(() -> Pli.parse(buf, -1)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> ReportBlock.parse(buf, -4)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void paddedReceiverReportParsesWithoutItsPadding() throws ProtocolException {
        byte[] padded = Arrays.copyOf(RtcpGolden.RECEIVER_REPORT, RtcpGolden.RECEIVER_REPORT.length + 4);
        padded[0] = (byte) 0xA1; // P set
        padded[3] = 8; // one more word
        padded[padded.length - 1] = 4;
        ReceiverReport rr = ReceiverReport.parse(atOffset(padded), PREFIX);
        assertThat(rr).isEqualTo(RtcpGolden.CASES.get(1).expected());
    }

    @Test
    void reportBlockKeepsTheCumulativeLostSignAndRejectsOutOfRangeFields() {
        ReportBlock block = new ReportBlock(1, 255, ReportBlock.MIN_CUMULATIVE_LOST, -1, -1, -1, -1);
        ByteBuf out = Unpooled.buffer();
        buffers.add(out);
        block.writeTo(out);
        assertThat(ByteBufUtil.hexDump(out, 4, 4)).isEqualTo("ff800000");
        assertThat(new ReportBlock(1, 0, ReportBlock.MAX_CUMULATIVE_LOST, 0, 0, 0, 0).cumulativeLost())
                .isEqualTo(0x7FFFFF);
        assertThatThrownBy(() -> new ReportBlock(1, 256, 0, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReportBlock(1, 0, 1 << 23, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void senderReportWithBlocksRoundTrips() throws ProtocolException {
        ReportBlock a = new ReportBlock(7, 1, 2, 3, 4, 5, 6);
        ReportBlock b = new ReportBlock(8, 0, -1, 0x10000, 0, 0, 0);
        SenderReport sr = new SenderReport(-1, -1L, -1, -1, -1, List.of(a, b));
        ByteBuf out = Unpooled.buffer();
        buffers.add(out);
        out.writeZero(3);
        sr.writeTo(out);
        assertThat(SenderReport.parse(out, 3)).isEqualTo(sr);
        assertThat(sr.compactNtp()).isEqualTo(-1);
        assertThat(new SenderReport(0, 0xe94e2f1a_80000000L, 0, 0, 0, List.of()).compactNtp()).isEqualTo(0x2f1a8000);
    }

    @Test
    void byeWithoutReasonIsOneWordPerSource() throws ProtocolException {
        Bye bye = new Bye(List.of(5), null);
        ByteBuf out = Unpooled.buffer();
        buffers.add(out);
        bye.writeTo(out);
        assertThat(ByteBufUtil.getBytes(out)).isEqualTo(hex("81 cb 00 01 00 00 00 05"));
        assertThat(Bye.parse(out)).isEqualTo(bye);
    }

    @Test
    void sdesLooksUpCnamesBySource() {
        SourceDescription sdes = (SourceDescription) RtcpGolden.CASES.get(3).expected();
        assertThat(sdes.cnameOf(2)).isEqualTo("bcd");
        assertThat(sdes.cnameOf(3)).isNull();
        assertThat(sdes.chunks().getFirst().item(SourceDescription.TOOL)).isEqualTo("to");
        assertThatThrownBy(() -> new SourceDescription.Item(SourceDescription.NOTE, "x".repeat(256)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void firRejectsAnOutOfRangeSequenceNumberAndEmptyRequests() {
        assertThatThrownBy(() -> new Fir.Entry(1, 256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Fir(1, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    static byte[] patch(byte[] bytes, int index, int value) {
        byte[] copy = bytes.clone();
        copy[index] = (byte) value;
        return copy;
    }
}
