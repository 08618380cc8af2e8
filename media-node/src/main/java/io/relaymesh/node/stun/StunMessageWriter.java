package io.relaymesh.node.stun;

import io.netty.buffer.ByteBuf;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Writes the STUN messages of an ICE agent (RFC 5389, RFC 8445 section 7) into a caller-supplied buffer at
 * its writer index. Each method writes one complete message, advances the writer index past it and returns
 * the number of bytes written; the caller owns the buffer.
 *
 * <p>Integrity-protected messages end with MESSAGE-INTEGRITY followed by FINGERPRINT, as ICE requires
 * (RFC 8445 section 7.2.2); the header length is patched before each of the two is computed, as RFC 5389
 * sections 15.4 and 15.5 prescribe.
 */
public final class StunMessageWriter {

    /** RFC 5389 section 15.6: the reason phrase is at most 127 characters. */
    static final int MAX_REASON_CHARACTERS = 127;
    private static final byte ZERO_PAD = 0;

    private StunMessageWriter() {
    }

    /**
     * A Binding success response carrying XOR-MAPPED-ADDRESS (the source address the request came from),
     * MESSAGE-INTEGRITY keyed with {@code integrityKey} (for ICE: the local password) and FINGERPRINT.
     */
    public static int writeBindingSuccess(ByteBuf out, byte[] transactionId, InetSocketAddress mapped,
            byte[] integrityKey) {
        int start = beginMessage(out, StunMessage.BINDING_SUCCESS, transactionId);
        writeXorMappedAddress(out, transactionId, mapped);
        finishWithIntegrity(out, start, integrityKey);
        finishWithFingerprint(out, start);
        return out.writerIndex() - start;
    }

