package io.relaymesh.node.dtls;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ContentType;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsDecodeResult;
import org.bouncycastle.tls.crypto.TlsEncodeResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DiscardingRecordCipherTest {

    /** A cipher whose decode fails with a given exception, or succeeds when it is {@code null}. */
    private static TlsCipher decodingWith(Exception failure) {
        return new TlsCipher() {
            @Override
            public TlsDecodeResult decodeCiphertext(long seq, short type, ProtocolVersion version, byte[] buf,
                                                   int off, int len) throws IOException {
                if (failure instanceof IOException io) {
                    throw io;
                }
                if (failure instanceof RuntimeException rt) {
                    throw rt;
                }
                return new TlsDecodeResult(buf, off, len, type);
            }

            @Override
            public TlsEncodeResult encodePlaintext(long seq, short type, ProtocolVersion version, int header,
                                                  byte[] buf, int off, int len) {
                return new TlsEncodeResult(buf, off, len, type);
            }

            @Override
            public int getCiphertextDecodeLimit(int plaintextLimit) {
                return plaintextLimit + 24;
            }

            @Override
            public int getCiphertextEncodeLimit(int plaintextLimit) {
                return plaintextLimit + 24;
            }

            @Override
            public int getPlaintextDecodeLimit(int ciphertextLimit) {
                return ciphertextLimit - 24;
            }

            @Override
            public int getPlaintextEncodeLimit(int ciphertextLimit) {
                return ciphertextLimit - 24;
            }

            @Override
            public void rekeyDecoder() {
            }

            @Override
            public void rekeyEncoder() {
            }

            @Override
            public boolean usesOpaqueRecordTypeDecode() {
                return false;
            }

            @Override
            public boolean usesOpaqueRecordTypeEncode() {
                return false;
            }
        };
    }

    private static void decode(TlsCipher cipher) throws IOException {
        cipher.decodeCiphertext(1, ContentType.application_data, ProtocolVersion.DTLSv12, new byte[8], 2, 6);
    }

    @ParameterizedTest(name = "alert {0}")
    @ValueSource(shorts = {AlertDescription.decode_error, AlertDescription.decryption_failed,
        AlertDescription.record_overflow, AlertDescription.internal_error})
    void everyFatalAlertFromDecodingBecomesBadRecordMacSoTheRecordIsDiscarded(short alert) {
        TlsCipher cipher = new DiscardingRecordCipher(decodingWith(new TlsFatalAlert(alert)));

        assertThatThrownBy(() -> decode(cipher)).isInstanceOfSatisfying(TlsFatalAlert.class, e -> {
            assertThat(e.getAlertDescription()).isEqualTo(AlertDescription.bad_record_mac);
            assertThat(e.getCause()).isInstanceOfSatisfying(TlsFatalAlert.class,
                    c -> assertThat(c.getAlertDescription()).isEqualTo(alert));
        });
    }

    @Test
    void aRuntimeExceptionFromDecodingAlsoMeansDiscard() {
        TlsCipher cipher = new DiscardingRecordCipher(decodingWith(new IllegalStateException("short block")));

        assertThatThrownBy(() -> decode(cipher)).isInstanceOfSatisfying(TlsFatalAlert.class,
                e -> assertThat(e.getAlertDescription()).isEqualTo(AlertDescription.bad_record_mac))
                .hasRootCauseMessage("short block");
    }

    @Test
    void badRecordMacAndSuccessPassThroughUnchanged() throws IOException {
        TlsFatalAlert badMac = new TlsFatalAlert(AlertDescription.bad_record_mac);
        assertThatThrownBy(() -> decode(new DiscardingRecordCipher(decodingWith(badMac)))).isSameAs(badMac);

        byte[] record = {9, 9, 1, 2, 3, 9};
        TlsDecodeResult result = new DiscardingRecordCipher(decodingWith(null))
                .decodeCiphertext(1, ContentType.alert, ProtocolVersion.DTLSv12, record, 2, 3);
        assertThat(result.buf).isSameAs(record);
        assertThat(result.off).isEqualTo(2);
        assertThat(result.len).isEqualTo(3);
        assertThat(result.contentType).isEqualTo(ContentType.alert);
    }

    @Test
    void limitsAndEncodingAreTheWrappedCiphers() throws IOException {
        TlsCipher cipher = new DiscardingRecordCipher(decodingWith(null));

        assertThat(cipher.getCiphertextDecodeLimit(100)).isEqualTo(124);
        assertThat(cipher.getCiphertextEncodeLimit(100)).isEqualTo(124);
        assertThat(cipher.getPlaintextDecodeLimit(100)).isEqualTo(76);
        assertThat(cipher.getPlaintextEncodeLimit(100)).isEqualTo(76);
        assertThat(cipher.encodePlaintext(1, ContentType.alert, ProtocolVersion.DTLSv12, 13, new byte[4], 0, 4).len)
                .isEqualTo(4);
    }
}
