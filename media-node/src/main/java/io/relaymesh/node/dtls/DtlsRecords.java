package io.relaymesh.node.dtls;

import io.netty.buffer.ByteBuf;

/**
 * Facts about the DTLS record layer the rest of the node needs without running a handshake.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ContentType  |    ProtocolVersion            |    Epoch ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   ... Epoch     |         SequenceNumber (48 bits) ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   ... SequenceNumber                            |    Length     ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   ... Length    |  fragment ...
 * +-+-+-+-+-+-+-+-+
 * </pre>
 * (RFC 6347 section 4.1.)
 */
public final class DtlsRecords {

    /** Bytes of a DTLS 1.2 record header. */
    public static final int RECORD_HEADER_LENGTH = 13;

    /** Lowest first byte RFC 7983 section 7 assigns to DTLS. */
    public static final int FIRST_BYTE_MIN = 20;

    /** Highest first byte RFC 7983 section 7 assigns to DTLS. */
    public static final int FIRST_BYTE_MAX = 63;

    /** Lowest content type a DTLS 1.2 record layer reads: change_cipher_spec (RFC 5246 section 6.2.1). */
    static final int CONTENT_TYPE_MIN = 20;

    /** Highest content type a DTLS 1.2 record layer reads: tls12_cid (RFC 9146 section 4). */
    static final int CONTENT_TYPE_MAX = 25;

    /** Major byte of every DTLS version (1.0 is 0xFEFF, 1.2 is 0xFEFD): the one's complement of 1. */
    static final int VERSION_MAJOR = 0xFE;

    private static final int VERSION_OFFSET = 1;
    private static final int LENGTH_OFFSET = 11;

    private DtlsRecords() {
    }

    /**
     * Whether a datagram belongs to DTLS by the RFC 7983 first-byte rule (content type 20..63). Looks at the
     * byte at the reader index without moving it; an empty buffer is not DTLS.
     */
    public static boolean looksLikeDtls(ByteBuf datagram) {
        if (!datagram.isReadable()) {
            return false;
        }
        int first = datagram.getUnsignedByte(datagram.readerIndex());
        return first >= FIRST_BYTE_MIN && first <= FIRST_BYTE_MAX;
    }

    /**
     * Whether the first record of a datagram could be read by a DTLS 1.2 record layer: a whole header, a
     * content type in {@value #CONTENT_TYPE_MIN}..{@value #CONTENT_TYPE_MAX}, a DTLS version (major byte
     * 0xFE) and a length that fits in the datagram. Anything else is discarded by the record layer without
     * looking further (a bad first length hides where the next record starts), so checking it up front keeps
     * such datagrams from taking a place in the endpoint's inbound queue. Says nothing about authenticity.
     * Looks at the readable bytes without moving the reader index.
     */
    static boolean startsWithWellFormedRecord(ByteBuf datagram) {
        int start = datagram.readerIndex();
        int readable = datagram.readableBytes();
        if (readable < RECORD_HEADER_LENGTH) {
            return false;
        }
        int contentType = datagram.getUnsignedByte(start);
        if (contentType < CONTENT_TYPE_MIN || contentType > CONTENT_TYPE_MAX) {
            return false;
        }
        if (datagram.getUnsignedByte(start + VERSION_OFFSET) != VERSION_MAJOR) {
            return false;
        }
        return datagram.getUnsignedShort(start + LENGTH_OFFSET) <= readable - RECORD_HEADER_LENGTH;
    }
}