    /**
     * A Binding error response with ERROR-CODE {@code code} (e.g. 400 Bad Request, 401 Unauthorized,
     * 487 Role Conflict), MESSAGE-INTEGRITY when a key is given (RFC 8445 requires it for 487, and a 401 has
     * none because the request could not be authenticated), and FINGERPRINT.
     */
    public static int writeBindingError(ByteBuf out, byte[] transactionId, int code, String reason,
            byte[] integrityKeyOrNull) {
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("STUN error code out of 300..699: " + code);
        }
        if (reason.length() > MAX_REASON_CHARACTERS) {
            throw new IllegalArgumentException("STUN reason phrase longer than 127 characters");
        }
        int start = beginMessage(out, StunMessage.BINDING_ERROR, transactionId);
        byte[] phrase = reason.getBytes(StandardCharsets.UTF_8);
        writeAttributeHeader(out, StunAttribute.ERROR_CODE, 4 + phrase.length);
        out.writeShort(0);
        out.writeByte(code / 100);
        out.writeByte(code % 100);
        out.writeBytes(phrase);
        writePadding(out, 4 + phrase.length, ZERO_PAD);
        if (integrityKeyOrNull != null) {
            finishWithIntegrity(out, start, integrityKeyOrNull);
        }
        finishWithFingerprint(out, start);
        return out.writerIndex() - start;
    }

    /**
     * An ICE connectivity check (RFC 8445 section 7.1.1): USERNAME, PRIORITY, ICE-CONTROLLING or
     * ICE-CONTROLLED with the tie-breaker, USE-CANDIDATE when nominating, MESSAGE-INTEGRITY keyed with the
     * remote password, FINGERPRINT.
     *
     * @param priority unsigned 32-bit value in a long
     */
    public static int writeBindingRequest(ByteBuf out, byte[] transactionId, String username, long priority,
            boolean controlling, long tieBreaker, boolean useCandidate, byte[] integrityKey) {
        if ((priority >>> 32) != 0) {
            throw new IllegalArgumentException("ICE priority is an unsigned 32-bit value: " + priority);
        }
        byte[] user = username.getBytes(StandardCharsets.UTF_8);
        if (user.length > StunAttribute.MAX_USERNAME_LENGTH) {
            throw new IllegalArgumentException("STUN USERNAME longer than 512 bytes");
        }
        int start = beginMessage(out, StunMessage.BINDING_REQUEST, transactionId);
        writeAttribute(out, StunAttribute.USERNAME, user, ZERO_PAD);
        writeAttributeHeader(out, StunAttribute.PRIORITY, 4);
        out.writeInt((int) priority);
        writeAttributeHeader(out, controlling ? StunAttribute.ICE_CONTROLLING : StunAttribute.ICE_CONTROLLED, 8);
        out.writeLong(tieBreaker);
        if (useCandidate) {
            writeAttributeHeader(out, StunAttribute.USE_CANDIDATE, 0);
        }
        finishWithIntegrity(out, start, integrityKey);
        finishWithFingerprint(out, start);
        return out.writerIndex() - start;
    }

    /** Writes a header with a zero length and returns the index it starts at. */
    static int beginMessage(ByteBuf out, int type, byte[] transactionId) {
        if (transactionId.length != StunMessage.TRANSACTION_ID_LENGTH) {
            throw new IllegalArgumentException("STUN transaction id must be 12 bytes, got " + transactionId.length);
        }
        int start = out.writerIndex();
        out.writeShort(type);
        out.writeShort(0);
        out.writeInt(StunMessage.MAGIC_COOKIE);
        out.writeBytes(transactionId);
        return start;
    }

    /** One attribute with its value padded to 32 bits with {@code padByte} (receivers ignore padding). */
    static void writeAttribute(ByteBuf out, int type, byte[] value, byte padByte) {
        writeAttributeHeader(out, type, value.length);
        out.writeBytes(value);
        writePadding(out, value.length, padByte);
    }

    static void writeXorMappedAddress(ByteBuf out, byte[] transactionId, InetSocketAddress mapped) {
        byte[] address = mapped.getAddress().getAddress();
        boolean v4 = mapped.getAddress() instanceof Inet4Address;
        writeAttributeHeader(out, StunAttribute.XOR_MAPPED_ADDRESS, 4 + address.length);
        out.writeByte(0);
        out.writeByte(v4 ? StunAttribute.FAMILY_IPV4 : StunAttribute.FAMILY_IPV6);
        out.writeShort(mapped.getPort() ^ (StunMessage.MAGIC_COOKIE >>> 16));
        for (int i = 0; i < address.length; i++) {
            int mask = i < 4 ? StunMessage.MAGIC_COOKIE >>> (24 - 8 * i) : transactionId[i - 4];
            out.writeByte(address[i] ^ mask);
        }
    }

    /** Sets the length so it ends after MESSAGE-INTEGRITY, then appends it. */
    static void finishWithIntegrity(ByteBuf out, int start, byte[] key) {
        byte[] message = messageSoFar(out, start);
        byte[] hmac = StunMessage.messageIntegrity(key, message, 0, message.length);
        writeAttributeHeader(out, StunAttribute.MESSAGE_INTEGRITY, StunAttribute.MESSAGE_INTEGRITY_LENGTH);
        out.writeBytes(hmac);
        patchLength(out, start);
    }

    /** Sets the length so it ends after FINGERPRINT, then appends it. */
    static void finishWithFingerprint(ByteBuf out, int start) {
        int lengthWithFingerprint = out.writerIndex() - start - StunMessage.HEADER_LENGTH
                + StunAttribute.HEADER_LENGTH + StunAttribute.FINGERPRINT_LENGTH;
        out.setShort(start + StunMessage.LENGTH_OFFSET, lengthWithFingerprint);
        byte[] message = messageSoFar(out, start);
        writeAttributeHeader(out, StunAttribute.FINGERPRINT, StunAttribute.FINGERPRINT_LENGTH);
        out.writeInt(StunMessage.fingerprint(message, 0, message.length));
    }

    /** Sets the header length to the bytes written after the header (for messages without a trailer). */
    static void patchLength(ByteBuf out, int start) {
        out.setShort(start + StunMessage.LENGTH_OFFSET, out.writerIndex() - start - StunMessage.HEADER_LENGTH);
    }

    private static byte[] messageSoFar(ByteBuf out, int start) {
        byte[] message = new byte[out.writerIndex() - start];
        out.getBytes(start, message);
        return message;
    }

    private static void writeAttributeHeader(ByteBuf out, int type, int valueLength) {
        out.writeShort(type);
        out.writeShort(valueLength);
    }

    private static void writePadding(ByteBuf out, int valueLength, byte padByte) {
        for (int i = valueLength; i < StunAttribute.paddedLength(valueLength); i++) {
            out.writeByte(padByte);
        }
    }
}
