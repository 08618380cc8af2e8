package io.relaymesh.node.rtmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtmp.amf.Amf0;
import io.relaymesh.node.rtmp.chunk.ChunkDecoder;
import io.relaymesh.node.rtmp.chunk.ChunkEncoder;
import io.relaymesh.node.rtmp.chunk.RtmpMessage;
import io.relaymesh.node.rtmp.handshake.HandshakeDigest;
import io.relaymesh.node.rtp.RtpPacket;
import io.relaymesh.node.token.Protocol;
import io.relaymesh.node.token.TokenService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A whole publisher session against one connection in memory: the handshake ffmpeg/OBS send, the command
 * sequence, then an H.264 keyframe, and the RTP that reaches the room.
 */
class RtmpConnectionTest {

    private final TokenService tokens = new TokenService(Secret.random(), Clock.systemUTC());
    private final List<String> published = new ArrayList<>();
    private final List<String> closedWith = new ArrayList<>();
    private final List<ByteBuf> rtp = new ArrayList<>();
    private final ChunkDecoder replies = new ChunkDecoder(ByteBufAllocator.DEFAULT, ChunkDecoder.Limits.DEFAULT);
    private final ChunkEncoder client = new ChunkEncoder();
    private final List<RtmpMessage> received = new ArrayList<>();
    private final List<RtmpConnection> ended = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private EmbeddedChannel channel;

    private final RoomPublisher publisher = (id, room, peer) -> {
        published.add(room + "/" + peer);
        return CompletableFuture.completedFuture(new RoomPublisher.Stream() {
            @Override
            public void send(int track, ByteBuf packet) {
                rtp.add(packet);
            }

            @Override
            public void warn(String code, String message) {
                warnings.add(code);
            }

            @Override
            public void close(String reason) {
                closedWith.add(reason);
            }
        });
    };

