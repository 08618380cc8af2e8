package io.relaymesh.node.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtcp.TransportCc;
import org.junit.jupiter.api.Test;

/** The node-receives leg: arrivals recorded by transport-wide number, feedback written and read back. */
class ArrivalFeedbackTest {

    private static final int ID = 7;
    private static final int SSRC = 0x0A0B0C0D;

    private final ArrivalFeedback arrivals = new ArrivalFeedback(ID, 0x11111111);
    private final TransportSequenceStamper stamper = new TransportSequenceStamper();

    /** A stamped RTP packet at a non-zero offset, as the publisher's browser sends it. */
    private ByteBuf rtp(int transportSeq) {
        ByteBuf b = Unpooled.buffer(64);
        b.writeZero(6).readerIndex(6);
        b.writeByte(0x80).writeByte(96).writeShort(transportSeq ^ 0x5555).writeInt(0).writeInt(SSRC).writeZero(20);
        assertThat(stamper.stamp(b, ID, transportSeq)).isTrue();
        return b;
    }

    private void receive(int transportSeq, long atMicros) {
        ByteBuf b = rtp(transportSeq);
        arrivals.onRtp(b, atMicros);
        b.release();
    }

    /** Writes {@code fb} after 3 junk bytes and parses it back, as the publisher would. */
    private static TransportCc onTheWire(TransportCc fb) throws ProtocolException {
        ByteBuf out = Unpooled.buffer();
        out.writeZero(3).readerIndex(3);
        fb.writeTo(out);
        try {
            assertThat(out.readableBytes()).isEqualTo(fb.encodedLength());
            return TransportCc.parse(out);
        } finally {
            out.release();
        }
    }

    @Test
    void reportsEveryNumberUpToTheHighestWithLossesAndArrivalTimes() throws ProtocolException {
        long t0 = 10_000_000;
        receive(65534, t0);
        receive(65535, t0 + 1_000);
        // 0 is lost
        receive(2, t0 + 3_000); // 1 arrives after 2
        receive(1, t0 + 3_500);
        TransportCc fb = onTheWire(arrivals.nextFeedback());
        assertThat(fb.baseSequence()).isEqualTo(65534);
        assertThat(fb.packetStatusCount()).isEqualTo(5);
        assertThat(fb.senderSsrc()).isEqualTo(0x11111111);
        assertThat(fb.mediaSsrc()).isEqualTo(SSRC);
        assertThat(fb.feedbackPacketCount()).isZero();
        boolean[] received = {true, true, false, true, true};
        long[] expected = {t0, t0 + 1_000, -1, t0 + 3_500, t0 + 3_000};
        long at = fb.referenceTimeMicros();
        for (int i = 0; i < 5; i++) {
            assertThat(fb.received(i)).as("status %d", i).isEqualTo(received[i]);
            if (received[i]) {
                at += fb.deltaMicros(i);
                assertThat(at).as("arrival %d", i).isEqualTo(expected[i] / 250 * 250);
            }
        }
        assertThat(arrivals.nextFeedback()).isNull();

        receive(3, t0 + 50_000);
        receive(0, t0 + 50_100); // already reported lost
        TransportCc next = onTheWire(arrivals.nextFeedback());
        assertThat(next.baseSequence()).isEqualTo(3);
        assertThat(next.packetStatusCount()).isEqualTo(1);
        assertThat(next.feedbackPacketCount()).isEqualTo(1);
        assertThat(arrivals.late()).isEqualTo(1);
    }

    @Test
    void splitsLongRunsIntoPacketsOfAtMostMaxStatuses() throws ProtocolException {
        int count = 2 * ArrivalFeedback.MAX_STATUSES + 17;
        for (int i = 0; i < count; i++) {
            receive(100 + i, 1_000_000 + i * 100L);
        }
        int covered = 0;
        TransportCc fb;
        while ((fb = arrivals.nextFeedback()) != null) {
            TransportCc parsed = onTheWire(fb);
            assertThat(parsed.baseSequence()).isEqualTo(100 + covered);
            assertThat(parsed.packetStatusCount()).isLessThanOrEqualTo(ArrivalFeedback.MAX_STATUSES);
            assertThat(parsed.encodedLength()).isLessThan(1200);
            covered += parsed.packetStatusCount();
        }
        assertThat(covered).isEqualTo(count);
    }

    @Test
    void aJumpBeyondTheWindowStartsOver() throws ProtocolException {
        receive(10, 1_000_000);
        receive(10 + ArrivalFeedback.WINDOW + 5, 1_001_000);
        TransportCc fb = onTheWire(arrivals.nextFeedback());
        assertThat(fb.baseSequence()).isEqualTo(10 + ArrivalFeedback.WINDOW + 5);
        assertThat(fb.packetStatusCount()).isEqualTo(1);
    }

    @Test
    void ignoresPacketsWithoutTheExtensionOrMalformed() {
        ByteBuf plain = Unpooled.buffer(32);
        plain.writeByte(0x80).writeByte(96).writeShort(1).writeInt(0).writeInt(SSRC).writeZero(8);
        ByteBuf truncated = rtp(5);
        truncated.writerIndex(truncated.readerIndex() + 14); // cuts into the extension block
        ByteBuf wrongLength = Unpooled.buffer(32);
        wrongLength.writeByte(0x90).writeByte(96).writeShort(1).writeInt(0).writeInt(SSRC)
                .writeShort(0xBEDE).writeShort(1).writeByte(ID << 4 | 2).writeMedium(1);
        try {
            arrivals.onRtp(plain, 1);
            arrivals.onRtp(truncated, 2);
            arrivals.onRtp(wrongLength, 3);
        } finally {
            plain.release();
            truncated.release();
            wrongLength.release();
        }
        assertThat(arrivals.recorded()).isZero();
        assertThat(arrivals.nextFeedback()).isNull();
    }
}
