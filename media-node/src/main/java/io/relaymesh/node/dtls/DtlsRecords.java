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
}
