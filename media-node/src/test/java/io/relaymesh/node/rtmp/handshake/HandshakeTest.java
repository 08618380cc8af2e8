package io.relaymesh.node.rtmp.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HandshakeTest {

    private static final int SIZE = HandshakeDigest.SIZE;

    /** C0 + C1 of a client using the plain handshake: time, four zero bytes, random. */
    static byte[] plainC0C1(SplittableRandom random) {
        byte[] c0c1 = new byte[1 + SIZE];
        random.nextBytes(c0c1);
        c0c1[0] = 3;
        Arrays.fill(c0c1, 1, 5, (byte) 0);
        Arrays.fill(c0c1, 5, 9, (byte) 0);
        return c0c1;
    }

    /**
     * C0 + C1 the way OBS's librtmp and ffmpeg build it: Flash Player version 9.0.124.2 in bytes 4..7 and the
     * HMAC-SHA256 digest, keyed with "Genuine Adobe Flash Player 001", at the offset of the chosen scheme.
     */
    static byte[] digestC0C1(SplittableRandom random, int scheme) {
        byte[] c1 = new byte[SIZE];
        random.nextBytes(c1);
        c1[0] = 0;
        c1[1] = 0;
        c1[2] = 0;
        c1[3] = 0;
        c1[4] = 9;
        c1[5] = 0;
        c1[6] = 124;
        c1[7] = 2;
        HandshakeDigest.sign(c1, HandshakeDigest.BLOCK_BASES[scheme], HandshakeDigest.PLAYER_KEY,
                HandshakeDigest.PLAYER_KEY_TEXT_LENGTH);
        byte[] c0c1 = new byte[1 + SIZE];
        c0c1[0] = 3;
        System.arraycopy(c1, 0, c0c1, 1, SIZE);
        return c0c1;
    }

    private static Handshake.Reply respond(byte[] c0c1, int offset) throws ProtocolException {
        ByteBuf in = Unpooled.buffer();
        try {
            in.writeZero(offset);
            in.readerIndex(offset);
            in.writeBytes(c0c1);
            Handshake.Reply reply = Handshake.respond(in, ByteBufAllocator.DEFAULT, new SplittableRandom(7), 1234);
            assertThat(in.isReadable()).as("exactly C0 + C1 consumed").isFalse();
            return reply;
        } finally {
            in.release();
        }
    }

    private static byte[] bytes(ByteBuf b) {
        try {
            byte[] out = new byte[b.readableBytes()];
            b.readBytes(out);
            return out;
        } finally {
            b.release();
        }
    }

    @Test
    void plainHandshakeEchoesC1AsS2() throws ProtocolException {
        byte[] c0c1 = plainC0C1(new SplittableRandom(1));
        Handshake.Reply reply = respond(c0c1, 5);
        byte[] s = bytes(reply.s0s1s2());
        assertThat(reply.kind()).isEqualTo(Handshake.Kind.PLAIN);
        assertThat(s).hasSize(1 + 2 * SIZE);
        assertThat(s[0]).as("S0 version").isEqualTo((byte) 3);
        assertThat(Arrays.copyOfRange(s, 1, 5)).as("S1 time").containsExactly(0, 0, 4, (byte) 0xd2);
        assertThat(Arrays.copyOfRange(s, 5, 9)).as("S1 zero").containsExactly(0, 0, 0, 0);
        byte[] s2 = Arrays.copyOfRange(s, 1 + SIZE, 1 + 2 * SIZE);
        assertThat(Arrays.copyOfRange(s2, 0, 4)).as("S2 echoes C1's time").isEqualTo(Arrays.copyOfRange(c0c1, 1, 5));
        assertThat(Arrays.copyOfRange(s2, 8, SIZE)).as("S2 echoes C1's random").isEqualTo(Arrays.copyOfRange(c0c1, 9, 1 + SIZE));
    }

    @ParameterizedTest(name = "scheme {0}")
    @ValueSource(ints = {0, 1})
    void digestHandshakeAnswersWhatAnObsLikeClientChecks(int scheme) throws ProtocolException {
        byte[] c0c1 = digestC0C1(new SplittableRandom(2 + scheme), scheme);
        byte[] c1 = Arrays.copyOfRange(c0c1, 1, 1 + SIZE);
        Handshake.Reply reply = respond(c0c1, 0);
        byte[] s = bytes(reply.s0s1s2());
        assertThat(reply.kind()).isEqualTo(Handshake.Kind.DIGEST);
        byte[] s1 = Arrays.copyOfRange(s, 1, 1 + SIZE);
        byte[] s2 = Arrays.copyOfRange(s, 1 + SIZE, 1 + 2 * SIZE);
        assertThat(Arrays.copyOfRange(s1, 4, 8)).as("S1 carries a server version").isNotEqualTo(new byte[4]);

        // what librtmp does with S1: find the server's digest (keyed with the 36-byte server text), same scheme
        int serverDigest = HandshakeDigest.findDigest(s1, HandshakeDigest.SERVER_KEY,
                HandshakeDigest.SERVER_KEY_TEXT_LENGTH);
        assertThat(serverDigest).as("S1 digest position").isEqualTo(
                HandshakeDigest.digestPosition(s1, HandshakeDigest.BLOCK_BASES[scheme]));

        // ... and with S2: its last 32 bytes are keyed from the client's own C1 digest with the long server key
        int clientDigest = HandshakeDigest.digestPosition(c1, HandshakeDigest.BLOCK_BASES[scheme]);
        byte[] expected = HandshakeDigest.responseSignature(s2,
                Arrays.copyOfRange(c1, clientDigest, clientDigest + 32), HandshakeDigest.SERVER_KEY);
        assertThat(Arrays.copyOfRange(s2, SIZE - 32, SIZE)).isEqualTo(expected);
    }

    @Test
    void aNonZeroVersionWithoutAValidDigestGetsThePlainHandshake() throws ProtocolException {
        byte[] c0c1 = digestC0C1(new SplittableRandom(9), 0);
        c0c1[100] ^= 1; // corrupt the signed bytes
        Handshake.Reply reply = respond(c0c1, 0);
        reply.s0s1s2().release();
        assertThat(reply.kind()).isEqualTo(Handshake.Kind.PLAIN);
    }

    @Test
    void truncatedC0C1IsRefused() {
        byte[] c0c1 = plainC0C1(new SplittableRandom(3));
        ByteBuf in = Unpooled.wrappedBuffer(c0c1, 0, c0c1.length - 1);
        try {
            assertThatThrownBy(() -> Handshake.respond(in, ByteBufAllocator.DEFAULT, new SplittableRandom(1), 0))
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("truncated");
        } finally {
            in.release();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {6, 0, 255})
    void otherVersionsAreRefused(int version) {
        byte[] c0c1 = plainC0C1(new SplittableRandom(4));
        c0c1[0] = (byte) version;
        ByteBuf in = Unpooled.wrappedBuffer(c0c1);
        try {
            assertThatThrownBy(() -> Handshake.respond(in, ByteBufAllocator.DEFAULT, new SplittableRandom(1), 0))
                    .hasMessageContaining("RTMP version " + version);
        } finally {
            in.release();
        }
    }
}
