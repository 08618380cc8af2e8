package io.relaymesh.node.rtcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.List;

/** Golden RTCP packets, annotated per field, with the value each decodes to. */
final class RtcpGolden {

    @FunctionalInterface
    interface Parser {
        Object parse(ByteBuf buf, int offset) throws ProtocolException;
    }

    record Case(String name, byte[] bytes, Parser parser, Object expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String CNAME = "4c3mJbrt6Fw6Gb9k";

    static final byte[] SENDER_REPORT = hex("""
            80 c8 00 06     V=2 P=0 RC=0 | PT=200 SR | length 6 (28 bytes)
            aa bb cc dd     SSRC of sender
            e9 4e 2f 1a     NTP timestamp, seconds
            80 00 00 00     NTP timestamp, fraction (0.5 s)
            00 01 5f 90     RTP timestamp 90000
            00 00 01 2c     sender's packet count 300
            00 04 93 e0     sender's octet count 300000
            """);

    static final byte[] CNAME_SDES = hex("""
            81 ca 00 06     V=2 P=0 SC=1 | PT=202 SDES | length 6 (28 bytes)
            aa bb cc dd     chunk SSRC
            01 10           CNAME, 16 bytes
            34 63 33 6d 4a 62 72 74 36 46 77 36 47 62 39 6b     "4c3mJbrt6Fw6Gb9k"
            00 00           end item, padding to 32 bits
            """);

    static final byte[] RECEIVER_REPORT = hex("""
            81 c9 00 07     V=2 P=0 RC=1 | PT=201 RR | length 7 (32 bytes)
            00 00 00 01     SSRC of packet sender
            12 34 56 78     report block: SSRC_1
            19 ff ff fe     fraction lost 25/256 | cumulative lost -2 (24-bit two's complement)
            00 01 ff f0     extended highest sequence: 1 cycle, seq 65520
            00 00 00 20     interarrival jitter 32
            ab cd ef 01     LSR
            00 01 80 00     DLSR 1.5 s in 1/65536 s
            """);

    static final byte[] SDES_TWO_CHUNKS = hex("""
            82 ca 00 06     V=2 SC=2 | PT=202 SDES | length 6 (28 bytes)
            00 00 00 01     chunk 1 SSRC
            01 01 61        CNAME "a"
            06 02 74 6f     TOOL "to"
            00              end item, already on a 32-bit boundary
            00 00 00 02     chunk 2 SSRC
            01 03 62 63 64  CNAME "bcd"
            00 00 00        end item, padding to 32 bits
            """);

    static final byte[] BYE = hex("""
            82 cb 00 04     V=2 SC=2 | PT=203 BYE | length 4 (20 bytes)
            00 00 00 01     SSRC 1
            00 00 00 02     SSRC 2
            04 62 79 65 21  reason length 4, "bye!"
            00 00 00        padding to 32 bits
            """);

    static final byte[] NACK = hex("""
            81 cd 00 06     V=2 FMT=1 | PT=205 RTPFB | length 6 (28 bytes)
            00 00 00 01     SSRC of packet sender
            00 00 00 02     SSRC of media source
            00 64 80 05     PID 100, BLP bits 0, 2, 15: 101, 103, 116
            00 75 00 00     PID 117, BLP 0
            00 c8 00 00     PID 200, BLP 0
            ff ff 00 05     PID 65535, BLP bits 0, 2: 0, 2 (across the wrap)
            """);

    static final byte[] PLI = hex("""
            81 ce 00 02     V=2 FMT=1 | PT=206 PSFB | length 2 (12 bytes)
            00 00 00 01     SSRC of packet sender
            12 34 56 78     SSRC of media source
            """);

    static final byte[] FIR = hex("""
            84 ce 00 04     V=2 FMT=4 | PT=206 PSFB | length 4 (20 bytes)
            00 00 00 01     SSRC of packet sender
            00 00 00 00     SSRC of media source (unused)
            12 34 56 78     FCI: SSRC
            07 00 00 00     FCI: seq nr 7, reserved
            """);

    static final byte[] REMB = hex("""
            8f ce 00 05     V=2 FMT=15 | PT=206 PSFB | length 5 (24 bytes)
            00 00 00 01     SSRC of packet sender
            00 00 00 00     SSRC of media source (0)
            52 45 4d 42     "REMB"
            01 0b d0 90     Num SSRC 1 | BR Exp 2 | BR Mantissa 250000: 1 Mbit/s
            12 34 56 78     SSRC feedback
            """);

    static final List<Case> CASES = List.of(
            new Case("SR", SENDER_REPORT, SenderReport::parse,
                    new SenderReport(0xaabbccdd, 0xe94e2f1a_80000000L, 90000, 300, 300000, List.of())),
            new Case("RR", RECEIVER_REPORT, ReceiverReport::parse,
                    new ReceiverReport(1, List.of(new ReportBlock(0x12345678, 25, -2, 0x1fff0, 32, 0xabcdef01, 0x18000)))),
            new Case("SDES CNAME", CNAME_SDES, SourceDescription::parse, SourceDescription.cname(0xaabbccdd, CNAME)),
            new Case("SDES two chunks", SDES_TWO_CHUNKS, SourceDescription::parse, new SourceDescription(List.of(
                    new SourceDescription.Chunk(1, List.of(new SourceDescription.Item(SourceDescription.CNAME, "a"),
                            new SourceDescription.Item(SourceDescription.TOOL, "to"))),
                    new SourceDescription.Chunk(2, List.of(new SourceDescription.Item(SourceDescription.CNAME, "bcd")))))),
            new Case("BYE", BYE, Bye::parse, new Bye(List.of(1, 2), "bye!")),
            new Case("NACK", NACK, GenericNack::parse, new GenericNack(1, 2, List.of(new GenericNack.Item(100, 0x8005),
                    new GenericNack.Item(117, 0), new GenericNack.Item(200, 0), new GenericNack.Item(65535, 5)))),
            new Case("PLI", PLI, Pli::parse, new Pli(1, 0x12345678)),
            new Case("FIR", FIR, Fir::parse, new Fir(1, List.of(new Fir.Entry(0x12345678, 7)))),
            new Case("REMB", REMB, Remb::parse, new Remb(1, 1_000_000, List.of(0x12345678))));

    private RtcpGolden() {
    }

    static byte[] hex(String annotated) {
        StringBuilder digits = new StringBuilder();
        for (String line : annotated.split("\n")) {
            for (String token : line.trim().split("\\s+")) {
                if (!token.matches("[0-9a-fA-F]{2}")) {
                    break;
                }
                digits.append(token);
            }
        }
        return ByteBufUtil.decodeHexDump(digits);
    }

    static int encodedLength(Object packet) {
        return switch (packet) {
            case SenderReport p -> p.encodedLength();
            case ReceiverReport p -> p.encodedLength();
            case SourceDescription p -> p.encodedLength();
            case Bye p -> p.encodedLength();
            case GenericNack p -> p.encodedLength();
            case Pli p -> p.encodedLength();
            case Fir p -> p.encodedLength();
            case Remb p -> p.encodedLength();
            default -> throw new IllegalArgumentException(packet.toString());
        };
    }

    static void writeTo(Object packet, ByteBuf out) {
        switch (packet) {
            case SenderReport p -> p.writeTo(out);
            case ReceiverReport p -> p.writeTo(out);
            case SourceDescription p -> p.writeTo(out);
            case Bye p -> p.writeTo(out);
            case GenericNack p -> p.writeTo(out);
            case Pli p -> p.writeTo(out);
            case Fir p -> p.writeTo(out);
            case Remb p -> p.writeTo(out);
            default -> throw new IllegalArgumentException(packet.toString());
        }
    }
}
