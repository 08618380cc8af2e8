package io.relaymesh.node.cluster.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.config.Role;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.protocol.ProtocolException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterWireTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final Secret SECRET = Secret.of("wire-test-cluster-secret-0123456789abcdef");
    private static final int OFFSET = 7;

    static InetSocketAddress addr(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static NodeMetadata metadata(String zone, int index) {
        return new NodeMetadata(zone, index, EnumSet.of(Role.GATEWAY, Role.MEDIA), addr("10.1.2.3", 7946),
                Optional.of(addr("10.1.2.3", 8080)), Optional.of(addr("2001:db8::7", 40000)),
                new NodeLoad(550, 1000, 12, 200, 4_000_000_000L, 7), "0.3.0",
                new ZoneRtts(new java.util.TreeMap<>(java.util.Map.of("us-east", 81_250, "eu-central", 9_900))));
    }

    static MemberUpdate update(MemberState state) {
        return new MemberUpdate(state, 1_893_456_000_123L, metadata("eu-west", 65535));
    }

    /** A parser and a valid encoding of what it parses. */
    record Case(String name, byte[] encoding, Parser parser) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface Parser {
        Object parse(ByteBuf in) throws ProtocolException;
    }

    private static byte[] encode(int length, Consumer<ByteBuf> writer) {
        ByteBuf buf = Unpooled.buffer();
        try {
            writer.accept(buf);
            assertThat(buf.readableBytes()).as("encodedLength").isEqualTo(length);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    static Stream<Case> cases() {
        NodeLoad load = new NodeLoad(1, 2, 3, 4, 5, 6);
        NodeMetadata meta = metadata("z1", 3);
        ZoneRtts rtts = meta.zoneRtts();
        MemberUpdate u = update(MemberState.SUSPECT);
        Ping ping = new Ping(-5, List.of(u, update(MemberState.ALIVE)));
        Ack ack = new Ack(77, List.of());
        PingRequest req = new PingRequest(9, "z1-4", addr("10.0.0.4", 7946), List.of(u));
        Sync sync = new Sync(true, List.of(u, u, u));
        Gossip gossip = new Gossip(List.of(update(MemberState.DEAD)));
        return Stream.of(
                new Case("load", encode(load.encodedLength(), load::writeTo), NodeLoad::parse),
                new Case("metadata", encode(meta.encodedLength(), meta::writeTo), NodeMetadata::parse),
                new Case("zone rtts", encode(rtts.encodedLength(), rtts::writeTo), ZoneRtts::parse),
                new Case("update", encode(u.encodedLength(), u::writeTo), MemberUpdate::parse),
                new Case("ping", encode(ping.encodedLength(), ping::writeTo), Ping::parse),
                new Case("ack", encode(ack.encodedLength(), ack::writeTo), Ack::parse),
                new Case("ping request", encode(req.encodedLength(), req::writeTo), PingRequest::parse),
                new Case("sync", encode(sync.encodedLength(), sync::writeTo), Sync::parse),
                new Case("gossip", encode(gossip.encodedLength(), gossip::writeTo), Gossip::parse),
                new Case("envelope", datagram(MessageType.PING, 1, "z1-1", "z1-2", ping), Envelope::parse));
    }

    static byte[] datagram(MessageType type, long sequence, String sender, String destination, Ping body) {
        ClusterKey key = ClusterKey.derive(SECRET);
        ByteBuf buf = Unpooled.buffer();
        try {
            int lengthIndex = Envelope.begin(buf, type, sequence, sender, destination);
            body.writeTo(buf);
            Envelope.finish(buf, 0, lengthIndex, key);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyParserRoundTripsFromANonZeroOffset(Case c) throws ProtocolException {
        ByteBuf in = Unpooled.buffer();
        in.writeZero(OFFSET);
        in.writeBytes(c.encoding());
        in.skipBytes(OFFSET);
        try {
            Object parsed = c.parser().parse(in);
            assertThat(in.isReadable()).as("consumed exactly").isFalse();
            if (parsed instanceof Envelope env) {
                assertThat(env.start()).isEqualTo(OFFSET);
                assertThat(env.authenticatedBy(ClusterKey.derive(SECRET), in)).isTrue();
                Ping body = Ping.parse(env.body());
                assertThat(body.updates()).hasSize(2);
                return;
            }
            byte[] again = reencode(parsed);
            assertThat(HEX.formatHex(again)).isEqualTo(HEX.formatHex(c.encoding()));
        } finally {
            in.release();
        }
    }

    private static byte[] reencode(Object parsed) {
        return switch (parsed) {
            case NodeLoad v -> encode(v.encodedLength(), v::writeTo);
            case NodeMetadata v -> encode(v.encodedLength(), v::writeTo);
            case ZoneRtts v -> encode(v.encodedLength(), v::writeTo);
            case MemberUpdate v -> encode(v.encodedLength(), v::writeTo);
            case Ping v -> encode(v.encodedLength(), v::writeTo);
            case Ack v -> encode(v.encodedLength(), v::writeTo);
            case PingRequest v -> encode(v.encodedLength(), v::writeTo);
            case Sync v -> encode(v.encodedLength(), v::writeTo);
            case Gossip v -> encode(v.encodedLength(), v::writeTo);
            default -> throw new IllegalArgumentException(parsed.toString());
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyTruncationIsRejectedWithAReason(Case c) {
        for (int length = 0; length < c.encoding().length; length++) {
            ByteBuf in = Unpooled.wrappedBuffer(c.encoding(), 0, length);
            try {
                int cut = length;
                assertThatThrownBy(() -> c.parser().parse(in))
                        .as("%s cut to %d of %d bytes", c.name(), cut, c.encoding().length)
                        .isInstanceOf(ProtocolException.class)
                        .hasMessageContaining("truncated");
            } finally {
                in.release();
            }
        }
    }

    @Test
    void theEnvelopeHeaderHasTheDocumentedLayout() throws ProtocolException {
        byte[] bytes = datagram(MessageType.ACK, 0x0102030405060708L, "z1-1", "", new Ping(0x0A0B0C0D, List.of()));
        String hex = HEX.formatHex(bytes);
        assertThat(hex).startsWith(
                "524d"                   // magic "RM"
                + "02"                   // version
                + "03"                   // type ACK
                + "0102030405060708"     // sequence
                + "04" + "7a312d31"      // sender "z1-1"
                + "00"                   // destination: none
                + "0005"                 // body length
                + "0a0b0c0d" + "00");    // body: probe id, no updates
        assertThat(bytes).hasSize(12 + 5 + 1 + 2 + 5 + ClusterKey.TAG_LENGTH);
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        try {
            Envelope env = Envelope.parse(in);
            assertThat(env.type()).isEqualTo(MessageType.ACK);
            assertThat(env.sequence()).isEqualTo(0x0102030405060708L);
            assertThat(env.sender()).isEqualTo("z1-1");
            assertThat(env.destination()).isEmpty();
            assertThat(env.signedLength()).isEqualTo(bytes.length - ClusterKey.TAG_LENGTH);
        } finally {
            in.release();
        }
    }

    @Test
    void everySingleBitFlipIsRejectedByTheParserOrTheTag() {
        byte[] good = datagram(MessageType.PING, 42, "z1-1", "z1-2", new Ping(1, List.of(update(MemberState.ALIVE))));
        ClusterKey key = ClusterKey.derive(SECRET);
        for (int i = 0; i < good.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] forged = good.clone();
                forged[i] ^= (byte) (1 << bit);
                ByteBuf in = Unpooled.wrappedBuffer(forged);
                try {
                    Envelope env = Envelope.parse(in);
                    assertThat(env.authenticatedBy(key, in)).as("byte %d bit %d flipped", i, bit).isFalse();
                } catch (ProtocolException expected) {
                    // rejected before the tag check: also fine
                } finally {
                    in.release();
                }
            }
        }
    }

    @Test
    void anotherSecretsKeyDoesNotVerify() throws ProtocolException {
        byte[] bytes = datagram(MessageType.PING, 42, "z1-1", "z1-2", new Ping(1, List.of()));
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        try {
            Envelope env = Envelope.parse(in);
            assertThat(env.authenticatedBy(ClusterKey.derive(Secret.of("another-cluster-secret-0123456789abcdef")), in))
                    .isFalse();
            assertThat(env.authenticatedBy(ClusterKey.derive(SECRET), in)).isTrue();
        } finally {
            in.release();
        }
    }

    static Stream<Arguments> malformedEnvelopes() {
        byte[] good = datagram(MessageType.PING, 42, "z1-1", "z1-2", new Ping(1, List.of()));
        byte[] badMagic = good.clone();
        badMagic[0] = 0x16;
        byte[] badVersion = good.clone();
        badVersion[2] = 1; // the version before node metadata carried zone RTTs
        byte[] badType = good.clone();
        badType[3] = 99;
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
        byte[] oversize = new byte[Envelope.MAX_DATAGRAM + 1];
        System.arraycopy(good, 0, oversize, 0, good.length);
        byte[] emptySender = HEX.parseHex("524d0201" + "0000000000000001" + "00" + "00" + "0000"
                + "00".repeat(ClusterKey.TAG_LENGTH));
        byte[] badUtf8 = HEX.parseHex("524d0201" + "0000000000000001" + "02c328" + "00" + "0000"
                + "00".repeat(ClusterKey.TAG_LENGTH));
        byte[] longBody = HEX.parseHex("524d0201" + "0000000000000001" + "0161" + "00" + "ffff" + "00".repeat(40));
        return Stream.of(
                Arguments.of("bad magic", badMagic, "not a cluster message"),
                Arguments.of("bad version", badVersion, "version 1"),
                Arguments.of("unknown type", badType, "unknown cluster message type 99"),
                Arguments.of("trailing byte", trailing, "after the authentication tag"),
                Arguments.of("oversize", oversize, "exceeds 1400"),
                Arguments.of("empty sender", emptySender, "sender id length 0"),
                Arguments.of("sender not UTF-8", badUtf8, "not valid UTF-8"),
                Arguments.of("body longer than the datagram", longBody, "truncated body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedEnvelopes")
    void malformedEnvelopesAreRejectedWithAReason(String name, byte[] bytes, String reason) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        try {
            assertThatThrownBy(() -> Envelope.parse(in)).isInstanceOf(ProtocolException.class).hasMessageContaining(reason);
        } finally {
            in.release();
        }
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                Arguments.of("unknown member state", "05" + "00".repeat(8), (Parser) MemberUpdate::parse, "unknown member state 5"),
                Arguments.of("negative incarnation", "00" + "ff".repeat(8), (Parser) MemberUpdate::parse, "negative incarnation"),
                Arguments.of("cpu above 1000", "03e9" + "00".repeat(18), (Parser) NodeLoad::parse, "per mille above 1000"),
                Arguments.of("zone not a label", "02" + "2d2d", (Parser) NodeMetadata::parse, "not a DNS label"),
                Arguments.of("unknown role bit", "017a" + "0001" + "80", (Parser) NodeMetadata::parse, "unknown role bits"),
                Arguments.of("unknown address family", "017a" + "0001" + "01" + "05", (Parser) NodeMetadata::parse,
                        "unknown address family 5"),
                Arguments.of("no cluster address", "017a" + "0001" + "01" + "00", (Parser) NodeMetadata::parse,
                        "cluster address missing"),
                Arguments.of("port zero", "017a" + "0001" + "01" + "04" + "0a000001" + "0000", (Parser) NodeMetadata::parse,
                        "port 0"),
                Arguments.of("nine zone RTTs", "09", (Parser) ZoneRtts::parse, "9 zones, at most 8"),
                Arguments.of("zone RTT zone not a label", "01" + "01" + "2d" + "00000001", (Parser) ZoneRtts::parse,
                        "not a DNS label"),
                Arguments.of("zone RTT above 2^31", "01" + "01" + "61" + "80000000", (Parser) ZoneRtts::parse,
                        "zone RTT of 2147483648 us"),
                Arguments.of("zone named twice", "02" + "0161" + "00000001" + "0161" + "00000002", (Parser) ZoneRtts::parse,
                        "name a twice"),
                Arguments.of("ping with trailing bytes", "00000001" + "00" + "ff", (Parser) Ping::parse, "trailing"),
                Arguments.of("sync with unknown flags", "02" + "00", (Parser) Sync::parse, "unknown flags"),
                Arguments.of("app without channel", "01", (Parser) AppMessage::parse, "truncated app message channel"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void malformedBodiesAreRejectedWithAReason(String name, String hex, Parser parser, String reason) {
        ByteBuf in = Unpooled.wrappedBuffer(HEX.parseHex(hex));
        try {
            assertThatThrownBy(() -> parser.parse(in)).isInstanceOf(ProtocolException.class).hasMessageContaining(reason);
        } finally {
            in.release();
        }
    }

    @Test
    void appMessagesCarryTheirPayloadAsAView() throws ProtocolException {
        ByteBuf payload = Unpooled.copiedBuffer("hello relay", StandardCharsets.UTF_8);
        AppMessage m = new AppMessage(513, payload);
        byte[] bytes = encode(m.encodedLength(), m::writeTo);
        payload.release();
        assertThat(HEX.formatHex(bytes)).startsWith("0201");
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        try {
            AppMessage parsed = AppMessage.parse(in);
            assertThat(parsed.channel()).isEqualTo(513);
            assertThat(parsed.payload().toString(StandardCharsets.UTF_8)).isEqualTo("hello relay");
        } finally {
            in.release();
        }
    }

    @Test
    void metadataKnowsItsNodeIdAndRejectsWhatItCouldNotSend() {
        NodeMetadata m = metadata("eu-west", 12);
        assertThat(m.nodeId()).isEqualTo("eu-west-12");
        assertThat(m.roles()).isEqualTo(Set.of(Role.GATEWAY, Role.MEDIA));
        assertThatThrownBy(() -> new NodeMetadata("EU", 1, Set.of(), addr("10.0.0.1", 1), Optional.empty(),
                Optional.empty(), NodeLoad.IDLE, "")).hasMessageContaining("DNS label");
        assertThatThrownBy(() -> new NodeMetadata("eu", 1, Set.of(), InetSocketAddress.createUnresolved("x", 1),
                Optional.empty(), Optional.empty(), NodeLoad.IDLE, "")).hasMessageContaining("resolved IP");
        assertThatThrownBy(() -> new NodeLoad(1001, 0, 0, 0, 0, 0)).hasMessageContaining("cpuPermille");
    }

    /** RFC 5869 appendix A.1, test case 1. */
    @Test
    void hkdfMatchesRfc5869TestCase1() {
        byte[] okm = ClusterKey.hkdfSha256(HEX.parseHex("000102030405060708090a0b0c"),
                HEX.parseHex("0b".repeat(22)), HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42);
        assertThat(HEX.formatHex(okm)).isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                + "34007208d5b887185865");
    }

    /** RFC 5869 appendix A.3, test case 3: empty salt and info. */
    @Test
    void hkdfMatchesRfc5869TestCase3() {
        byte[] okm = ClusterKey.hkdfSha256(new byte[0], HEX.parseHex("0b".repeat(22)), new byte[0], 42);
        assertThat(HEX.formatHex(okm)).isEqualTo("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
                + "9d201395faa4b61a96c8");
    }
}
