package io.relaymesh.node.srtp;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * SRTP and SRTCP for one direction of one DTLS association: every SSRC protected with one master key and salt
 * (RFC 3711, RFC 7714, keys from RFC 5764).
 *
 * <p>All four operations work in place on the readable region of a {@link ByteBuf} and answer with an
 * {@link SrtpStatus}; none throws on bad input and, in steady state, none allocates.
 * <ul>
 *   <li>{@link #protectRtp}/{@link #protectRtcp} append a trailer ({@link #rtpOverhead()} or
 *       {@link #rtcpOverhead()} bytes). <b>Callers allocate that tail room</b> when they build the packet; if it is
 *       missing the buffer is grown with {@code ensureWritable}, which reallocates and is the slow path.</li>
 *   <li>{@link #unprotectRtp}/{@link #unprotectRtcp} verify, check the replay window (128 packets), decrypt and
 *       move {@code writerIndex} back over the trailer. Nothing is changed when they do not return
 *       {@link SrtpStatus#OK}.</li>
 * </ul>
 *
 * <p>Per-SSRC state (rollover counter, highest sequence number, replay windows, SRTCP index) lives in a table of at
 * most {@value #MAX_SSRCS} SSRCs; a packet for one more gets {@link SrtpStatus#SSRC_LIMIT_REACHED}. A received
 * SSRC is only remembered once one of its packets authenticates. {@link #removeSsrc} frees a slot.
 *
 * <p><b>Not thread-safe and lock-free by design:</b> use a session from one thread at a time (the event loop that
 * owns the association). Heap buffers are processed directly in their backing array; direct buffers are copied
 * through a per-session scratch array that grows once to the largest packet seen.
 */
public final class SrtpSession {

    /** SSRCs one session tracks at most. */
    public static final int MAX_SSRCS = 64;

    private static final int RTP_HEADER = 12;
    private static final int RTCP_HEADER = 8;
    private static final int SRTCP_INDEX_LIMIT = 0x7FFF_FFFF;

    private final SrtpProfile profile;
    private final SrtpCipher rtp;
    private final SrtpCipher rtcp;
    private final StreamTable streams = new StreamTable(MAX_SSRCS);
    private byte[] scratch = new byte[2048];

    /**
     * @param masterKey  the master key of this direction ({@link SrtpKeys#clientKey()} or {@code serverKey()})
     * @param masterSalt the matching master salt
     */
    public SrtpSession(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        Objects.requireNonNull(profile, "profile");
        if (masterKey.length != profile.keyLength() || masterSalt.length != profile.saltLength()) {
            throw new IllegalArgumentException(profile.rfcName() + " takes a " + profile.keyLength()
                    + "-byte master key and a " + profile.saltLength() + "-byte salt, got "
                    + masterKey.length + " and " + masterSalt.length);
        }
        this.profile = profile;
        SrtpKeyDerivation kdf = new SrtpKeyDerivation(masterKey, masterSalt);
        switch (profile) {
            case AES_CM_128_HMAC_SHA1_80 -> {
                this.rtp = AesCmHmacSha1.forRtp(kdf);
                this.rtcp = AesCmHmacSha1.forRtcp(kdf);
            }
            case AEAD_AES_128_GCM -> {
                this.rtp = AesGcm.forRtp(kdf);
                this.rtcp = AesGcm.forRtcp(kdf);
            }
            default -> throw new IllegalArgumentException("unsupported profile " + profile);
        }
    }

    /** With session keys given directly, as the RFC test vectors give them. */
    SrtpSession(SrtpProfile profile, SrtpCipher rtp, SrtpCipher rtcp) {
        this.profile = profile;
        this.rtp = rtp;
        this.rtcp = rtcp;
    }

    public SrtpProfile profile() {
        return profile;
    }

    /** Bytes {@link #protectRtp} appends: the tail room a caller leaves after an RTP packet. */
    public int rtpOverhead() {
        return rtp.rtpTrailerLength();
    }

    /** Bytes {@link #protectRtcp} appends: the tail room a caller leaves after an RTCP packet. */
    public int rtcpOverhead() {
        return rtcp.rtcpTrailerLength();
    }

    /** SSRCs currently tracked. */
    public int ssrcCount() {
        return streams.size();
    }

    /** Forgets an SSRC (its stream ended); returns whether it was tracked. */
    public boolean removeSsrc(int ssrc) {
        return streams.remove(ssrc);
    }

    /**
     * Encrypts the RTP packet in the readable region in place and appends the authentication tag.
     * The readable region grows by {@link #rtpOverhead()}.
     */
    public SrtpStatus protectRtp(ByteBuf packet) {
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        SrtpStatus header = checkRtpHeader(packet, start, length);
        if (header != SrtpStatus.OK) {
            return header;
        }
        int headerLength = rtpHeaderLength(packet, start, length);
        if (headerLength < 0) {
            return SrtpStatus.TOO_SHORT;
        }
        int trailer = rtp.rtpTrailerLength();
        if (!reserveTail(packet, trailer)) {
            return SrtpStatus.NO_TAIL_ROOM;
        }
        int ssrc = packet.getInt(start + 8);
        StreamState state = streams.getOrAdd(ssrc);
        if (state == null) {
            return SrtpStatus.SSRC_LIMIT_REACHED;
        }
        long index = state.nextSendIndex(packet.getUnsignedShort(start + 2));
        if (packet.hasArray()) {
            rtp.protectRtp(packet.array(), packet.arrayOffset() + start, headerLength, length, ssrc, index);
        } else {
            byte[] p = scratch(length + trailer);
            copyOut(packet, start, p, length);
            rtp.protectRtp(p, 0, headerLength, length, ssrc, index);
            packet.setBytes(start + headerLength, p, headerLength, length - headerLength + trailer);
        }
        packet.writerIndex(start + length + trailer);
        return SrtpStatus.OK;
    }

    /**
     * Verifies, replay-checks and decrypts the SRTP packet in the readable region in place, then drops the tag
     * from the readable region.
     */
    public SrtpStatus unprotectRtp(ByteBuf packet) {
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        int trailer = rtp.rtpTrailerLength();
        if (length < RTP_HEADER + trailer) {
            return SrtpStatus.TOO_SHORT;
        }
        SrtpStatus header = checkRtpHeader(packet, start, length);
        if (header != SrtpStatus.OK) {
            return header;
        }
        int headerLength = rtpHeaderLength(packet, start, length - trailer);
        if (headerLength < 0) {
            return SrtpStatus.TOO_SHORT;
        }
        int ssrc = packet.getInt(start + 8);
        int seq = packet.getUnsignedShort(start + 2);
        StreamState state = streams.get(ssrc);
        if (state == null && streams.isFull()) {
            return SrtpStatus.SSRC_LIMIT_REACHED;
        }
        long index;
        if (state == null || !state.rtpReceived.started()) {
            index = seq;
        } else {
            index = StreamState.estimateIndex(state.rtpReceived.highest(), seq);
            if (index < 0 || state.rtpReceived.isReplay(index)) {
                return SrtpStatus.REPLAYED;
            }
        }
        boolean authentic;
        if (packet.hasArray()) {
            authentic = rtp.unprotectRtp(packet.array(), packet.arrayOffset() + start, headerLength, length, ssrc,
                    index);
        } else {
            byte[] p = scratch(length);
            copyOut(packet, start, p, length);
            authentic = rtp.unprotectRtp(p, 0, headerLength, length, ssrc, index);
            if (authentic) {
                packet.setBytes(start + headerLength, p, headerLength, length - headerLength - trailer);
            }
        }
        if (!authentic) {
            return SrtpStatus.AUTH_FAILED;
        }
        if (state == null) {
            state = streams.getOrAdd(ssrc);
        }
        state.rtpReceived.accept(index);
        packet.writerIndex(start + length - trailer);
        return SrtpStatus.OK;
    }

    /**
     * Encrypts the compound RTCP packet in the readable region (all but its first 8 bytes) in place and appends
     * {@code E || SRTCP index} and the tag (order per profile). The readable region grows by
     * {@link #rtcpOverhead()}.
     */
    public SrtpStatus protectRtcp(ByteBuf packet) {
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        if (length < RTCP_HEADER) {
            return SrtpStatus.TOO_SHORT;
        }
        if (packet.getUnsignedByte(start) >> 6 != 2) {
            return SrtpStatus.MALFORMED;
        }
        int trailer = rtcp.rtcpTrailerLength();
        if (!reserveTail(packet, trailer)) {
            return SrtpStatus.NO_TAIL_ROOM;
        }
        int ssrc = packet.getInt(start + 4);
        StreamState state = streams.getOrAdd(ssrc);
        if (state == null) {
            return SrtpStatus.SSRC_LIMIT_REACHED;
        }
        int index = state.rtcpSendIndex;
        if (index > SRTCP_INDEX_LIMIT || index < 0) {
            return SrtpStatus.INDEX_EXHAUSTED;
        }
        state.rtcpSendIndex = index + 1;
        if (packet.hasArray()) {
            rtcp.protectRtcp(packet.array(), packet.arrayOffset() + start, length, ssrc, index);
        } else {
            byte[] p = scratch(length + trailer);
            copyOut(packet, start, p, length);
            rtcp.protectRtcp(p, 0, length, ssrc, index);
            packet.setBytes(start + RTCP_HEADER, p, RTCP_HEADER, length - RTCP_HEADER + trailer);
        }
        packet.writerIndex(start + length + trailer);
        return SrtpStatus.OK;
    }

    /**
     * Verifies, replay-checks and (when its E flag is set) decrypts the SRTCP packet in the readable region in
     * place, then drops the SRTCP trailer from the readable region.
     */
    public SrtpStatus unprotectRtcp(ByteBuf packet) {
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        int trailer = rtcp.rtcpTrailerLength();
        if (length < RTCP_HEADER + trailer) {
            return SrtpStatus.TOO_SHORT;
        }
        if (packet.getUnsignedByte(start) >> 6 != 2) {
            return SrtpStatus.MALFORMED;
        }
        int ssrc = packet.getInt(start + 4);
        long index = packet.getInt(start + rtcp.rtcpIndexOffset(length)) & SRTCP_INDEX_LIMIT;
        StreamState state = streams.get(ssrc);
        if (state == null && streams.isFull()) {
            return SrtpStatus.SSRC_LIMIT_REACHED;
        }
        if (state != null && state.rtcpReceived.isReplay(index)) {
            return SrtpStatus.REPLAYED;
        }
        boolean authentic;
        if (packet.hasArray()) {
            authentic = rtcp.unprotectRtcp(packet.array(), packet.arrayOffset() + start, length, ssrc);
        } else {
            byte[] p = scratch(length);
            copyOut(packet, start, p, length);
            authentic = rtcp.unprotectRtcp(p, 0, length, ssrc);
            if (authentic) {
                packet.setBytes(start + RTCP_HEADER, p, RTCP_HEADER, length - RTCP_HEADER - trailer);
            }
        }
        if (!authentic) {
            return SrtpStatus.AUTH_FAILED;
        }
        if (state == null) {
            state = streams.getOrAdd(ssrc);
        }
        state.rtcpReceived.accept(index);
        packet.writerIndex(start + length - trailer);
        return SrtpStatus.OK;
    }

    private static SrtpStatus checkRtpHeader(ByteBuf packet, int start, int length) {
        if (length < RTP_HEADER) {
            return SrtpStatus.TOO_SHORT;
        }
        return packet.getUnsignedByte(start) >> 6 == 2 ? SrtpStatus.OK : SrtpStatus.MALFORMED;
    }

    /**
     * Length of the RTP header (fixed part, CSRCs, header extension; RFC 3550 section 5.1 and 5.3.1) within the
     * first {@code limit} bytes, or -1 when it does not fit.
     */
    private static int rtpHeaderLength(ByteBuf packet, int start, int limit) {
        int first = packet.getUnsignedByte(start);
        int length = RTP_HEADER + 4 * (first & 0x0f);
        if ((first & 0x10) != 0) {
            if (length + 4 > limit) {
                return -1;
            }
            length += 4 + 4 * packet.getUnsignedShort(start + length + 2);
        }
        return length <= limit ? length : -1;
    }

    /**
     * Copies a direct buffer's packet into the scratch array without garbage. With {@code sun.misc.Unsafe} (the node
     * turns it on, see {@code Main}) a buffer with a memory address copies straight from it. Without it,
     * {@code ByteBuf.getBytes(int, byte[], ...)} on a direct buffer duplicates its NIO buffer (64 bytes per packet),
     * and an absolute bulk get on the buffer's cached NIO view avoids that for pooled buffers; Netty 4.2's adaptive
     * buffers build a new view on every {@code internalNioBuffer} call, hence the memory address first.
     */
    private static void copyOut(ByteBuf packet, int start, byte[] p, int length) {
        if (packet.hasMemoryAddress()) {
            packet.getBytes(start, p, 0, length);
        } else if (packet.nioBufferCount() == 1) {
            ByteBuffer view = packet.internalNioBuffer(start, length);
            view.get(view.position(), p, 0, length);
        } else {
            packet.getBytes(start, p, 0, length);
        }
    }

    private static boolean reserveTail(ByteBuf packet, int bytes) {
        if (packet.writableBytes() >= bytes) {
            return true;
        }
        int result = packet.ensureWritable(bytes, false);
        return result == 0 || result == 2;
    }

    private byte[] scratch(int length) {
        if (scratch.length < length) {
            scratch = new byte[Integer.highestOneBit(length - 1) << 1];
        }
        return scratch;
    }
}
