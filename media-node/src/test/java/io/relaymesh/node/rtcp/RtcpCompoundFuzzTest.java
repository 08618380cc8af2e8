package io.relaymesh.node.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The compound walker and every type parser on arbitrary bytes: they either reject with a
 * {@link ProtocolException} or produce packets whose lengths tile the input and that survive a write and
 * re-parse unchanged. Under plain {@code mvn test} Jazzer runs the seeds in {@code RtcpCompoundFuzzTestInputs};
 * {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class RtcpCompoundFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void walkParseAndRewrite(byte[] data) {
        ByteBuf buf = Unpooled.wrappedBuffer(data);
        try {
            RtcpCompound walker = new RtcpCompound().reset(buf);
            int covered = 0;
            boolean complete = true;
            try {
                while (walker.next()) {
                    assertThat(walker.offset()).isEqualTo(covered);
                    covered += walker.length();
                    parseAndRewrite(buf, walker.offset(), walker.packetType(), walker.fmt());
                }
            } catch (ProtocolException e) {
                complete = false;
                assertThat(e.getMessage()).isNotBlank();
            }
            if (complete) {
                assertThat(covered).isEqualTo(data.length);
            }
        } finally {
            buf.release();
        }
    }

    private static void parseAndRewrite(ByteBuf buf, int offset, int type, int fmt) {
        Object packet;
        try {
            packet = switch (type) {
                case RtcpPacketType.SR -> SenderReport.parse(buf, offset);
                case RtcpPacketType.RR -> ReceiverReport.parse(buf, offset);
                case RtcpPacketType.SDES -> SourceDescription.parse(buf, offset);
                case RtcpPacketType.BYE -> Bye.parse(buf, offset);
                case RtcpPacketType.RTPFB -> fmt == RtcpPacketType.FMT_NACK ? GenericNack.parse(buf, offset) : null;
                case RtcpPacketType.PSFB -> switch (fmt) {
                    case RtcpPacketType.FMT_PLI -> Pli.parse(buf, offset);
                    case RtcpPacketType.FMT_FIR -> Fir.parse(buf, offset);
                    case RtcpPacketType.FMT_AFB -> Remb.isRemb(buf, offset) ? Remb.parse(buf, offset) : null;
                    default -> null;
                };
                default -> null;
            };
        } catch (ProtocolException rejected) {
            assertThat(rejected.getMessage()).isNotBlank();
            return;
        }
        if (packet == null) {
            return;
        }
        ByteBuf out = Unpooled.buffer();
        try {
            RtcpGolden.writeTo(packet, out);
            assertThat(out.readableBytes()).isEqualTo(RtcpGolden.encodedLength(packet));
            Object reparsed = switch (packet) {
                case SenderReport p -> SenderReport.parse(out);
                case ReceiverReport p -> ReceiverReport.parse(out);
                case SourceDescription p -> SourceDescription.parse(out);
                case Bye p -> Bye.parse(out);
                case GenericNack p -> GenericNack.parse(out);
                case Pli p -> Pli.parse(out);
                case Fir p -> Fir.parse(out);
                case Remb p -> Remb.parse(out);
                default -> throw new IllegalStateException(packet.toString());
            };
            if (packet instanceof Remb remb) {
                assertThat(reparsed).isEqualTo(new Remb(remb.senderSsrc(), remb.encodedBitrate(), remb.ssrcs()));
            } else {
                assertThat(reparsed).isEqualTo(packet);
            }
        } catch (ProtocolException e) {
            throw new AssertionError("a packet we wrote does not parse: " + packet, e);
        } finally {
            out.release();
        }
    }

    /** Deterministic mutations of the golden packets and compounds so every build explores beyond the seeds. */
    @Test
    void mutatedGoldenPacketsNeverEscapeTheParsers() {
        SplittableRandom random = new SplittableRandom(3550);
        byte[][] seeds = RtcpGolden.CASES.stream().map(RtcpGolden.Case::bytes).toArray(byte[][]::new);
        for (int i = 0; i < 20_000; i++) {
            byte[] first = seeds[random.nextInt(seeds.length)];
            byte[] second = seeds[random.nextInt(seeds.length)];
            byte[] input = Arrays.copyOf(first, first.length + second.length);
            System.arraycopy(second, 0, input, first.length, second.length);
            int flips = random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                input[random.nextInt(input.length)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) {
                input = Arrays.copyOf(input, random.nextInt(input.length + 8));
            }
            walkParseAndRewrite(input);
        }
    }
}
