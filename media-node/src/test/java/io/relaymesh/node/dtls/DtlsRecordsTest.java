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

    /** A record header at reader index 3 (after a prefix that must not be looked at), then the fragment. */
    private static ByteBuf record(int contentType, int versionMajor, int versionMinor, int lengthField,
                                  int fragmentBytes) {
        ByteBuf buf = Unpooled.buffer(3 + DtlsRecords.RECORD_HEADER_LENGTH + fragmentBytes);
        buf.writeByte(0).writeByte(0).writeByte(0)
                .writeByte(contentType)        // ContentType
                .writeByte(versionMajor)       // ProtocolVersion major
                .writeByte(versionMinor)       // ProtocolVersion minor
                .writeShort(1)                 // epoch
                .writeMedium(0).writeMedium(7) // 48-bit sequence number
                .writeShort(lengthField)       // length
                .writeZero(fragmentBytes);     // fragment
        buf.readerIndex(3);
        return buf;
    }

    @ParameterizedTest(name = "type {0}, version {1}.{2}, length {3}, fragment {4} -> {5}")
    @CsvSource({
        "22, 0xFE, 0xFD, 0, 0, true",     // empty fragment is still a record
        "21, 0xFE, 0xFD, 26, 26, true",   // length exactly fills the datagram
        "23, 0xFE, 0xFD, 26, 40, true",   // more records may follow the first
        "22, 0xFE, 0xFF, 4, 4, true",     // DTLS 1.0 record version (ClientHello compatibility)
        "20, 0xFE, 0xFD, 1, 1, true",     // change_cipher_spec: lowest content type
        "25, 0xFE, 0xFD, 1, 1, true",     // tls12_cid: highest content type
        "26, 0xFE, 0xFD, 1, 1, false",    // in the RFC 7983 range but no record content type
        "63, 0xFE, 0xFD, 1, 1, false",
        "19, 0xFE, 0xFD, 1, 1, false",
        "23, 0x03, 0x03, 4, 4, false",    // TLS 1.2, not DTLS
        "23, 0xFE, 0xFD, 27, 26, false",  // length claims one byte more than the datagram holds
        "23, 0xFE, 0xFD, 65535, 26, false",
    })
    void firstRecordIsWellFormedOnlyWithAWholeHeaderAKnownTypeADtlsVersionAndALengthThatFits(
            int contentType, int major, int minor, int lengthField, int fragmentBytes, boolean wellFormed) {
        ByteBuf buf = record(contentType, major, minor, lengthField, fragmentBytes);
        try {
            assertThat(DtlsRecords.startsWithWellFormedRecord(buf)).isEqualTo(wellFormed);
            assertThat(buf.readerIndex()).isEqualTo(3);
        } finally {
            buf.release();
        }
    }

    @Test
    void everyTruncatedHeaderIsMalformed() {
        ByteBuf whole = record(23, 0xFE, 0xFD, 0, 0);
        try {
            for (int length = 0; length < DtlsRecords.RECORD_HEADER_LENGTH; length++) {
                ByteBuf truncated = whole.slice(whole.readerIndex(), length);
                assertThat(DtlsRecords.startsWithWellFormedRecord(truncated)).as("%d header bytes", length).isFalse();
            }
            assertThat(DtlsRecords.startsWithWellFormedRecord(whole)).isTrue();
        } finally {
            whole.release();
        }
    }
}
