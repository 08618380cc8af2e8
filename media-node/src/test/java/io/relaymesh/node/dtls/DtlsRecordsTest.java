package io.relaymesh.node.dtls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class DtlsRecordsTest {

    @ParameterizedTest(name = "first byte {0} -> {1}")
    @CsvSource({
        "0, false",    // STUN
        "3, false",    // STUN
        "19, false",   // unassigned (RFC 7983)
        "20, true",    // change_cipher_spec
        "22, true",    // handshake
        "23, true",    // application_data
        "63, true",    // last DTLS value
        "64, false",   // TURN channel
        "128, false",  // RTP/RTCP
        "255, false",
    })
    void classifiesByTheRfc7983FirstByteRangeAtTheReaderIndex(int firstByte, boolean dtls) {
        // A prefix before the reader index must not be looked at.
        ByteBuf buf = Unpooled.buffer(8).writeByte(22).writeByte(0x80).writeByte(firstByte).writeByte(0xFE);
        buf.readerIndex(2);
        try {
            assertThat(DtlsRecords.looksLikeDtls(buf)).isEqualTo(dtls);
            assertThat(buf.readerIndex()).isEqualTo(2);
        } finally {
            buf.release();
        }
    }

    @Test
    void emptyBufferIsNotDtls() {
        ByteBuf buf = Unpooled.buffer(4).writeByte(22);
        buf.readerIndex(1);
        try {
            assertThat(DtlsRecords.looksLikeDtls(buf)).isFalse();
        } finally {
            buf.release();
        }
    }
}