    @AfterEach
    void release() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
        rtp.forEach(ByteBuf::release);
        received.forEach(RtmpMessage::release);
        replies.release();
    }

    private void open(boolean digest) {
        RtmpServer.Context context = new RtmpServer.Context(tokens, publisher, ByteBufAllocator.DEFAULT,
                ChunkDecoder.Limits.DEFAULT, ended::add);
        channel = new EmbeddedChannel(new RtmpConnection("rtmp-test", context, new SplittableRandom(1)));
        SplittableRandom random = new SplittableRandom(digest ? 2 : 3);
        byte[] c0c1 = new byte[1 + HandshakeDigest.SIZE];
        random.nextBytes(c0c1);
        c0c1[0] = 3;
        byte[] c1 = Arrays.copyOfRange(c0c1, 1, c0c1.length);
        if (digest) {
            c1[4] = 9;
            c1[6] = 124;
            c1[7] = 2;
            HandshakeDigest.sign(c1, HandshakeDigest.BLOCK_BASES[1], HandshakeDigest.PLAYER_KEY,
                    HandshakeDigest.PLAYER_KEY_TEXT_LENGTH);
        } else {
            Arrays.fill(c1, 4, 8, (byte) 0);
        }
        System.arraycopy(c1, 0, c0c1, 1, c1.length);
        // C0 and C1 in two TCP segments, as a slow link delivers them
        channel.writeInbound(Unpooled.wrappedBuffer(c0c1, 0, 100));
        assertThat((Object) channel.readOutbound()).isNull();
        channel.writeInbound(Unpooled.wrappedBuffer(c0c1, 100, c0c1.length - 100));
        ByteBuf s0s1s2 = channel.readOutbound();
        try {
            assertThat(s0s1s2.readableBytes()).isEqualTo(1 + 2 * HandshakeDigest.SIZE);
            byte[] s1 = new byte[HandshakeDigest.SIZE];
            s0s1s2.getBytes(1, s1);
            if (digest) {
                assertThat(HandshakeDigest.findDigest(s1, HandshakeDigest.SERVER_KEY,
                        HandshakeDigest.SERVER_KEY_TEXT_LENGTH)).as("S1 digest an OBS-like client checks").isPositive();
            }
            channel.writeInbound(Unpooled.wrappedBuffer(s1)); // C2: ffmpeg echoes S1
        } finally {
            s0s1s2.release();
        }
    }

    private void send(int csid, int type, int streamId, long timestamp, ByteBuf payload) {
        ByteBuf wire = Unpooled.buffer();
        client.write(wire, csid, type, streamId, timestamp, payload);
        payload.release();
        channel.writeInbound(wire);
    }

    private void command(int streamId, Object... values) {
        ByteBuf payload = Unpooled.buffer();
        Amf0.encode(payload, values);
        send(3, RtmpMessage.COMMAND_AMF0, streamId, 0, payload);
    }

    /** The commands the server sent back, decoded; control messages are skipped. */
    private List<List<Object>> commands() throws ProtocolException {
        List<List<Object>> out = new ArrayList<>();
        for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
            try {
                replies.decode(b, received);
            } finally {
                b.release();
            }
        }
        for (RtmpMessage m : received) {
            if (m.typeId() == RtmpMessage.COMMAND_AMF0) {
                out.add(Amf0.decodeAll(m.payload().duplicate()));
            }
        }
        return out;
    }

    private static Object status(List<Object> command, String key) {
        return ((Map<?, ?>) command.get(3)).get(key);
    }

    private String token(String room) {
        return tokens.issue(Protocol.RTMP, room, Optional.of("obs"), Duration.ofMinutes(5));
    }

    @ParameterizedTest(name = "digest handshake: {0}")
    @ValueSource(booleans = {true, false})
    void aPublisherSessionReachesTheRoomAsRtp(boolean digest) throws ProtocolException {
        open(digest);
        command(0, "connect", 1.0, Map.of("app", "live", "type", "nonprivate", "tcUrl", "rtmp://h/live"));
        command(0, "releaseStream", 2.0, null, "key");
        command(0, "FCPublish", 3.0, null, "key");
        command(0, "createStream", 4.0, null);
        command(1, "publish", 5.0, null, token("stage"), "live");
        List<List<Object>> commands = commands();
        assertThat(commands.get(0)).startsWith("_result", 1.0);
        assertThat(status(commands.get(0), "code")).isEqualTo("NetConnection.Connect.Success");
        assertThat(commands.get(3)).containsExactly("_result", 4.0, Amf0.Marker.NULL, 1.0);
        assertThat(commands.get(4).get(0)).isEqualTo("onStatus");
        assertThat(status(commands.get(4), "code")).isEqualTo("NetStream.Publish.Start");
        assertThat(published).containsExactly("stage/obs");

        // OBS's sequence header, then a keyframe with one IDR NAL unit of 3000 bytes
        send(6, RtmpMessage.VIDEO, 1, 0, Unpooled.wrappedBuffer(HexFormat.of().parseHex(
                "1700000000" + "0142c01fffe10009" + "6742c01fd9005005b2" + "010004" + "68cb83cb")));
        ByteBuf frame = Unpooled.buffer();
        frame.writeBytes(HexFormat.of().parseHex("1701000000" + "00000bb8" + "65"));
        frame.writeZero(2999);
        send(6, RtmpMessage.VIDEO, 1, 1000, frame);
        assertThat(rtp).hasSizeGreaterThanOrEqualTo(4); // STAP-A + 3 FU-A fragments
        RtpPacket first = new RtpPacket().wrap(rtp.get(0));
        assertThat(first.payloadType()).isEqualTo(RtmpPublication.H264_PAYLOAD_TYPE);
        assertThat(rtp.get(0).getUnsignedByte(first.payloadOffset()) & 0x1F).as("STAP-A").isEqualTo(24);
        RtpPacket last = new RtpPacket().wrap(rtp.get(rtp.size() - 1));
        assertThat(last.marker()).isTrue();
        assertThat(warnings).as("no composition offsets yet").isEmpty();

        // Two delta frames with a 33 ms composition time offset: B-frames, accepted with one warning.
        for (int i = 0; i < 2; i++) {
            send(6, RtmpMessage.VIDEO, 1, 1033 + 33 * i, Unpooled.wrappedBuffer(HexFormat.of().parseHex(
                    "2701000021" + "00000005" + "4100000000")));
        }
        assertThat(warnings).containsExactly(RtmpPublication.B_FRAMES_WARNING);

        command(0, "FCUnpublish", 6.0, null, "key");
        command(0, "deleteStream", 7.0, null, 1.0);
        assertThat(closedWith).containsExactly("rtmp FCUnpublish");
        channel.close();
        assertThat(ended).hasSize(1);
    }

    @Test
    void aTokenForAnotherProtocolIsRefusedWithAnErrorStatusAndTheConnectionCloses() throws ProtocolException {
        open(true);
        command(0, "connect", 1.0, Map.of("app", "live"));
        command(0, "createStream", 2.0, null);
        command(1, "publish", 3.0, null, tokens.issue(Protocol.WHIP, "stage", Optional.empty(), Duration.ofMinutes(1)),
                "live");
        List<List<Object>> commands = commands();
        List<Object> refusal = commands.get(commands.size() - 1);
        assertThat(refusal.get(0)).isEqualTo("onStatus");
        assertThat(status(refusal, "level")).isEqualTo("error");
        assertThat((String) status(refusal, "description")).contains("token is for whip, not rtmp");
        assertThat(channel.isOpen()).isFalse();
        assertThat(published).isEmpty();
    }

    @Test
    void anUnknownApplicationIsRejectedAtConnect() throws ProtocolException {
        open(false);
        command(0, "connect", 1.0, Map.of("app", "vod"));
        List<List<Object>> commands = commands();
        assertThat(commands.get(0).get(0)).isEqualTo("_error");
        assertThat(status(commands.get(0), "code")).isEqualTo("NetConnection.Connect.Rejected");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void garbageAfterTheHandshakeClosesTheConnectionAndEndsThePublication() {
        open(true);
        command(0, "connect", 1.0, Map.of("app", "live"));
        command(0, "createStream", 2.0, null);
        command(1, "publish", 3.0, null, token("stage"), "live");
        send(6, RtmpMessage.VIDEO, 1, 0, Unpooled.wrappedBuffer(HexFormat.of().parseHex("17000000000142")));
        assertThat(channel.isOpen()).isFalse();
        assertThat(closedWith).singleElement().asString().contains("AVC configuration record truncated");
    }

    @Test
    void anRtmpeHandshakeIsRefused() {
        RtmpServer.Context context = new RtmpServer.Context(tokens, publisher, ByteBufAllocator.DEFAULT,
                ChunkDecoder.Limits.DEFAULT, ended::add);
        channel = new EmbeddedChannel(new RtmpConnection("rtmp-test", context, new SplittableRandom(1)));
        byte[] c0c1 = new byte[1 + HandshakeDigest.SIZE];
        c0c1[0] = 6;
        channel.writeInbound(Unpooled.wrappedBuffer(c0c1));
        assertThat(channel.isOpen()).isFalse();
    }
}
