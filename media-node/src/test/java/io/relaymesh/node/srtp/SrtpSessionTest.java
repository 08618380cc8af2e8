package io.relaymesh.node.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Both profiles through the public session API: round trips, rollover, replay, tampering, truncation, limits. */
class SrtpSessionTest {

    private static final int SSRC = 0x1234_5678;
    private static final int OFFSET = 13;
    private static final int TAIL = 64;

    private static Stream<Arguments> profilesAndBuffers() {
        List<Arguments> all = new ArrayList<>();
        for (SrtpProfile profile : SrtpProfile.values()) {
            all.add(Arguments.of(profile, "heap"));
            all.add(Arguments.of(profile, "direct"));
        }
        return all.stream();
    }

    private static IntFunction<ByteBuf> allocator(String kind) {
        return "heap".equals(kind) ? Unpooled::buffer : Unpooled::directBuffer;
    }

    /** A sender and a receiver session of one direction, keyed like a DTLS client's writes. */
    private record Pair(SrtpSession sender, SrtpSession receiver) {
        static Pair of(SrtpProfile profile) {
            byte[] material = new byte[profile.keyingMaterialLength()];
            new SplittableRandom(profile.ordinal()).nextBytes(material);
            SrtpKeys keys = SrtpKeys.fromKeyingMaterial(profile, material);
            return new Pair(keys.clientWriteSession(), keys.clientWriteSession());
        }
    }

    /**
     * RTP with two CSRCs and a one-byte-header extension (RFC 8285) of 2 words, at a non-zero buffer offset.
     */
    private static byte[] rtp(int seq, int ssrc, int payloadLength) {
        byte[] p = new byte[12 + 8 + 4 + 8 + payloadLength];
        p[0] = (byte) (0x80 | 0x10 | 2); // V=2, X=1, CC=2
        p[1] = 96;
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        p[4] = 0x11; // timestamp
        p[8] = (byte) (ssrc >>> 24);
        p[9] = (byte) (ssrc >>> 16);
        p[10] = (byte) (ssrc >>> 8);
        p[11] = (byte) ssrc;
        p[15] = 0x01; // CSRC 1
        p[19] = 0x02; // CSRC 2
        p[20] = (byte) 0xBE; // extension profile 0xBEDE
        p[21] = (byte) 0xDE;
        p[23] = 2; // extension length in words
        p[24] = 0x10; // id 1, len 1
        p[25] = 0x7F;
        for (int i = 32; i < p.length; i++) {
            p[i] = (byte) (i * 31 + seq);
        }
        return p;
    }

    /** A sender report followed by an SDES chunk-sized tail, as a compound packet. */
    private static byte[] rtcp(int ssrc, int bodyLength) {
        byte[] p = new byte[8 + bodyLength];
        p[0] = (byte) 0x80;
        p[1] = (byte) 200;
        p[3] = (byte) ((p.length / 4) - 1);
        p[4] = (byte) (ssrc >>> 24);
        p[5] = (byte) (ssrc >>> 16);
        p[6] = (byte) (ssrc >>> 8);
        p[7] = (byte) ssrc;
        for (int i = 8; i < p.length; i++) {
            p[i] = (byte) (i * 7);
        }
        return p;
    }

    private static ByteBuf atOffset(IntFunction<ByteBuf> alloc, byte[] bytes) {
        ByteBuf buf = alloc.apply(OFFSET + bytes.length + TAIL);
        buf.writerIndex(OFFSET).readerIndex(OFFSET);
        buf.writeBytes(bytes);
        return buf;
    }

