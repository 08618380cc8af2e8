package io.relaymesh.node.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.sfu.Cascade.TrackDescription;
import io.relaymesh.node.sfu.MediaKind;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The relay control messages: round trips from a non-zero offset, and every truncation rejected with a reason. */
class RelayControlMessagesTest {

    private static final TrackDescription VIDEO = new TrackDescription("stage", "rtmp-1:0", "obs", MediaKind.VIDEO,
            "H264", 90_000, 96);
    private static final TrackDescription AUDIO = new TrackDescription("stage", "whip-7:1", "alice", MediaKind.AUDIO,
            "OPUS", 48_000, 111);

    private static final InetSocketAddress RELAY = new InetSocketAddress(loopback(), 7947);

    private static InetAddress loopback() {
        return InetAddress.getLoopbackAddress();
    }

    /** Encodes after 7 bytes of junk, so offsets are not accidentally zero. */
    private static ByteBuf atOffset(int length, Consumer<ByteBuf> writer) {
        ByteBuf buf = Unpooled.buffer(7 + length);
        buf.writeZero(7);
        buf.readerIndex(7);
        writer.accept(buf);
        assertThat(buf.readableBytes()).isEqualTo(length);
        return buf;
    }

    @Test
    void anAnnouncementRoundTripsForIpv4AndIpv6() throws Exception {
        for (InetAddress ip : List.of(InetAddress.getByName("10.0.0.5"), InetAddress.getByName("fd00::5"))) {
            TrackAnnouncement a = new TrackAnnouncement(0x0123_4567_89AB_CDEFL, new InetSocketAddress(ip, 7947),
                    List.of(VIDEO, AUDIO));
            ByteBuf buf = atOffset(a.encodedLength(), a::writeTo);
            assertThat(TrackAnnouncement.parse(buf)).isEqualTo(a);
            assertThat(buf.isReadable()).isFalse();
        }
        TrackAnnouncement empty = new TrackAnnouncement(5, RELAY, List.of());
        assertThat(TrackAnnouncement.parse(atOffset(empty.encodedLength(), empty::writeTo))).isEqualTo(empty);
    }

    @Test
    void aSubscribeRoundTripsForIpv4AndIpv6() throws Exception {
        for (InetAddress ip : List.of(InetAddress.getByName("10.0.0.5"), InetAddress.getByName("fd00::5"))) {
            for (int demand : new int[] {0, 0b001, 0b101, 0b111}) {
                Subscribe s = new Subscribe(0x0000_1001, 42, 0x77, -7, demand, new InetSocketAddress(ip, 7947),
                        "stage", "rtmp-1:0");
                ByteBuf buf = atOffset(s.encodedLength(), s::writeTo);
                assertThat(Subscribe.parse(buf)).isEqualTo(s);
            }
        }
    }

    @Test
    void aSubscribeCarriesItsDemandAfterThePublisherBoot() throws Exception {
        Subscribe s = new Subscribe(0x0000_1001, 1, 2, 3, 0b101, new InetSocketAddress(loopback(), 7947), "r", "t");
        ByteBuf buf = atOffset(s.encodedLength(), s::writeTo);
        assertThat((int) buf.getUnsignedByte(buf.readerIndex() + 1 + 4 + 8 + 8 + 8)).as("demand: layers 0 and 2")
                .isEqualTo(0b101);
    }

