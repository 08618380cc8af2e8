package io.relaymesh.node.rtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TransportCcTest {

    /**
     * 45 packets from 65530: the first two chunks are the draft's section 3.1.3 example 1 (a run of 24 "not
     * received") and section 3.1.4 example 1 (a 1-bit vector), the third a 2-bit vector with a negative delta.
     */
    static final byte[] GOLDEN = RtcpGolden.hex("""
            8f cd 00 09     V=2 P=0 FMT=15 | PT=205 RTPFB | length 9 (40 bytes)
            00 00 00 01     SSRC of packet sender
            00 00 00 02     SSRC of media source
            ff fa           base sequence number 65530
            00 2d           packet status count 45
            00 01 00        reference time 256 (x 64 ms = 16.384 s)
            05              feedback packet count 5
            00 18           run length chunk: 0 | symbol 00 not received | run 24
            9f 1c           1-bit vector: 1 | 0 | 0 1 1 1 1 1 0 0 0 1 1 1 0 0
            d8 00           2-bit vector: 1 | 1 | 01 small, 10 large, then five 00 not received
            04 10 00 ff     small deltas of statuses 25..28: 1 ms, 4 ms, 0 ms, 63.75 ms
            01 02 03 08     small deltas of statuses 29, 33, 34, 35: 0.25, 0.5, 0.75, 2 ms
            20              small delta of status 38: 8 ms
            fe 0c           large delta of status 39: -500 ticks = -125 ms
            00 00 00        zero padding to 32 bits
            """);

    /** The arrivals GOLDEN reports, in µs on the receiver's clock (-1 = lost). */
    static long[] goldenArrivals() {
        long[] arrivals = new long[45];
        java.util.Arrays.fill(arrivals, -1);
        arrivals[25] = 16_385_000;
        arrivals[26] = 16_389_000;
        arrivals[27] = 16_389_000;
        arrivals[28] = 16_452_750;
        arrivals[29] = 16_453_000;
        arrivals[33] = 16_453_500;
        arrivals[34] = 16_454_250;
        arrivals[35] = 16_456_250;
        arrivals[38] = 16_464_250;
        arrivals[39] = 16_339_250;
        return arrivals;
    }

    @Test
    void goldenBytesDecodeFieldByField() throws ProtocolException {
        TransportCc cc = TransportCc.parse(Unpooled.wrappedBuffer(GOLDEN));
        assertThat(cc.senderSsrc()).isEqualTo(1);
        assertThat(cc.mediaSsrc()).isEqualTo(2);
        assertThat(cc.baseSequence()).isEqualTo(65530);
        assertThat(cc.packetStatusCount()).isEqualTo(45);
        assertThat(cc.referenceTimeMicros()).isEqualTo(16_384_000);
        assertThat(cc.feedbackPacketCount()).isEqualTo(5);
        assertThat(cc.status(0)).isEqualTo(TransportCc.NOT_RECEIVED);
        assertThat(cc.status(23)).isEqualTo(TransportCc.NOT_RECEIVED);
        assertThat(cc.status(25)).isEqualTo(TransportCc.SMALL_DELTA);
        assertThat(cc.status(39)).isEqualTo(TransportCc.LARGE_DELTA);
        assertThat(cc.deltaMicros(28)).isEqualTo(63_750);
        assertThat(cc.deltaMicros(39)).isEqualTo(-125_000);
        assertThat(arrivalsOf(cc)).containsExactly(goldenArrivals());
    }

    /** GOLDEN as the writer chunks it: the run takes status 24 too, so the vectors start one later. */
    static final byte[] WRITTEN = RtcpGolden.hex("""
            8f cd 00 09 00 00 00 01 00 00 00 02 ff fa 00 2d 00 01 00 05     as GOLDEN
            00 19           run length chunk: 0 | symbol 00 not received | run 25
            be 39           1-bit vector: 1 | 0 | 1 1 1 1 1 0 0 0 1 1 1 0 0 1 (statuses 25..38)
            e0 00           2-bit vector: 1 | 1 | 10 large, five 00, one unused 00
            04 10 00 ff 01 02 03 08 20 fe 0c 00 00 00     deltas and padding as GOLDEN
            """);

    @Test
    void arrivalsEncodeToGreedyChunks() throws ProtocolException {
        TransportCc cc = TransportCc.forArrivals(1, 2, 65530, 5, goldenArrivals());
        assertThat(TransportCc.parse(Unpooled.wrappedBuffer(GOLDEN))).isEqualTo(cc);
        ByteBuf out = Unpooled.buffer();
        try {
            cc.writeTo(out);
            assertThat(ByteBufUtil.getBytes(out)).isEqualTo(WRITTEN);
            assertThat(cc.encodedLength()).isEqualTo(WRITTEN.length);
        } finally {
            out.release();
        }
    }

    @Test
    void theDraftsRunOfReservedSymbolsIsRejected() {
        // Section 3.1.3 example 2, a run of 221 with symbol 11, which section 3.1.1 reserves.
        byte[] bytes = withChunks(221, "60 dd");
        assertThatThrownBy(() -> TransportCc.parse(Unpooled.wrappedBuffer(bytes)))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("reserved symbol 3");
    }

    @ParameterizedTest(name = "count {0}, chunks {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "0  | 00 01       | status count is 0",
        "10 | 00 0b       | run length 11",
        "10 | 00 00       | run length 0",
        "20 | 20 05 20 05 | chunks end after 10 of 20",
        "3  | 20 03       | receive deltas need 3 bytes, 2 left",
        "2  | d8 00 05    | receive deltas need 3 bytes, 2 left",
        "7  | ff 00       | reserved symbol 3",
        "1  | 00 01 00 00 00 00 00 00 | 6 bytes after"})
    void malformedFeedbackIsRejectedWithAReason(int count, String chunks, String reason) {
        byte[] bytes = withChunks(count, chunks);
        assertThatThrownBy(() -> TransportCc.parse(Unpooled.wrappedBuffer(bytes)))
                .isInstanceOf(ProtocolException.class).hasMessageContaining(reason);
    }

    @Test
    void everyTruncationIsRejected() {
        for (int length = 0; length < GOLDEN.length; length++) {
            ByteBuf cut = Unpooled.wrappedBuffer(GOLDEN, 0, length);
            assertThatThrownBy(() -> TransportCc.parse(cut)).as("%d bytes", length)
                    .isInstanceOf(ProtocolException.class);
        }
        // Shorter length fields cut the content itself: the fixed part, the chunks, then the deltas.
        for (int words = 2; words < 8; words++) {
            byte[] shorter = GOLDEN.clone();
            shorter[3] = (byte) words;
            assertThatThrownBy(() -> TransportCc.parse(Unpooled.wrappedBuffer(shorter))).as("%d words", words)
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("transport-cc");
        }
    }

    @Test
    void otherFeedbackTypesAreNotTransportCc() {
        byte[] nack = GOLDEN.clone();
        nack[0] = (byte) 0x81;
        assertThatThrownBy(() -> TransportCc.parse(Unpooled.wrappedBuffer(nack)))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("FMT 1");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1000, 65_535})
    void randomArrivalPatternsRoundTripAtAnOffset(long seed) throws ProtocolException {
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 200; round++) {
            long[] arrivals = randomArrivals(random);
            TransportCc cc = TransportCc.forArrivals(random.nextInt(), random.nextInt(), random.nextInt(1 << 16),
                    random.nextInt(256), arrivals);
            ByteBuf out = Unpooled.buffer();
            try {
                out.writeZero(7);
                cc.writeTo(out);
                assertThat(out.readableBytes() - 7).isEqualTo(cc.encodedLength());
                TransportCc parsed = TransportCc.parse(out, 7);
                assertThat(parsed).isEqualTo(cc);
                long[] quantized = arrivalsOf(parsed);
                for (int i = 0; i < arrivals.length; i++) {
                    long expected = arrivals[i] < 0 ? -1 : Math.floorDiv(arrivals[i], 250) * 250;
                    assertThat(quantized[i]).as("seed %d round %d packet %d", seed, round, i).isEqualTo(expected);
                }
            } finally {
                out.release();
            }
        }
    }

    /** Corrupted feedback either parses or is rejected with a reason: nothing else escapes. */
    @Test
    void mutatedFeedbackFailsOnlyWithProtocolException() {
        SplittableRandom random = new SplittableRandom(99);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = (random.nextBoolean() ? GOLDEN : WRITTEN).clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                // keep the header plausible half the time so the content checks are reached
                int at = random.nextBoolean() ? 12 + random.nextInt(bytes.length - 12) : random.nextInt(bytes.length);
                bytes[at] = (byte) random.nextInt(256);
            }
            try {
                TransportCc cc = TransportCc.parse(Unpooled.wrappedBuffer(bytes));
                assertThat(cc.encodedLength()).isPositive();
            } catch (ProtocolException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    @Test
    void arrivalsTooFarApartOrAbsentCannotBeEncoded() {
        assertThatThrownBy(() -> TransportCc.forArrivals(1, 2, 0, 0, new long[] {0, 8_192_000}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16-bit");
        assertThatThrownBy(() -> TransportCc.forArrivals(1, 2, 0, 0, new long[] {-1, -1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TransportCc.forArrivals(1, 2, 0, 0, new long[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Loss bursts, reordering, long runs of equal symbols and gaps beyond a small delta. */
    private static long[] randomArrivals(SplittableRandom random) {
        int count = 1 + random.nextInt(random.nextBoolean() ? 40 : 900);
        double loss = random.nextInt(4) * 0.15;
        long[] arrivals = new long[count];
        long now = random.nextLong(1L << 39); // below the 24-bit reference time's wrap (~12.4 days)
        boolean anyReceived = false;
        for (int i = 0; i < count; i++) {
            now += switch (random.nextInt(10)) {
                case 0 -> -random.nextLong(50_000); // reordered
                case 1 -> random.nextLong(70_000, 400_000); // a gap beyond 63.75 ms
                default -> random.nextLong(5_000);
            };
            boolean lost = random.nextDouble() < loss || (i > 20 && i < 60 && loss > 0.3);
            arrivals[i] = lost ? -1 : now;
            anyReceived |= !lost;
        }
        if (!anyReceived) {
            arrivals[0] = now;
        }
        return arrivals;
    }

    /** Absolute arrival times from the reference time and deltas, -1 for packets not received. */
    static long[] arrivalsOf(TransportCc cc) {
        long[] arrivals = new long[cc.packetStatusCount()];
        long time = cc.referenceTimeMicros();
        for (int i = 0; i < arrivals.length; i++) {
            if (cc.received(i)) {
                time += cc.deltaMicros(i);
                arrivals[i] = time;
            } else {
                arrivals[i] = -1;
            }
        }
        return arrivals;
    }

    /** A transport-cc with {@code count} statuses, the given chunk (and delta) bytes, zero padded. */
    private static byte[] withChunks(int count, String chunkHex) {
        byte[] chunks = ByteBufUtil.decodeHexDump(chunkHex.replace(" ", ""));
        int length = (20 + chunks.length + 3) & ~3;
        ByteBuf buf = Unpooled.buffer(length);
        RtcpHeader.write(buf, 15, 205, length);
        buf.writeInt(1).writeInt(2).writeShort(100).writeShort(count).writeMedium(7).writeByte(0);
        buf.writeBytes(chunks);
        buf.writeZero(length - buf.writerIndex());
        return ByteBufUtil.getBytes(buf);
    }
}
