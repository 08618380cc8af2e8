package io.relaymesh.node.stun;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A parsed STUN message (RFC 5389 section 6, RFC 8489 section 5) with the attributes an ICE-lite agent
 * needs (RFC 8445 section 7.1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |0 0|     STUN Message Type     |         Message Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Magic Cookie                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * |                     Transaction ID (96 bits)                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The message type interleaves a 12-bit method (M) with a 2-bit class (C):
 * <pre>
 *  M11 M10 M9 M8 M7 C1 M6 M5 M4 C0 M3 M2 M1 M0
 * </pre>
 *
 * <p>STUN is not the media hot path, so {@link #parse} copies the (small) message into a byte array and the
 * instance is immutable and self-contained: the caller keeps ownership of the buffer.
 *
 * <p>Attribute rules enforced here: only the first occurrence of an attribute counts; attributes after
 * MESSAGE-INTEGRITY other than FINGERPRINT are ignored (RFC 5389 section 15.4); FINGERPRINT must be the last
 * attribute (section 15.5); known attributes must have their fixed value length.
 */
public final class StunMessage {

    /** Bytes of the fixed header. */
    public static final int HEADER_LENGTH = 20;
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int TRANSACTION_ID_LENGTH = 12;

    static final int TYPE_OFFSET = 0;
    static final int LENGTH_OFFSET = 2;
    static final int COOKIE_OFFSET = 4;
    static final int TRANSACTION_ID_OFFSET = 8;
    /** RFC 7983 section 7: on a multiplexed port STUN is the range 0..3 of the first byte. */
    static final int MAX_FIRST_BYTE = 3;
    /** The two most significant bits of every STUN message are zero (RFC 5389 section 6). */
    static final int LEADING_BITS_MASK = 0xC000;

    /** Bits of the message type that carry the class. */
    public static final int CLASS_MASK = 0x0110;
    public static final int CLASS_REQUEST = 0x0000;
    public static final int CLASS_INDICATION = 0x0010;
    public static final int CLASS_SUCCESS = 0x0100;
    public static final int CLASS_ERROR = 0x0110;
    public static final int METHOD_BINDING = 0x001;

    public static final int BINDING_REQUEST = METHOD_BINDING | CLASS_REQUEST;
    public static final int BINDING_SUCCESS = METHOD_BINDING | CLASS_SUCCESS;
    public static final int BINDING_ERROR = METHOD_BINDING | CLASS_ERROR;

    private static final int ABSENT = -1;
    private static final int ERROR_CLASS_SHIFT = 8;
    private static final int ERROR_CLASS_MASK = 0x7;
    private static final int ERROR_NUMBER_MASK = 0xFF;
    private static final int ERROR_HEADER_LENGTH = 4;
    private static final int IPV4_ADDRESS_VALUE_LENGTH = 8;
    private static final int IPV6_ADDRESS_VALUE_LENGTH = 20;

    private final byte[] raw;
    private final int type;
    private int usernameAt = ABSENT;
    private int usernameLength;
    private int priorityAt = ABSENT;
    private boolean useCandidate;
    private int controllingAt = ABSENT;
    private int controlledAt = ABSENT;
    private int integrityAt = ABSENT;
    private int fingerprintAt = ABSENT;
    private int xorMappedAt = ABSENT;
    private int xorMappedLength;
    private int errorAt = ABSENT;
    private int errorLength;
    private int[] unknownRequired = new int[0];

    private StunMessage(byte[] raw) {
        this.raw = raw;
        this.type = u16(raw, TYPE_OFFSET);
    }

    /**
     * Cheap first look for the demultiplexer: at least a header's worth of bytes, the first byte in 0..3 and
     * the magic cookie in place (RFC 5389 section 7.3, RFC 7983). Does not validate the rest.
     */
    public static boolean looksLikeStun(ByteBuf buf) {
        int at = buf.readerIndex();
        return buf.readableBytes() >= HEADER_LENGTH
                && buf.getUnsignedByte(at) <= MAX_FIRST_BYTE
                && buf.getInt(at + COOKIE_OFFSET) == MAGIC_COOKIE;
    }

    /**
     * Parses the readable bytes of {@code buf} as exactly one STUN message. Neither moves the reader index
     * nor retains the buffer.
     *
     * @throws ProtocolException if the header or any attribute is malformed or truncated
     */
    public static StunMessage parse(ByteBuf buf) throws ProtocolException {
        int readable = buf.readableBytes();
        if (readable < HEADER_LENGTH) {
            throw new ProtocolException("STUN message shorter than its 20-byte header: " + readable);
        }
        byte[] raw = new byte[readable];
        buf.getBytes(buf.readerIndex(), raw);
        StunMessage message = new StunMessage(raw);
        message.validateHeader();
        message.parseAttributes();
        return message;
    }

    private void validateHeader() throws ProtocolException {
        if ((type & LEADING_BITS_MASK) != 0) {
            throw new ProtocolException("STUN message type has its two leading bits set: 0x" + Integer.toHexString(type));
        }
        if (i32(raw, COOKIE_OFFSET) != MAGIC_COOKIE) {
            throw new ProtocolException("STUN magic cookie missing");
        }
        int length = u16(raw, LENGTH_OFFSET);
        if ((length & 3) != 0) {
            throw new ProtocolException("STUN message length " + length + " is not a multiple of 4");
        }
        if (length != raw.length - HEADER_LENGTH) {
            throw new ProtocolException("STUN message length " + length + " but " + (raw.length - HEADER_LENGTH)
                    + " bytes follow the header");
        }
    }

    private void parseAttributes() throws ProtocolException {
        int at = HEADER_LENGTH;
        while (at < raw.length) {
            if (fingerprintAt != ABSENT) {
                throw new ProtocolException("STUN attribute after FINGERPRINT");
            }
            if (raw.length - at < StunAttribute.HEADER_LENGTH) {
                throw new ProtocolException("STUN attribute header truncated at offset " + at);
            }
            int attrType = u16(raw, at);
            int valueLength = u16(raw, at + 2);
            int value = at + StunAttribute.HEADER_LENGTH;
            int padded = StunAttribute.paddedLength(valueLength);
            if (padded > raw.length - value) {
                throw new ProtocolException("STUN attribute 0x" + Integer.toHexString(attrType) + " of length "
                        + valueLength + " overruns the message at offset " + at);
            }
            if (attrType == StunAttribute.FINGERPRINT) {
                expectLength(attrType, valueLength, StunAttribute.FINGERPRINT_LENGTH);
                fingerprintAt = at;
            } else if (integrityAt == ABSENT) {
                record(attrType, at, valueLength);
            }
            at = value + padded;
        }
    }

    private void record(int attrType, int at, int valueLength) throws ProtocolException {
        int value = at + StunAttribute.HEADER_LENGTH;
        switch (attrType) {
            case StunAttribute.USERNAME -> {
                if (valueLength > StunAttribute.MAX_USERNAME_LENGTH) {
                    throw new ProtocolException("STUN USERNAME longer than 512 bytes: " + valueLength);
                }
                if (usernameAt == ABSENT) {
                    decodeUtf8(value, valueLength, "USERNAME");
                    usernameAt = value;
                    usernameLength = valueLength;
                }
            }
            case StunAttribute.PRIORITY -> {
                expectLength(attrType, valueLength, 4);
                priorityAt = first(priorityAt, value);
            }
            case StunAttribute.USE_CANDIDATE -> {
                expectLength(attrType, valueLength, 0);
                useCandidate = true;
            }
            case StunAttribute.ICE_CONTROLLING -> {
                expectLength(attrType, valueLength, 8);
                controllingAt = first(controllingAt, value);
            }
            case StunAttribute.ICE_CONTROLLED -> {
                expectLength(attrType, valueLength, 8);
                controlledAt = first(controlledAt, value);
            }
            case StunAttribute.MESSAGE_INTEGRITY -> {
                expectLength(attrType, valueLength, StunAttribute.MESSAGE_INTEGRITY_LENGTH);
                integrityAt = at;
            }
            case StunAttribute.XOR_MAPPED_ADDRESS -> {
                validateAddress(value, valueLength);
                if (xorMappedAt == ABSENT) {
                    xorMappedAt = value;
                    xorMappedLength = valueLength;
                }
            }
            case StunAttribute.ERROR_CODE -> {
                validateErrorCode(value, valueLength);
                if (errorAt == ABSENT) {
                    errorAt = value;
                    errorLength = valueLength;
                }
            }
            default -> {
                if (StunAttribute.isComprehensionRequired(attrType) && attrType != StunAttribute.MAPPED_ADDRESS
                        && attrType != StunAttribute.UNKNOWN_ATTRIBUTES && attrType != StunAttribute.REALM
                        && attrType != StunAttribute.NONCE && attrType != StunAttribute.MESSAGE_INTEGRITY_SHA256) {
                    unknownRequired = Arrays.copyOf(unknownRequired, unknownRequired.length + 1);
                    unknownRequired[unknownRequired.length - 1] = attrType;
                }
            }
        }
    }

    private static int first(int current, int candidate) {
        return current == ABSENT ? candidate : current;
    }

    private static void expectLength(int attrType, int actual, int expected) throws ProtocolException {
        if (actual != expected) {
            throw new ProtocolException("STUN attribute 0x" + Integer.toHexString(attrType) + " has length " + actual
                    + ", expected " + expected);
        }
    }

    private void validateAddress(int value, int length) throws ProtocolException {
        if (length < 4) {
            throw new ProtocolException("STUN address attribute shorter than 4 bytes: " + length);
        }
        int family = raw[value + 1] & 0xFF;
        int expected = switch (family) {
            case StunAttribute.FAMILY_IPV4 -> IPV4_ADDRESS_VALUE_LENGTH;
            case StunAttribute.FAMILY_IPV6 -> IPV6_ADDRESS_VALUE_LENGTH;
            default -> throw new ProtocolException("STUN address family 0x" + Integer.toHexString(family) + " unknown");
        };
        if (length != expected) {
            throw new ProtocolException("STUN address attribute of family " + family + " has length " + length);
        }
    }

    private void validateErrorCode(int value, int length) throws ProtocolException {
        if (length < ERROR_HEADER_LENGTH) {
            throw new ProtocolException("STUN ERROR-CODE shorter than 4 bytes: " + length);
        }
        int errorClass = raw[value + 2] & ERROR_CLASS_MASK;
        int number = raw[value + 3] & ERROR_NUMBER_MASK;
        if (errorClass < 3 || errorClass > 6 || number > 99) {
            throw new ProtocolException("STUN ERROR-CODE out of range: class " + errorClass + ", number " + number);
        }
        decodeUtf8(value + ERROR_HEADER_LENGTH, length - ERROR_HEADER_LENGTH, "ERROR-CODE reason");
    }

    private String decodeUtf8(int offset, int length, String what) throws ProtocolException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("STUN " + what + " is not valid UTF-8", e);
        }
    }

    /** The 14-bit message type (method and class). */
    public int type() {
        return type;
    }

    /** The method with the class bits removed, e.g. {@link #METHOD_BINDING}. */
    public int method() {
        return (type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2);
    }

    /** One of {@link #CLASS_REQUEST}, {@link #CLASS_INDICATION}, {@link #CLASS_SUCCESS}, {@link #CLASS_ERROR}. */
    public int messageClass() {
        return type & CLASS_MASK;
    }

    public boolean isBindingRequest() {
        return type == BINDING_REQUEST;
    }

    public boolean isBindingSuccess() {
        return type == BINDING_SUCCESS;
    }

    public boolean isBindingError() {
        return type == BINDING_ERROR;
    }

    /** A copy of the 96-bit transaction id. */
    public byte[] transactionId() {
        return Arrays.copyOfRange(raw, TRANSACTION_ID_OFFSET, TRANSACTION_ID_OFFSET + TRANSACTION_ID_LENGTH);
    }

    /** Total bytes of the message, header included. */
    public int length() {
        return raw.length;
    }

    /** USERNAME (for ICE: {@code "<receiver ufrag>:<sender ufrag>"}), or null when absent. */
    public String username() {
        return usernameAt == ABSENT ? null : new String(raw, usernameAt, usernameLength, StandardCharsets.UTF_8);
    }

    /** PRIORITY as an unsigned 32-bit value, or -1 when absent. */
    public long priority() {
        return priorityAt == ABSENT ? -1 : i32(raw, priorityAt) & 0xFFFF_FFFFL;
    }

    public boolean useCandidate() {
        return useCandidate;
    }

    public boolean iceControlling() {
        return controllingAt != ABSENT;
    }

    public boolean iceControlled() {
        return controlledAt != ABSENT;
    }

    /**
     * The 64-bit tie-breaker of ICE-CONTROLLING or ICE-CONTROLLED (compare with
     * {@link Long#compareUnsigned}); 0 when neither is present.
     */
    public long tieBreaker() {
        int at = controllingAt != ABSENT ? controllingAt : controlledAt;
        return at == ABSENT ? 0 : ((long) i32(raw, at) << 32) | (i32(raw, at + 4) & 0xFFFF_FFFFL);
    }

    public boolean hasMessageIntegrity() {
        return integrityAt != ABSENT;
    }

    public boolean hasFingerprint() {
        return fingerprintAt != ABSENT;
    }

    /**
     * Comprehension-required attribute types this parser does not know, in order of appearance; a server
     * answers a request carrying any with 420 (RFC 5389 section 7.3.1).
     */
    public int[] unknownComprehensionRequired() {
        return unknownRequired.clone();
    }

    /** True when FINGERPRINT is present and matches the CRC-32 of the message before it (RFC 5389 section 15.5). */
    public boolean verifyFingerprint() {
        if (fingerprintAt == ABSENT) {
            return false;
        }
        return fingerprint(raw, 0, fingerprintAt) == i32(raw, fingerprintAt + StunAttribute.HEADER_LENGTH);
    }

    /**
     * True when MESSAGE-INTEGRITY is present and is the HMAC-SHA1 under {@code key} of the message up to it,
     * with the header length adjusted to end at MESSAGE-INTEGRITY (RFC 5389 section 15.4). For ICE the key is
     * the receiver's password as UTF-8 (short-term credentials). The comparison runs in constant time.
     */
    public boolean verifyMessageIntegrity(byte[] key) {
        if (integrityAt == ABSENT) {
            return false;
        }
        byte[] expected = messageIntegrity(key, raw, 0, integrityAt);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(raw,
                integrityAt + StunAttribute.HEADER_LENGTH,
                integrityAt + StunAttribute.HEADER_LENGTH + StunAttribute.MESSAGE_INTEGRITY_LENGTH));
    }

    /** XOR-MAPPED-ADDRESS decoded (IPv4 or IPv6), or null when absent (RFC 5389 section 15.2). */
    public InetSocketAddress xorMappedAddress() {
        if (xorMappedAt == ABSENT) {
            return null;
        }
        int port = u16(raw, xorMappedAt + 2) ^ (MAGIC_COOKIE >>> 16);
        byte[] address = new byte[xorMappedLength - 4];
        for (int i = 0; i < address.length; i++) {
            // The mask is the magic cookie followed by the transaction id, i.e. header bytes 4..19.
            address[i] = (byte) (raw[xorMappedAt + 4 + i] ^ raw[COOKIE_OFFSET + i]);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("validated address length " + address.length, e);
        }
    }

    /** ERROR-CODE as class * 100 + number (e.g. 401), or -1 when absent. */
    public int errorCode() {
        if (errorAt == ABSENT) {
            return -1;
        }
        return ((raw[errorAt + 2] & ERROR_CLASS_MASK) * 100) + (raw[errorAt + 3] & ERROR_NUMBER_MASK);
    }

    /** The reason phrase of ERROR-CODE, or null when absent. */
    public String errorReason() {
        if (errorAt == ABSENT) {
            return null;
        }
        return new String(raw, errorAt + ERROR_HEADER_LENGTH, errorLength - ERROR_HEADER_LENGTH, StandardCharsets.UTF_8);
    }

    /**
     * CRC-32 of {@code message[offset, offset + length)} XOR'ed with 0x5354554e; the header's length field in
     * those bytes must already count the FINGERPRINT attribute.
     */
    static int fingerprint(byte[] message, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(message, offset, length);
        return (int) crc.getValue() ^ StunAttribute.FINGERPRINT_XOR;
    }

    /**
     * HMAC-SHA1 over {@code message[offset, offset + integrityAt)} where the header's length field is replaced
     * by the length that ends right after a MESSAGE-INTEGRITY attribute placed at {@code integrityAt}.
     */
    static byte[] messageIntegrity(byte[] key, byte[] message, int offset, int integrityAt) {
        Mac mac = hmacSha1(key);
        int adjustedLength = integrityAt + StunAttribute.HEADER_LENGTH + StunAttribute.MESSAGE_INTEGRITY_LENGTH
                - HEADER_LENGTH;
        mac.update(message, offset, LENGTH_OFFSET);
        mac.update((byte) (adjustedLength >>> 8));
        mac.update((byte) adjustedLength);
        mac.update(message, offset + COOKIE_OFFSET, integrityAt - COOKIE_OFFSET);
        return mac.doFinal();
    }

    private static Mac hmacSha1(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            // An empty key is legal for HMAC but SecretKeySpec refuses it; ICE passwords are never empty.
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static int i32(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}