    @ParameterizedTest
    @ValueSource(ints = {RelayMessageType.UNSUBSCRIBE, RelayMessageType.ENDED})
    void channelSignalsRoundTrip(int type) throws Exception {
        ChannelSignal s = ChannelSignal.of(type, 0x3AFE_0001);
        ByteBuf buf = atOffset(5, s::writeTo);
        assertThat(ChannelSignal.parse(buf)).isEqualTo(s);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void aKeyframeRequestNamesItsLayer(int layer) throws Exception {
        ChannelSignal s = ChannelSignal.keyframe(0x1001, layer);
        ByteBuf buf = atOffset(6, s::writeTo);
        int at = buf.readerIndex();
        assertThat((int) buf.getUnsignedByte(at)).as("type").isEqualTo(RelayMessageType.KEYFRAME);
        assertThat(buf.getInt(at + 1)).as("channel").isEqualTo(0x1001);
        assertThat((int) buf.getUnsignedByte(at + 5)).as("layer").isEqualTo(layer);
        assertThat(ChannelSignal.parse(buf)).isEqualTo(s);
    }

    @ParameterizedTest
    @ValueSource(ints = {0b001, 0b011, 0b111, 0b100})
    void anAliveSaysWhichLayersTheTrackHas(int layers) throws Exception {
        ChannelSignal s = ChannelSignal.alive(0x1001, layers);
        ByteBuf buf = atOffset(6, s::writeTo);
        assertThat((int) buf.getUnsignedByte(buf.readerIndex() + 5)).as("layers").isEqualTo(layers);
        ChannelSignal parsed = ChannelSignal.parse(buf);
        assertThat(parsed).isEqualTo(s);
        assertThat(parsed.layers()).isEqualTo(layers);
    }

    @Test
    void aNackRoundTripsItsLayerAndSequenceNumbers() throws Exception {
        ChannelSignal s = ChannelSignal.nack(0x1001, 2, new int[] {65535, 0, 17, 99}, 3);
        ByteBuf buf = atOffset(5 + 1 + 1 + 6, s::writeTo);
        int at = buf.readerIndex();
        assertThat((int) buf.getUnsignedByte(at + 5)).as("layer").isEqualTo(2);
        assertThat((int) buf.getUnsignedByte(at + 6)).as("count").isEqualTo(3);
        assertThat(buf.getUnsignedShort(at + 7)).as("first sequence number").isEqualTo(65535);
        ChannelSignal parsed = ChannelSignal.parse(buf);
        assertThat(parsed).isEqualTo(s);
        assertThat(parsed.layer()).isEqualTo(2);
        assertThat(parsed.seqs()).containsExactly(65535, 0, 17);
    }

    /** Every message cut short at every length is rejected with a ProtocolException, never IndexOutOfBounds. */
    @Test
    void everyTruncationIsRejected() {
        List<ByteBuf> whole = new ArrayList<>();
        TrackAnnouncement a = new TrackAnnouncement(1, RELAY, List.of(VIDEO));
        whole.add(atOffset(a.encodedLength(), a::writeTo));
        Subscribe s = new Subscribe(5, 1, 3, 2, 0b011, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), "r",
                "t");
        whole.add(atOffset(s.encodedLength(), s::writeTo));
        ChannelSignal n = ChannelSignal.nack(5, 1, new int[] {1, 2}, 2);
        whole.add(atOffset(n.encodedLength(), n::writeTo));
        ChannelSignal k = ChannelSignal.keyframe(5, 2);
        whole.add(atOffset(k.encodedLength(), k::writeTo));
        ChannelSignal alive = ChannelSignal.alive(5, 0b111);
        whole.add(atOffset(alive.encodedLength(), alive::writeTo));
        for (ByteBuf message : whole) {
            for (int length = 0; length < message.readableBytes(); length++) {
                ByteBuf cut = message.slice(message.readerIndex(), length);
                assertThatThrownBy(() -> parse(cut)).as("cut at %d", length).isInstanceOf(ProtocolException.class)
                        .hasMessageContaining("truncated");
            }
        }
    }

    private static Object parse(ByteBuf in) throws ProtocolException {
        if (!in.isReadable()) {
            throw new ProtocolException("truncated message: empty");
        }
        return switch (in.getUnsignedByte(in.readerIndex())) {
            case RelayMessageType.ANNOUNCE -> TrackAnnouncement.parse(in);
            case RelayMessageType.SUBSCRIBE -> Subscribe.parse(in);
            default -> ChannelSignal.parse(in);
        };
    }

