package io.relaymesh.node.dtls;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsDecodeResult;
import org.bouncycastle.tls.crypto.TlsEncodeResult;

import java.io.IOException;

/**
 * A record cipher that reports every record it cannot decode as {@code bad_record_mac}, the one failure
 * Bouncy Castle's DTLS record layer answers by discarding the record.
 *
 * <p>Over UDP anyone who can spoof the peer's address can inject records, and RFC 6347 section 4.1.2.7 says
 * invalid records should be silently discarded so the association survives. Bouncy Castle discards a
 * record whose MAC or AEAD tag fails, but fails the whole connection with a fatal alert when a record is
 * shorter than the cipher's nonce and tag ({@code decode_error}) or its CBC blocks do not line up
 * ({@code decryption_failed}): a single forged datagram would end the association. None of these records
 * was authenticated, so they are all the same thing to us: not from the peer.
 */
final class DiscardingRecordCipher implements TlsCipher {

    private final TlsCipher cipher;

    DiscardingRecordCipher(TlsCipher cipher) {
        this.cipher = cipher;
    }

    @Override
    public TlsDecodeResult decodeCiphertext(long sequenceNumber, short recordType, ProtocolVersion recordVersion,
                                           byte[] ciphertext, int offset, int length) throws IOException {
        try {
            return cipher.decodeCiphertext(sequenceNumber, recordType, recordVersion, ciphertext, offset, length);
        } catch (TlsFatalAlert e) {
            if (e.getAlertDescription() == AlertDescription.bad_record_mac) {
                throw e;
            }
            throw unauthenticated(e);
        } catch (RuntimeException e) {
            throw unauthenticated(e);
        }
    }

    private static TlsFatalAlert unauthenticated(Exception cause) {
        return new TlsFatalAlert(AlertDescription.bad_record_mac, "record failed to decode; discarded", cause);
    }

    @Override
    public TlsEncodeResult encodePlaintext(long sequenceNumber, short contentType, ProtocolVersion recordVersion,
                                          int headerAllocation, byte[] plaintext, int offset, int length)
            throws IOException {
        return cipher.encodePlaintext(sequenceNumber, contentType, recordVersion, headerAllocation, plaintext,
                offset, length);
    }

    @Override
    public int getCiphertextDecodeLimit(int plaintextLimit) {
        return cipher.getCiphertextDecodeLimit(plaintextLimit);
    }

    @Override
    public int getCiphertextEncodeLimit(int plaintextLimit) {
        return cipher.getCiphertextEncodeLimit(plaintextLimit);
    }

    @Override
    public int getPlaintextDecodeLimit(int ciphertextLimit) {
        return cipher.getPlaintextDecodeLimit(ciphertextLimit);
    }

    @Override
    public int getPlaintextEncodeLimit(int ciphertextLimit) {
        return cipher.getPlaintextEncodeLimit(ciphertextLimit);
    }

    @Override
    public void rekeyDecoder() throws IOException {
        cipher.rekeyDecoder();
    }

    @Override
    public void rekeyEncoder() throws IOException {
        cipher.rekeyEncoder();
    }

    @Override
    public boolean usesOpaqueRecordTypeDecode() {
        return cipher.usesOpaqueRecordTypeDecode();
    }

    @Override
    public boolean usesOpaqueRecordTypeEncode() {
        return cipher.usesOpaqueRecordTypeEncode();
    }
}
