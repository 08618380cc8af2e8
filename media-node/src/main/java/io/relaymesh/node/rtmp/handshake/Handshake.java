package io.relaymesh.node.rtmp.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The server side of the RTMP handshake (Adobe RTMP specification 1.0, section 5.2): C0+C1 in, S0+S1+S2 out,
 * then C2 in.
 *
 * <pre>
 * C0/S0: version (1) = 3
 * C1/S1: time (4) | zero, or a version for the digest handshake (4) | random (1528)
 * C2/S2: echo of the peer's time (4) | time the peer's packet was read (4) | echo of its random (1528)
 * </pre>
 *
 * A C1 with a valid digest ({@link HandshakeDigest}) gets the digest handshake's S1 and S2 in the same scheme;
 * any other C1 the plain echo. C2 is not checked: ffmpeg's publisher answers with a copy of S1 rather than a
 * signed C2, and the handshake protects nothing.
 */
public final class Handshake {

    /** RTMP version in C0/S0; 6 would be RTMPE (encrypted), which is not served. */
    public static final int VERSION = 3;
    /** Length of C0 + C1. */
    public static final int C0_C1_LENGTH = 1 + HandshakeDigest.SIZE;
    /** Length of C2. */
    public static final int C2_LENGTH = HandshakeDigest.SIZE;
    /** Version the server writes into a digest S1 (any non-zero value signals the digest handshake). */
    static final int SERVER_VERSION = 0x04050001;

    /** Which handshake the client used. */
    public enum Kind {
        PLAIN,
        DIGEST
    }

    /** The reply (S0 + S1 + S2; the caller owns it) and which handshake it answers. */
    public record Reply(ByteBuf s0s1s2, Kind kind) {
    }

    private Handshake() {
    }

    /**
     * Reads C0 and C1 (exactly {@link #C0_C1_LENGTH} readable bytes are consumed) and builds the reply.
     *
     * @param uptimeMillis the server's time field
     * @throws ProtocolException for too few bytes or a version other than 3
     */
    public static Reply respond(ByteBuf c0c1, ByteBufAllocator allocator, RandomGenerator random, int uptimeMillis)
            throws ProtocolException {
        if (c0c1.readableBytes() < C0_C1_LENGTH) {
            throw new ProtocolException("handshake: C0+C1 truncated (" + c0c1.readableBytes() + " of "
                    + C0_C1_LENGTH + " bytes)");
        }
        int version = c0c1.readUnsignedByte();
        if (version != VERSION) {
            throw new ProtocolException("handshake: RTMP version " + version + " is not served (only 3: plain RTMP,"
                    + " not RTMPE)");
        }
        byte[] c1 = new byte[HandshakeDigest.SIZE];
        c0c1.readBytes(c1);
        byte[] s1 = new byte[HandshakeDigest.SIZE];
        random.nextBytes(s1);
        writeInt(s1, 0, uptimeMillis);
        byte[] s2;
        Kind kind;
        int clientDigest = readInt(c1, 4) == 0 ? -1
                : HandshakeDigest.findDigest(c1, HandshakeDigest.PLAYER_KEY, HandshakeDigest.PLAYER_KEY_TEXT_LENGTH);
        if (clientDigest >= 0) {
            kind = Kind.DIGEST;
            int base = clientDigest < HandshakeDigest.BLOCK_BASES[1] ? HandshakeDigest.BLOCK_BASES[0]
                    : HandshakeDigest.BLOCK_BASES[1];
            writeInt(s1, 4, SERVER_VERSION);
            HandshakeDigest.sign(s1, base, HandshakeDigest.SERVER_KEY, HandshakeDigest.SERVER_KEY_TEXT_LENGTH);
            s2 = new byte[HandshakeDigest.SIZE];
            random.nextBytes(s2);
            byte[] digest = Arrays.copyOfRange(c1, clientDigest, clientDigest + HandshakeDigest.DIGEST_LENGTH);
            HandshakeDigest.signResponse(s2, digest, HandshakeDigest.SERVER_KEY);
        } else {
            kind = Kind.PLAIN;
            writeInt(s1, 4, 0);
            s2 = c1.clone();
            writeInt(s2, 4, uptimeMillis);
        }
        ByteBuf out = allocator.buffer(1 + 2 * HandshakeDigest.SIZE);
        out.writeByte(VERSION);
        out.writeBytes(s1);
        out.writeBytes(s2);
        return new Reply(out, kind);
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    private static void writeInt(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
    }
}