    @Test
    void malformedFieldsAreRejectedWithAReason() {
        ByteBuf badKind = Unpooled.buffer().writeByte(RelayMessageType.ANNOUNCE).writeLong(1)
                .writeByte(4).writeInt(0x7F000001).writeShort(9).writeByte(1);
        for (String str : List.of("r", "t", "p")) {
            badKind.writeByte(1).writeByte(str.charAt(0));
        }
        badKind.writeByte(7);
        assertThatThrownBy(() -> TrackAnnouncement.parse(badKind)).hasMessageContaining("unknown kind 7");

        ByteBuf emptyString = Unpooled.buffer().writeByte(RelayMessageType.ANNOUNCE).writeLong(1)
                .writeByte(4).writeInt(0x7F000001).writeShort(9).writeByte(1)
                .writeByte(0);
        assertThatThrownBy(() -> TrackAnnouncement.parse(emptyString)).hasMessageContaining("room length 0");

        ByteBuf notUtf8 = Unpooled.buffer().writeByte(RelayMessageType.ANNOUNCE).writeLong(1)
                .writeByte(4).writeInt(0x7F000001).writeShort(9).writeByte(1)
                .writeByte(1).writeByte(0xFF);
        assertThatThrownBy(() -> TrackAnnouncement.parse(notUtf8)).hasMessageContaining("not UTF-8");

        ByteBuf portZero = Unpooled.buffer().writeByte(RelayMessageType.ANNOUNCE).writeLong(1)
                .writeByte(4).writeInt(0x7F000001).writeShort(0).writeByte(0);
        assertThatThrownBy(() -> TrackAnnouncement.parse(portZero)).hasMessageContaining("relay port 0");

        ByteBuf family = Unpooled.buffer().writeByte(RelayMessageType.SUBSCRIBE).writeInt(1).writeLong(1).writeLong(2)
                .writeLong(3).writeByte(0).writeByte(5).writeZero(8);
        assertThatThrownBy(() -> Subscribe.parse(family)).hasMessageContaining("unknown address family 5");

        ByteBuf tooManyNacks = Unpooled.buffer().writeByte(RelayMessageType.NACK).writeInt(1).writeByte(0)
                .writeByte(65);
        assertThatThrownBy(() -> ChannelSignal.parse(tooManyNacks)).hasMessageContaining("NACK count 65");

        ByteBuf trailing = Unpooled.buffer().writeByte(RelayMessageType.KEYFRAME).writeInt(1).writeByte(0).writeByte(0);
        assertThatThrownBy(() -> ChannelSignal.parse(trailing)).hasMessageContaining("1 trailing bytes");
        ByteBuf trailingEnded = Unpooled.buffer().writeByte(RelayMessageType.ENDED).writeInt(1).writeByte(0);
        assertThatThrownBy(() -> ChannelSignal.parse(trailingEnded)).hasMessageContaining("1 trailing bytes");

        ByteBuf unknown = Unpooled.buffer().writeByte(99).writeInt(1);
        assertThatThrownBy(() -> ChannelSignal.parse(unknown)).hasMessageContaining("type 99");
    }

    @Test
    void layerFieldsOutsideWhatATrackCanHaveAreRejectedWithAReason() {
        ByteBuf keyframeLayer3 = Unpooled.buffer().writeByte(RelayMessageType.KEYFRAME).writeInt(1).writeByte(3);
        assertThatThrownBy(() -> ChannelSignal.parse(keyframeLayer3)).hasMessageContaining("layer 3 above 2");

        ByteBuf nackLayer200 = Unpooled.buffer().writeByte(RelayMessageType.NACK).writeInt(1).writeByte(200)
                .writeByte(1).writeShort(7);
        assertThatThrownBy(() -> ChannelSignal.parse(nackLayer200)).hasMessageContaining("layer 200 above 2");

        for (int layers : new int[] {0, 8, 0xFF}) {
            ByteBuf alive = Unpooled.buffer().writeByte(RelayMessageType.ALIVE).writeInt(1).writeByte(layers);
            assertThatThrownBy(() -> ChannelSignal.parse(alive)).as("layers %x", layers)
                    .hasMessageContaining("layers 0x" + Integer.toHexString(layers) + " outside 0x1..0x7");
        }

        ByteBuf layerBitsInChannel = Unpooled.buffer().writeByte(RelayMessageType.UNSUBSCRIBE).writeInt(0x4000_0001);
        assertThatThrownBy(() -> ChannelSignal.parse(layerBitsInChannel))
                .hasMessageContaining("channel 40000001 uses the layer bits");

        Subscribe s = new Subscribe(5, 1, 3, 2, 0b001, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), "r",
                "t");
        ByteBuf unknownDemand = atOffset(s.encodedLength(), s::writeTo);
        unknownDemand.setByte(unknownDemand.readerIndex() + 29, 0b1001);
        assertThatThrownBy(() -> Subscribe.parse(unknownDemand)).hasMessageContaining("demand 0x9 names unknown layers");

        ByteBuf subscribeLayerBits = atOffset(s.encodedLength(), s::writeTo);
        subscribeLayerBits.setInt(subscribeLayerBits.readerIndex() + 1, 0x8000_0005);
        assertThatThrownBy(() -> Subscribe.parse(subscribeLayerBits))
                .hasMessageContaining("channel 80000005 uses the layer bits");
    }

    @Test
    void manyTracksAreSplitIntoAnnouncementsThatFitADatagram() {
        List<TrackDescription> tracks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            tracks.add(new TrackDescription("room-" + "x".repeat(60), "session-" + i + ":0", "peer-" + "y".repeat(40),
                    MediaKind.VIDEO, "VP8", 90_000, 96));
        }
        List<TrackAnnouncement> parts = TrackAnnouncement.split(3, RELAY, tracks);
        assertThat(parts).hasSizeGreaterThan(1);
        assertThat(parts).allSatisfy(p -> assertThat(p.encodedLength()).isLessThanOrEqualTo(TrackAnnouncement.MAX_LENGTH));
        assertThat(parts.stream().flatMap(p -> p.tracks().stream()).toList()).isEqualTo(tracks);
    }
}
