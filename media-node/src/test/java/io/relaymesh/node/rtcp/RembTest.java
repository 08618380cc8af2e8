package io.relaymesh.node.rtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RembTest {

    @ParameterizedTest(name = "{0} bps -> exp {1}, mantissa {2}")
    @CsvSource({
        "0, 0, 0",
        "1, 0, 1",
        "262143, 0, 262143", // the largest exact mantissa
        "262144, 1, 131072",
        "1000000, 2, 250000",
        "1000003, 2, 250000", // the low two bits are lost, rounded down
        "2500000000, 14, 152587"})
    void bitrateEncodesAsExponentAndMantissa(long bitrate, int exp, int mantissa) {
        int encoded = Remb.encodeBitrate(bitrate);
        assertThat(encoded >>> Remb.MANTISSA_BITS).isEqualTo(exp);
        assertThat(encoded & Remb.MAX_MANTISSA).isEqualTo(mantissa);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 262143, 262145, 999_999, 1_000_003, 30_000_000, 123_456_789_012L, Long.MAX_VALUE})
    void encodingNeverRoundsUpAndKeepsEighteenSignificantBits(long bitrate) throws ProtocolException {
        Remb remb = new Remb(1, bitrate, List.of(5, 6));
        long decoded = remb.encodedBitrate();
        assertThat(decoded).isLessThanOrEqualTo(bitrate);
        assertThat(bitrate - decoded).isLessThanOrEqualTo(bitrate >>> 17);

        ByteBuf out = Unpooled.buffer();
        try {
            out.writeZero(3);
            remb.writeTo(out);
            Remb parsed = Remb.parse(out, 3);
            assertThat(parsed.bitrate()).isEqualTo(decoded);
            assertThat(parsed.ssrcs()).containsExactly(5, 6);
            assertThat(parsed.senderSsrc()).isEqualTo(1);
        } finally {
            out.release();
        }
    }

    @Test
    void aBitrateBeyondALongSaturates() throws ProtocolException {
        ByteBuf buf = Unpooled.wrappedBuffer(RtcpGolden.hex(
                "8f ce 00 04 00 00 00 01 00 00 00 00 52 45 4d 42 00 ff ff ff")); // exp 63, mantissa 2^18-1
        assertThat(Remb.parse(buf).bitrate()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void invalidArgumentsAreRefused() {
        assertThatThrownBy(() -> new Remb(1, -1, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Remb(1, 1, java.util.Collections.nCopies(256, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
