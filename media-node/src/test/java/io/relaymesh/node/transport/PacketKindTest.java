package io.relaymesh.node.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PacketKindTest {

    @ParameterizedTest(name = "first byte {0}, second {1}, length {2} -> {3}")
    @CsvSource({
        "0,   1,   20, STUN",
        "3,   1,   20, STUN",
        "16,  0,   20, UNKNOWN",   // ZRTP
        "19,  0,   20, UNKNOWN",
        "20,  254, 20, DTLS",      // change_cipher_spec
        "22,  254, 20, DTLS",      // handshake
        "63,  0,   20, DTLS",
        "64,  0,   20, UNKNOWN",   // TURN channel
        "127, 0,   20, UNKNOWN",
        "128, 96,  12, RTP",
        "144, 111, 20, RTP",       // marker bit clear, payload type 111
        "128, 224, 20, RTP",       // marker set, payload type 96
        "128, 200, 28, RTCP",      // SR
        "129, 201, 8,  RTCP",      // RR
        "129, 223, 8,  RTCP",
        "128, 96,  11, UNKNOWN",   // shorter than an RTP header
        "128, 200, 7,  UNKNOWN",   // shorter than an RTCP header
        "191, 96,  12, RTP",
        "192, 96,  12, UNKNOWN",
        "255, 0,   20, UNKNOWN"
    })
    void classifiesByFirstByteAsRfc7983Says(int first, int second, int length, PacketKind expected) {
        ByteBuf b = Unpooled.buffer(length + 3);
        b.writeBytes(new byte[3]).readerIndex(3); // non-zero reader index
        b.writeByte(first);
        if (length > 1) {
            b.writeByte(second);
            b.writeZero(length - 2);
        }
        try {
            assertThat(PacketKind.of(b)).isEqualTo(expected);
            assertThat(b.readerIndex()).isEqualTo(3);
        } finally {
            b.release();
        }
    }

    @ParameterizedTest
    @CsvSource({"0"})
    void emptyDatagramIsUnknown(int ignored) {
        ByteBuf b = Unpooled.buffer(0);
        assertThat(PacketKind.of(b)).isEqualTo(PacketKind.UNKNOWN);
        b.release();
    }
}