    @ParameterizedTest
    @MethodSource("profilesAndBuffers")
    void rtpRoundTripRestoresThePacketAndKeepsTheHeaderInTheClear(SrtpProfile profile, String kind) {
        Pair pair = Pair.of(profile);
        byte[] plain = rtp(1000, SSRC, 1200);
        ByteBuf buf = atOffset(allocator(kind), plain);
        try {
            assertThat(pair.sender.protectRtp(buf)).isEqualTo(SrtpStatus.OK);
            assertThat(buf.readerIndex()).isEqualTo(OFFSET);
            assertThat(buf.readableBytes()).isEqualTo(plain.length + profile.tagLength());
            byte[] wire = ByteBufTestBytes.readable(buf);
            assertThat(java.util.Arrays.copyOf(wire, 32)).isEqualTo(java.util.Arrays.copyOf(plain, 32));
            assertThat(java.util.Arrays.copyOfRange(wire, 32, plain.length))
                    .isNotEqualTo(java.util.Arrays.copyOfRange(plain, 32, plain.length));

            assertThat(pair.receiver.unprotectRtp(buf)).isEqualTo(SrtpStatus.OK);
            assertThat(buf.readerIndex()).isEqualTo(OFFSET);
            assertThat(ByteBufTestBytes.readable(buf)).isEqualTo(plain);
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @MethodSource("profilesAndBuffers")
    void rtcpRoundTripRestoresThePacket(SrtpProfile profile, String kind) {
        Pair pair = Pair.of(profile);
        byte[] plain = rtcp(SSRC, 52);
        ByteBuf buf = atOffset(allocator(kind), plain);
        try {
            assertThat(pair.sender.protectRtcp(buf)).isEqualTo(SrtpStatus.OK);
            assertThat(buf.readableBytes()).isEqualTo(plain.length + profile.tagLength() + 4);
            assertThat(pair.receiver.unprotectRtcp(buf)).isEqualTo(SrtpStatus.OK);
            assertThat(ByteBufTestBytes.readable(buf)).isEqualTo(plain);
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void sequenceWrapAroundAdvancesTheRolloverCounter(SrtpProfile profile) {
        Pair pair = Pair.of(profile);
        int[] sequence = {65533, 65534, 65535, 0, 1, 2};
        byte[] afterWrap = null;
        for (int seq : sequence) {
            byte[] wire = protect(pair.sender, rtp(seq, SSRC, 100));
            if (seq == 1) {
                afterWrap = wire;
            }
            assertThat(unprotect(pair.receiver, wire)).as("seq %d", seq).isEqualTo(SrtpStatus.OK);
        }
        // Seq 1 was protected with ROC 1 (index 65537): a receiver that never saw the wrap assumes ROC 0 and the
        // tag cannot verify. This fails if the sender did not advance its ROC.
        SrtpSession fresh = Pair.of(profile).receiver;
        assertThat(unprotect(fresh, afterWrap)).isEqualTo(SrtpStatus.AUTH_FAILED);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aLatePacketFromBeforeTheWrapIsAcceptedWithThePreviousRolloverCounter(SrtpProfile profile) {
        Pair pair = Pair.of(profile);
        byte[] beforeWrap = protect(pair.sender, rtp(65535, SSRC, 100));
        byte[] first = protect(pair.sender, rtp(65534, SSRC, 100));
        byte[] wrapped0 = protect(pair.sender, rtp(0, SSRC, 100));
        byte[] wrapped1 = protect(pair.sender, rtp(1, SSRC, 100));

        assertThat(unprotect(pair.receiver, first)).isEqualTo(SrtpStatus.OK);
        assertThat(unprotect(pair.receiver, wrapped0)).isEqualTo(SrtpStatus.OK);
        assertThat(unprotect(pair.receiver, wrapped1)).isEqualTo(SrtpStatus.OK);
        assertThat(unprotect(pair.receiver, beforeWrap)).isEqualTo(SrtpStatus.OK);
        assertThat(unprotect(pair.receiver, beforeWrap)).isEqualTo(SrtpStatus.REPLAYED);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replayedRtpIsRejectedAndReorderingInsideTheWindowIsNot(SrtpProfile profile) {
        Pair pair = Pair.of(profile);
        List<byte[]> wire = new ArrayList<>();
        for (int seq = 100; seq < 300; seq++) {
            wire.add(protect(pair.sender, rtp(seq, SSRC, 40)));
        }
        assertThat(unprotect(pair.receiver, wire.get(0))).isEqualTo(SrtpStatus.OK);
        assertThat(unprotect(pair.receiver, wire.get(0))).isEqualTo(SrtpStatus.REPLAYED);
        assertThat(unprotect(pair.receiver, wire.get(150))).isEqualTo(SrtpStatus.OK); // jump ahead
        // 127 behind the highest is still inside the 128-packet window, 128 behind is not.
        assertThat(unprotect(pair.receiver, wire.get(150 - 127))).isEqualTo(SrtpStatus.OK);
        assertThat(unprotect(pair.receiver, wire.get(150 - 127))).isEqualTo(SrtpStatus.REPLAYED);
        assertThat(unprotect(pair.receiver, wire.get(150 - 128))).isEqualTo(SrtpStatus.REPLAYED);
        assertThat(unprotect(pair.receiver, wire.get(149))).isEqualTo(SrtpStatus.OK);
        assertThat(unprotect(pair.receiver, wire.get(151))).isEqualTo(SrtpStatus.OK);
        assertThat(unprotect(pair.receiver, wire.get(150))).isEqualTo(SrtpStatus.REPLAYED);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replayedSrtcpIsRejected(SrtpProfile profile) {
        Pair pair = Pair.of(profile);
        byte[] first = protectRtcp(pair.sender, rtcp(SSRC, 20));
        byte[] second = protectRtcp(pair.sender, rtcp(SSRC, 20));
        assertThat(unprotectRtcp(pair.receiver, second)).isEqualTo(SrtpStatus.OK);
        assertThat(unprotectRtcp(pair.receiver, first)).isEqualTo(SrtpStatus.OK);
        assertThat(unprotectRtcp(pair.receiver, first)).isEqualTo(SrtpStatus.REPLAYED);
        assertThat(unprotectRtcp(pair.receiver, second)).isEqualTo(SrtpStatus.REPLAYED);
    }

    private static Stream<Arguments> bitPositions() {
        List<Arguments> all = new ArrayList<>();
        for (SrtpProfile profile : SrtpProfile.values()) {
            int length = 32 + 60 + profile.tagLength();
            for (int bit : new int[] {8, 1 * 8 + 3, 12 * 8, 25 * 8 + 1, 40 * 8 + 7, (length - 1) * 8}) {
                all.add(Arguments.of(profile, bit));
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("bitPositions")
    void oneFlippedBitAnywhereFailsAuthenticationAndLeavesThePacketAlone(SrtpProfile profile, int bit) {
        Pair pair = Pair.of(profile);
        byte[] genuine = protect(pair.sender, rtp(7, SSRC, 60));
        byte[] wire = genuine.clone();
        wire[bit / 8] ^= (byte) (1 << (bit % 8));
        ByteBuf buf = Unpooled.wrappedBuffer(wire.clone());
        try {
            assertThat(pair.receiver.unprotectRtp(buf)).isEqualTo(SrtpStatus.AUTH_FAILED);
            assertThat(ByteBufTestBytes.readable(buf)).isEqualTo(wire);
        } finally {
            buf.release();
        }
        // The forged packet created no state and did not move the replay window: the genuine one still gets in.
        assertThat(pair.receiver.ssrcCount()).isZero();
        assertThat(unprotect(pair.receiver, genuine)).isEqualTo(SrtpStatus.OK);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void oneFlippedBitInSrtcpFailsAuthentication(SrtpProfile profile) {
        Pair pair = Pair.of(profile);
        byte[] wire = protectRtcp(pair.sender, rtcp(SSRC, 20));
        for (int i = 0; i < wire.length; i++) {
            byte[] forged = wire.clone();
            forged[i] ^= 0x20;
            SrtpStatus status = unprotectRtcp(pair.receiver, forged);
            // Byte 0 holds the version: flipping 0x20 there toggles padding, still version 2, so still a forgery.
            assertThat(status).as("byte %d", i).isEqualTo(SrtpStatus.AUTH_FAILED);
        }
        assertThat(unprotectRtcp(pair.receiver, wire)).isEqualTo(SrtpStatus.OK);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void everyTruncationOfAProtectedPacketIsRejected(SrtpProfile profile) {
        Pair pair = Pair.of(profile);
        byte[] wire = protect(pair.sender, rtp(9, SSRC, 30));
        byte[] wireRtcp = protectRtcp(pair.sender, rtcp(SSRC, 24));
        int minimum = 32 + profile.tagLength(); // header with CSRCs and extension, then the tag
        for (int length = 0; length < wire.length; length++) {
            SrtpStatus status = unprotect(pair.receiver, java.util.Arrays.copyOf(wire, length));
            if (length < minimum) {
                assertThat(status).as("length %d", length).isEqualTo(SrtpStatus.TOO_SHORT);
            } else {
                assertThat(status).as("length %d", length).isEqualTo(SrtpStatus.AUTH_FAILED);
            }
        }
        int minimumRtcp = 8 + profile.tagLength() + 4;
        for (int length = 0; length < wireRtcp.length; length++) {
            SrtpStatus status = unprotectRtcp(pair.receiver, java.util.Arrays.copyOf(wireRtcp, length));
            assertThat(status).as("length %d", length)
                    .isIn(length < minimumRtcp ? SrtpStatus.TOO_SHORT : SrtpStatus.AUTH_FAILED,
                            SrtpStatus.REPLAYED); // a cut can land the index word on an old value
            if (length < minimumRtcp) {
                assertThat(status).isEqualTo(SrtpStatus.TOO_SHORT);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void truncatedPlainPacketsAreRejectedOnProtect(SrtpProfile profile) {
        Pair pair = Pair.of(profile);
        byte[] plain = rtp(9, SSRC, 0); // header only: CSRCs and extension, 32 bytes
        for (int length = 0; length < plain.length; length++) {
            assertThat(protectStatus(pair.sender, java.util.Arrays.copyOf(plain, length)))
                    .as("length %d", length).isEqualTo(SrtpStatus.TOO_SHORT);
        }
        assertThat(protectStatus(pair.sender, plain)).isEqualTo(SrtpStatus.OK);
        for (int length = 0; length < 8; length++) {
            ByteBuf buf = Unpooled.buffer(64).writeBytes(rtcp(SSRC, 8), 0, length);
            try {
                assertThat(pair.sender.protectRtcp(buf)).isEqualTo(SrtpStatus.TOO_SHORT);
            } finally {
                buf.release();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void notVersionTwoIsMalformed(SrtpProfile profile) {
        Pair pair = Pair.of(profile);
        byte[] wire = protect(pair.sender, rtp(5, SSRC, 20));
        wire[0] &= 0x3F;
        assertThat(unprotect(pair.receiver, wire)).isEqualTo(SrtpStatus.MALFORMED);
        byte[] plain = rtp(6, SSRC, 20);
        plain[0] = (byte) 0x40;
        assertThat(protectStatus(pair.sender, plain)).isEqualTo(SrtpStatus.MALFORMED);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void ssrcsBeyondTheLimitGetAStatusUntilOneIsRemoved(SrtpProfile profile) {
        Pair pair = Pair.of(profile);
        for (int i = 0; i < SrtpSession.MAX_SSRCS; i++) {
            assertThat(unprotect(pair.receiver, protect(pair.sender, rtp(1, i, 10)))).isEqualTo(SrtpStatus.OK);
        }
        assertThat(pair.receiver.ssrcCount()).isEqualTo(SrtpSession.MAX_SSRCS);
        assertThat(protectStatus(pair.sender, rtp(1, 999, 10))).isEqualTo(SrtpStatus.SSRC_LIMIT_REACHED);

        assertThat(pair.sender.removeSsrc(5)).isTrue();
        byte[] wire = protect(pair.sender, rtp(1, 999, 10));
        assertThat(unprotect(pair.receiver, wire)).isEqualTo(SrtpStatus.SSRC_LIMIT_REACHED);
        assertThat(pair.receiver.removeSsrc(5)).isTrue();
        assertThat(pair.receiver.removeSsrc(5)).isFalse();
        assertThat(unprotect(pair.receiver, wire)).isEqualTo(SrtpStatus.OK);
        assertThat(pair.receiver.ssrcCount()).isEqualTo(SrtpSession.MAX_SSRCS);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void missingTailRoomIsGrownWhileAFixedCapacityBufferGetsAStatus(SrtpProfile profile) {
        Pair pair = Pair.of(profile);
        byte[] plain = rtp(3, SSRC, 50);
        ByteBuf exact = Unpooled.buffer(plain.length).writeBytes(plain);
        ByteBuf fixed = Unpooled.buffer(plain.length, plain.length).writeBytes(plain);
        try {
            assertThat(pair.sender.protectRtp(exact)).isEqualTo(SrtpStatus.OK);
            assertThat(pair.receiver.unprotectRtp(exact)).isEqualTo(SrtpStatus.OK);
            assertThat(ByteBufTestBytes.readable(exact)).isEqualTo(plain);
            assertThat(pair.sender.protectRtp(fixed)).isEqualTo(SrtpStatus.NO_TAIL_ROOM);
            assertThat(ByteBufTestBytes.readable(fixed)).isEqualTo(plain);
        } finally {
            exact.release();
            fixed.release();
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void randomGarbageIsNeverAcceptedAndNeverThrows(SrtpProfile profile) {
        Pair pair = Pair.of(profile);
        SplittableRandom random = new SplittableRandom(3711);
        for (int i = 0; i < 20_000; i++) {
            byte[] garbage = new byte[random.nextInt(120)];
            random.nextBytes(garbage);
            if (garbage.length > 0 && random.nextBoolean()) {
                garbage[0] = (byte) (0x80 | garbage[0] & 0x3F); // mostly past the version check
            }
            assertThat(unprotect(pair.receiver, garbage)).isNotEqualTo(SrtpStatus.OK);
            assertThat(unprotectRtcp(pair.receiver, garbage)).isNotEqualTo(SrtpStatus.OK);
        }
        assertThat(pair.receiver.ssrcCount()).isZero();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void overheadsMatchTheProfile(SrtpProfile profile) {
        SrtpSession session = Pair.of(profile).sender;
        assertThat(session.profile()).isEqualTo(profile);
        assertThat(session.rtpOverhead()).isEqualTo(profile.tagLength());
        assertThat(session.rtcpOverhead()).isEqualTo(profile.tagLength() + 4);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rejectsMasterKeysOfTheWrongLength(SrtpProfile profile) {
        assertThatThrownBy(() -> new SrtpSession(profile, new byte[profile.keyLength() + 1],
                new byte[profile.saltLength()])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SrtpSession(profile, new byte[profile.keyLength()],
                new byte[profile.saltLength() - 1])).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] protect(SrtpSession session, byte[] plain) {
        ByteBuf buf = atOffset(Unpooled::buffer, plain);
        try {
            assertThat(session.protectRtp(buf)).isEqualTo(SrtpStatus.OK);
            return ByteBufTestBytes.readable(buf);
        } finally {
            buf.release();
        }
    }

    private static SrtpStatus protectStatus(SrtpSession session, byte[] plain) {
        ByteBuf buf = atOffset(Unpooled::buffer, plain);
        try {
            return session.protectRtp(buf);
        } finally {
            buf.release();
        }
    }

    private static SrtpStatus unprotect(SrtpSession session, byte[] wire) {
        ByteBuf buf = atOffset(Unpooled::directBuffer, wire);
        try {
            return session.unprotectRtp(buf);
        } finally {
            buf.release();
        }
    }

    private static byte[] protectRtcp(SrtpSession session, byte[] plain) {
        ByteBuf buf = atOffset(Unpooled::buffer, plain);
        try {
            assertThat(session.protectRtcp(buf)).isEqualTo(SrtpStatus.OK);
            return ByteBufTestBytes.readable(buf);
        } finally {
            buf.release();
        }
    }

    private static SrtpStatus unprotectRtcp(SrtpSession session, byte[] wire) {
        ByteBuf buf = atOffset(Unpooled::buffer, wire);
        try {
            return session.unprotectRtcp(buf);
        } finally {
            buf.release();
        }
    }
}
