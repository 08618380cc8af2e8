package io.relaymesh.node.transport;

import io.netty.buffer.ByteBuf;

/**
 * What a datagram on the shared WebRTC port is, by its first byte (RFC 7983 section 7) and, for RTP/RTCP, by
 * its second byte (RFC 5761 section 4: RTCP packet types 192..223 where RTP payload types would be).
 *
 * <pre>
 *               +----------------+
 *               |        [0..3] -+--> STUN
 *               |      [16..19] -+--> ZRTP (dropped)
 *   packet -->  |      [20..63] -+--> DTLS
 *               |      [64..79] -+--> TURN channel (dropped)
 *               |    [128..191] -+--> RTP / RTCP
 *               +----------------+
 * </pre>
 *
 * This is the only place that guesses packet kinds.
 */
public enum PacketKind {
    STUN,
    DTLS,
    RTP,
    RTCP,
    /** Anything else, including ZRTP, TURN channel data and empty datagrams: dropped and counted. */
    UNKNOWN;

    private static final int RTCP_TYPE_MIN = 192;
    private static final int RTCP_TYPE_MAX = 223;
    /** RTP fixed header length; a shorter datagram in the RTP range is not media. */
    private static final int RTP_MIN_LENGTH = 12;
    /** RTCP common header length. */
    private static final int RTCP_MIN_LENGTH = 8;

    /** Classifies the readable bytes of {@code datagram} without changing its indices. */
    public static PacketKind of(ByteBuf datagram) {
        int length = datagram.readableBytes();
        if (length == 0) {
            return UNKNOWN;
        }
        int first = datagram.getUnsignedByte(datagram.readerIndex());
        if (first <= 3) {
            return STUN;
        }
        if (first >= 20 && first <= 63) {
            return DTLS;
        }
        if (first >= 128 && first <= 191) {
            if (length < RTCP_MIN_LENGTH) {
                return UNKNOWN;
            }
            int second = datagram.getUnsignedByte(datagram.readerIndex() + 1);
            if (second >= RTCP_TYPE_MIN && second <= RTCP_TYPE_MAX) {
                return RTCP;
            }
            return length >= RTP_MIN_LENGTH ? RTP : UNKNOWN;
        }
        return UNKNOWN;
    }
}
