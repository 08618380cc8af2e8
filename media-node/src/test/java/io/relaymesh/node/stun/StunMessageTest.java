package io.relaymesh.node.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 5769 test vectors and the parser's rejection rules. */
class StunMessageTest {

    static final byte[] PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8);
    static final byte[] TRANSACTION_ID = hex("b7 e7 a7 01 bc 34 d6 86 fa 87 df ae");

    /** RFC 5769 section 2.1: Binding request, short-term credentials. */
    static final byte[] SAMPLE_REQUEST = hex("""
            00 01 00 58                                     Binding request, length 88
            21 12 a4 42                                     magic cookie
            b7 e7 a7 01 bc 34 d6 86 fa 87 df ae             transaction id
            80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74     SOFTWARE "STUN test client"
            00 24 00 04 6e 00 01 ff                         PRIORITY 0x6e0001ff
            80 29 00 08 93 2f f9 b1 51 26 3b 36             ICE-CONTROLLED tie-breaker
            00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20 USERNAME "evtj:h6vY", padded with spaces
            00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2   MESSAGE-INTEGRITY
            80 28 00 04 e5 7a 3b cf                         FINGERPRINT
            """);

    /** RFC 5769 section 2.2: Binding success, 192.0.2.1:32853. */
    static final byte[] SAMPLE_IPV4_RESPONSE = hex("""
            01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae   success, length 60, cookie, tid
            80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20               SOFTWARE "test vector", space pad
            00 20 00 08 00 01 a1 47 e1 12 a6 43                           XOR-MAPPED-ADDRESS IPv4
            00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7   MESSAGE-INTEGRITY
            80 28 00 04 c0 7d 4c 96                                       FINGERPRINT
            """);

    /** RFC 5769 section 2.3: Binding success, [2001:db8:1234:5678:11:2233:4455:6677]:32853. */
    static final byte[] SAMPLE_IPV6_RESPONSE = hex("""
            01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae   success, length 72, cookie, tid
            80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20               SOFTWARE "test vector", space pad
            00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9   XOR-MAPPED-ADDRESS IPv6
            00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41   MESSAGE-INTEGRITY
            80 28 00 04 c8 fb 0b 4c                                       FINGERPRINT
            """);

    static final InetSocketAddress IPV4_MAPPED = address("192.0.2.1", 32853);
    static final InetSocketAddress IPV6_MAPPED = address("2001:db8:1234:5678:11:2233:4455:6677", 32853);

    private final List<ByteBuf> buffers = new ArrayList<>();

    @AfterEach
    void releaseBuffers() {
        buffers.forEach(ByteBuf::release);
    }

    /** Hex with an optional trailing comment per line; only the leading run of hex pairs counts. */
    static byte[] hex(String annotated) {
        StringBuilder digits = new StringBuilder();
        for (String line : annotated.split("\n")) {
            for (String token : line.trim().split("\\s+")) {
                if (!token.matches("[0-9a-fA-F]{2}")) {
                    break;
                }
                digits.append(token);
            }
        }
        return ByteBufUtil.decodeHexDump(digits);
    }

    static InetSocketAddress address(String host, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The bytes at a non-zero reader index, with junk before and after that the parser must not see. */
    private ByteBuf atOffset(byte[] message) {
        ByteBuf buf = track(Unpooled.buffer(message.length + 16));
        buf.writeBytes(new byte[] {(byte) 0xEE, (byte) 0xEE, (byte) 0xEE});
        buf.writeBytes(message);
        buf.readerIndex(3);
        return buf;
    }

    private ByteBuf track(ByteBuf buf) {
        buffers.add(buf);
        return buf;
    }

    private static byte[] readable(ByteBuf buf) {
        return ByteBufUtil.getBytes(buf);
    }

    @Test
    void sampleRequestParsesAndVerifiesWithItsPassword() throws ProtocolException {
        ByteBuf buf = atOffset(SAMPLE_REQUEST);
        StunMessage m = StunMessage.parse(buf);

        assertThat(buf.readerIndex()).isEqualTo(3);
        assertThat(m.isBindingRequest()).isTrue();
        assertThat(m.method()).isEqualTo(StunMessage.METHOD_BINDING);
        assertThat(m.messageClass()).isEqualTo(StunMessage.CLASS_REQUEST);
        assertThat(m.transactionId()).isEqualTo(TRANSACTION_ID);
        assertThat(m.username()).isEqualTo("evtj:h6vY");
        assertThat(m.priority()).isEqualTo(0x6e0001ffL);
        assertThat(m.iceControlled()).isTrue();
        assertThat(m.iceControlling()).isFalse();
        assertThat(m.tieBreaker()).isEqualTo(0x932ff9b151263b36L);
        assertThat(m.useCandidate()).isFalse();
        assertThat(m.xorMappedAddress()).isNull();
        assertThat(m.errorCode()).isEqualTo(-1);
        assertThat(m.hasMessageIntegrity()).isTrue();
        assertThat(m.hasFingerprint()).isTrue();
        assertThat(m.verifyMessageIntegrity(PASSWORD)).isTrue();
        assertThat(m.verifyMessageIntegrity("wrong".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(m.verifyFingerprint()).isTrue();
        assertThat(m.unknownComprehensionRequired()).isEmpty();
    }

    static Stream<Arguments> responses() {
        return Stream.of(
                Arguments.of("IPv4", SAMPLE_IPV4_RESPONSE, IPV4_MAPPED),
                Arguments.of("IPv6", SAMPLE_IPV6_RESPONSE, IPV6_MAPPED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responses")
    void sampleResponsesParseAndVerify(String family, byte[] vector, InetSocketAddress mapped)
            throws ProtocolException {
        StunMessage m = StunMessage.parse(atOffset(vector));

        assertThat(m.isBindingSuccess()).isTrue();
        assertThat(m.xorMappedAddress()).isEqualTo(mapped);
        assertThat(m.priority()).isEqualTo(-1);
        assertThat(m.username()).isNull();
        assertThat(m.verifyMessageIntegrity(PASSWORD)).isTrue();
        assertThat(m.verifyFingerprint()).isTrue();
    }

    @Test
    void buildingTheSampleRequestFromItsPartsYieldsTheVectorBytes() {
        ByteBuf out = track(Unpooled.buffer());
        out.writeZero(5);
        int start = StunMessageWriter.beginMessage(out, StunMessage.BINDING_REQUEST, TRANSACTION_ID);
        StunMessageWriter.writeAttribute(out, StunAttribute.SOFTWARE,
                "STUN test client".getBytes(StandardCharsets.UTF_8), (byte) ' ');
        StunMessageWriter.writeAttribute(out, StunAttribute.PRIORITY, hex("6e 00 01 ff"), (byte) 0);
        StunMessageWriter.writeAttribute(out, StunAttribute.ICE_CONTROLLED, hex("93 2f f9 b1 51 26 3b 36"), (byte) 0);
        StunMessageWriter.writeAttribute(out, StunAttribute.USERNAME,
                "evtj:h6vY".getBytes(StandardCharsets.UTF_8), (byte) ' ');
        StunMessageWriter.finishWithIntegrity(out, start, PASSWORD);
        StunMessageWriter.finishWithFingerprint(out, start);

        out.readerIndex(start);
        assertThat(readable(out)).isEqualTo(SAMPLE_REQUEST);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responses")
    void buildingTheSampleResponsesFromTheirPartsYieldsTheVectorBytes(String family, byte[] vector,
            InetSocketAddress mapped) {
        ByteBuf out = track(Unpooled.buffer());
        out.writeZero(7);
        int start = StunMessageWriter.beginMessage(out, StunMessage.BINDING_SUCCESS, TRANSACTION_ID);
        StunMessageWriter.writeAttribute(out, StunAttribute.SOFTWARE,
                "test vector".getBytes(StandardCharsets.UTF_8), (byte) ' ');
        StunMessageWriter.writeXorMappedAddress(out, TRANSACTION_ID, mapped);
        StunMessageWriter.finishWithIntegrity(out, start, PASSWORD);
        StunMessageWriter.finishWithFingerprint(out, start);

        out.readerIndex(start);
        assertThat(readable(out)).isEqualTo(vector);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responses")
    void bindingSuccessCarriesTheVectorsXorMappedAddressAndVerifies(String family, byte[] vector,
            InetSocketAddress mapped) throws ProtocolException {
        ByteBuf out = track(Unpooled.buffer());
        out.writeZero(9);
        out.readerIndex(9);
        int written = StunMessageWriter.writeBindingSuccess(out, TRANSACTION_ID, mapped, PASSWORD);

        assertThat(written).isEqualTo(out.readableBytes());
        byte[] bytes = readable(out);
        // The vector's XOR-MAPPED-ADDRESS follows its 16-byte SOFTWARE attribute; ours follows the header.
        int attributeLength = mapped.getAddress().getAddress().length + 8;
        byte[] vectorAttribute = java.util.Arrays.copyOfRange(vector, 36, 36 + attributeLength);
        byte[] ourAttribute = java.util.Arrays.copyOfRange(bytes, 20, 20 + attributeLength);
        assertThat(ourAttribute).isEqualTo(vectorAttribute);

        StunMessage m = StunMessage.parse(out);
        assertThat(m.isBindingSuccess()).isTrue();
        assertThat(m.transactionId()).isEqualTo(TRANSACTION_ID);
        assertThat(m.xorMappedAddress()).isEqualTo(mapped);
        assertThat(m.verifyMessageIntegrity(PASSWORD)).isTrue();
        assertThat(m.verifyFingerprint()).isTrue();
        assertThat(m.length()).isEqualTo(written);
    }

    @ParameterizedTest(name = "controlling={0} useCandidate={1}")
    @org.junit.jupiter.params.provider.CsvSource({"true,true", "true,false", "false,false"})
    void bindingRequestRoundTrips(boolean controlling, boolean useCandidate) throws ProtocolException {
        byte[] key = "remote-password-22chars".getBytes(StandardCharsets.UTF_8);
        ByteBuf out = track(Unpooled.buffer());
        out.writeZero(13);
        out.readerIndex(13);
        StunMessageWriter.writeBindingRequest(out, TRANSACTION_ID, "rfrag:lfrag", 0xFFFF_FFFEL, controlling,
                0x8000_0000_0000_0001L, useCandidate, key);

        StunMessage m = StunMessage.parse(out);
        assertThat(m.isBindingRequest()).isTrue();
        assertThat(m.username()).isEqualTo("rfrag:lfrag");
        assertThat(m.priority()).isEqualTo(0xFFFF_FFFEL);
        assertThat(m.iceControlling()).isEqualTo(controlling);
        assertThat(m.iceControlled()).isEqualTo(!controlling);
        assertThat(m.tieBreaker()).isEqualTo(0x8000_0000_0000_0001L);
        assertThat(m.useCandidate()).isEqualTo(useCandidate);
        assertThat(m.verifyMessageIntegrity(key)).isTrue();
        assertThat(m.verifyFingerprint()).isTrue();
    }

    @ParameterizedTest(name = "{0} {1}")
    @org.junit.jupiter.params.provider.CsvSource({"400,Bad Request,false", "401,Unauthorized,false",
            "487,Role Conflict,true"})
    void bindingErrorRoundTrips(int code, String reason, boolean withIntegrity) throws ProtocolException {
        ByteBuf out = track(Unpooled.buffer());
        out.writeZero(2);
        out.readerIndex(2);
        StunMessageWriter.writeBindingError(out, TRANSACTION_ID, code, reason, withIntegrity ? PASSWORD : null);

        StunMessage m = StunMessage.parse(out);
        assertThat(m.isBindingError()).isTrue();
        assertThat(m.errorCode()).isEqualTo(code);
        assertThat(m.errorReason()).isEqualTo(reason);
        assertThat(m.hasMessageIntegrity()).isEqualTo(withIntegrity);
        assertThat(m.verifyMessageIntegrity(PASSWORD)).isEqualTo(withIntegrity);
        assertThat(m.verifyFingerprint()).isTrue();
    }

    static Stream<Arguments> truncations() {
        return Stream.of(SAMPLE_REQUEST, SAMPLE_IPV4_RESPONSE, SAMPLE_IPV6_RESPONSE)
                .flatMap(v -> IntStream.range(0, v.length).mapToObj(n -> Arguments.of(v.length, n, v)));
    }

    @ParameterizedTest(name = "{1} of {0} bytes")
    @MethodSource("truncations")
    void everyTruncationIsRejected(int total, int kept, byte[] vector) {
        ByteBuf buf = atOffset(java.util.Arrays.copyOf(vector, kept));
        assertThatThrownBy(() -> StunMessage.parse(buf)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void truncationInsideAnAttributeIsRejectedEvenWithAConsistentHeaderLength() {
        // Cut the request inside USERNAME (header at 60, value 64..73, padded to 76), header length patched.
        for (int kept = 64; kept < 76; kept += 4) {
            byte[] cut = java.util.Arrays.copyOf(SAMPLE_REQUEST, kept);
            cut[2] = 0;
            cut[3] = (byte) (kept - StunMessage.HEADER_LENGTH);
            ByteBuf buf = atOffset(cut);
            assertThatThrownBy(() -> StunMessage.parse(buf))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("overruns");
        }
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("leading bits set", patch(SAMPLE_REQUEST, 0, 0x40), "leading bits"),
                Arguments.of("wrong magic cookie", patch(SAMPLE_REQUEST, 4, 0x22), "cookie"),
                Arguments.of("length not a multiple of 4", patch(SAMPLE_REQUEST, 3, 0x57), "multiple of 4"),
                Arguments.of("PRIORITY of 3 bytes", patch(SAMPLE_REQUEST, 43, 0x03), "length 3"),
                Arguments.of("address family 3", patch(SAMPLE_IPV4_RESPONSE, 41, 0x03), "family"),
                Arguments.of("invalid UTF-8 username", patch(SAMPLE_REQUEST, 64, 0xC3), "UTF-8"),
                Arguments.of("attribute after FINGERPRINT", attributeAfterFingerprint(), "after FINGERPRINT"),
                Arguments.of("error class 7", errorWithClass(7), "ERROR-CODE"),
                Arguments.of("username of 516 bytes", longUsername(), "512"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedMessagesAreRejectedWithAReason(String name, byte[] message, String reason) {
        ByteBuf buf = atOffset(message);
        assertThatThrownBy(() -> StunMessage.parse(buf))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void aFlippedBitFailsIntegrityAndFingerprint() throws ProtocolException {
        // Byte 30 is inside SOFTWARE: still well-formed, no longer authentic.
        StunMessage m = StunMessage.parse(atOffset(patch(SAMPLE_REQUEST, 30, SAMPLE_REQUEST[30] ^ 0x01)));
        assertThat(m.verifyMessageIntegrity(PASSWORD)).isFalse();
        assertThat(m.verifyFingerprint()).isFalse();
    }

    @Test
    void attributesAfterMessageIntegrityOtherThanFingerprintAreIgnored() throws ProtocolException {
        ByteBuf out = track(Unpooled.buffer());
        int start = StunMessageWriter.beginMessage(out, StunMessage.BINDING_REQUEST, TRANSACTION_ID);
        StunMessageWriter.finishWithIntegrity(out, start, PASSWORD);
        StunMessageWriter.writeAttribute(out, StunAttribute.PRIORITY, hex("00 00 00 07"), (byte) 0);
        StunMessageWriter.patchLength(out, start);

        StunMessage m = StunMessage.parse(out);
        assertThat(m.priority()).isEqualTo(-1);
        assertThat(m.verifyMessageIntegrity(PASSWORD)).isTrue();
    }

    @Test
    void unknownComprehensionRequiredAttributesAreReported() throws ProtocolException {
        ByteBuf out = track(Unpooled.buffer());
        int start = StunMessageWriter.beginMessage(out, StunMessage.BINDING_REQUEST, TRANSACTION_ID);
        StunMessageWriter.writeAttribute(out, 0x7777, hex("01"), (byte) 0);
        StunMessageWriter.writeAttribute(out, 0xC057, hex("00 01 00 0a"), (byte) 0);
        StunMessageWriter.patchLength(out, start);

        assertThat(StunMessage.parse(out).unknownComprehensionRequired()).containsExactly(0x7777);
    }

    @Test
    void looksLikeStunTellsStunFromOtherFirstBytes() {
        assertThat(StunMessage.looksLikeStun(atOffset(SAMPLE_REQUEST))).isTrue();
        assertThat(StunMessage.looksLikeStun(atOffset(patch(SAMPLE_REQUEST, 0, 0x80)))).isFalse();
        assertThat(StunMessage.looksLikeStun(atOffset(patch(SAMPLE_REQUEST, 0, 0x16)))).isFalse();
        assertThat(StunMessage.looksLikeStun(atOffset(patch(SAMPLE_REQUEST, 5, 0x00)))).isFalse();
        assertThat(StunMessage.looksLikeStun(atOffset(java.util.Arrays.copyOf(SAMPLE_REQUEST, 19)))).isFalse();
    }

    @Test
    void writerRejectsBadArguments() {
        ByteBuf out = track(Unpooled.buffer());
        assertThatThrownBy(() -> StunMessageWriter.writeBindingSuccess(out, new byte[11], IPV4_MAPPED, PASSWORD))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StunMessageWriter.writeBindingError(out, TRANSACTION_ID, 700, "x", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StunMessageWriter.writeBindingRequest(out, TRANSACTION_ID, "a:b", 1L << 32,
                true, 0, false, PASSWORD)).isInstanceOf(IllegalArgumentException.class);
    }

    static byte[] patch(byte[] message, int index, int value) {
        byte[] copy = message.clone();
        copy[index] = (byte) value;
        return copy;
    }

    private static byte[] attributeAfterFingerprint() {
        byte[] m = java.util.Arrays.copyOf(SAMPLE_REQUEST, SAMPLE_REQUEST.length + 4);
        System.arraycopy(hex("00 25 00 00"), 0, m, SAMPLE_REQUEST.length, 4);
        m[3] = (byte) (m.length - StunMessage.HEADER_LENGTH);
        return m;
    }

    private static byte[] errorWithClass(int errorClass) {
        ByteBuf out = Unpooled.buffer();
        try {
            int start = StunMessageWriter.beginMessage(out, StunMessage.BINDING_ERROR, TRANSACTION_ID);
            StunMessageWriter.writeAttribute(out, StunAttribute.ERROR_CODE, new byte[] {0, 0, (byte) errorClass, 1},
                    (byte) 0);
            StunMessageWriter.patchLength(out, start);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    private static byte[] longUsername() {
        ByteBuf out = Unpooled.buffer();
        try {
            int start = StunMessageWriter.beginMessage(out, StunMessage.BINDING_REQUEST, TRANSACTION_ID);
            StunMessageWriter.writeAttribute(out, StunAttribute.USERNAME, "u".repeat(516).getBytes(StandardCharsets.UTF_8),
                    (byte) 0);
            StunMessageWriter.patchLength(out, start);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }
}
