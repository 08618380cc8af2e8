package io.relaymesh.node.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.ReadTimeoutException;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtmp.amf.Amf0;
import io.relaymesh.node.rtmp.chunk.ChunkDecoder;
import io.relaymesh.node.rtmp.chunk.ChunkEncoder;
import io.relaymesh.node.rtmp.chunk.RtmpMessage;
import io.relaymesh.node.rtmp.handshake.Handshake;
import io.relaymesh.node.token.Protocol;
import io.relaymesh.node.token.TokenClaims;
import io.relaymesh.node.token.TokenException;
import io.relaymesh.node.token.TokenService;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTMP client connection: handshake, chunk stream, NetConnection and NetStream commands, and the media of a
 * publication. Runs on the connection's event loop. Any protocol violation closes the connection with a log line
 * that names the reason; other connections carry on.
 *
 * <p>Command sequence of a publisher (ffmpeg, OBS): {@code connect} -> {@code releaseStream}, {@code FCPublish},
 * {@code createStream} -> {@code publish(key)} -> {@code @setDataFrame}, media ... -> {@code FCUnpublish},
 * {@code deleteStream}.
 */
final class RtmpConnection extends ByteToMessageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(RtmpConnection.class);

    /** Window we ask the client to acknowledge and the bandwidth we grant (bytes). */
    static final int WINDOW = 2_500_000;
    /** Chunk size the server sends with: replies are small, but fewer chunks are cheaper to parse. */
    static final int OUT_CHUNK_SIZE = 4096;
    /** Message streams one connection may create (a publisher needs one). */
    static final int MAX_STREAMS = 8;

    private enum State {
        AWAIT_C0_C1,
        AWAIT_C2,
        CHUNKS
    }

    private final String id;
    private final RtmpServer.Context server;
    private final ChunkDecoder chunks;
    private final ChunkEncoder encoder = new ChunkEncoder();
    private final RandomGenerator random;
    private final long startNanos = System.nanoTime();
    private final List<RtmpMessage> messages = new ArrayList<>();
    private State state = State.AWAIT_C0_C1;
    private ChannelHandlerContext ctx;
    private String app;
    private int streams;
    private long bytesIn;
    private long ackedAt;
    private long peerWindow;
    private Handshake.Kind handshake;
    // publication
    private volatile String room;
    private int publishStreamId;
    private RoomPublisher.Stream stream;
    private RtmpPublication publication;
    private boolean publishing;
    private String closeReason;

    RtmpConnection(String id, RtmpServer.Context server, RandomGenerator random) {
        this.id = id;
        this.server = server;
        this.random = random;
        this.chunks = new ChunkDecoder(server.allocator(), server.limits());
    }

    String id() {
        return id;
    }

    /** The room being published to, once the publish command was accepted. */
    Optional<String> room() {
        return Optional.ofNullable(room);
    }

    Optional<Handshake.Kind> handshake() {
        return Optional.ofNullable(handshake);
    }

    /** Ends the connection from outside (API, shutdown); any thread. */
    void close(String reason) {
        ChannelHandlerContext c = ctx;
        if (c != null) {
            c.executor().execute(() -> fail(reason, false));
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf b) {
            bytesIn += b.readableBytes();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (closeReason != null) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            switch (state) {
                case AWAIT_C0_C1 -> {
                    if (in.readableBytes() < Handshake.C0_C1_LENGTH) {
                        return;
                    }
                    Handshake.Reply reply = Handshake.respond(in, ctx.alloc(), random,
                            (int) ((System.nanoTime() - startNanos) / 1_000_000));
                    handshake = reply.kind();
                    ctx.writeAndFlush(reply.s0s1s2());
                    state = State.AWAIT_C2;
                }
                case AWAIT_C2 -> {
                    if (in.readableBytes() < Handshake.C2_LENGTH) {
                        return;
                    }
                    in.skipBytes(Handshake.C2_LENGTH);
                    state = State.CHUNKS;
                    LOG.debug("rtmp {}: {} handshake done", id, handshake);
                }
                case CHUNKS -> {
                    chunks.decode(in, messages);
                    for (int i = 0; i < messages.size(); i++) {
                        RtmpMessage m = messages.get(i);
                        try {
                            if (closeReason == null) {
                                onMessage(m);
                            }
                        } finally {
                            m.release();
                        }
                    }
                    messages.clear();
                    acknowledge();
                }
                default -> throw new IllegalStateException();
            }
        } catch (ProtocolException e) {
            for (RtmpMessage m : messages) {
                if (m.payload().refCnt() > 0) {
                    m.release();
                }
            }
            messages.clear();
            in.skipBytes(in.readableBytes());
            fail(e.getMessage(), true);
        }
    }

    private void onMessage(RtmpMessage m) throws ProtocolException {
        switch (m.typeId()) {
            case RtmpMessage.VIDEO -> {
                if (publishing && m.streamId() == publishStreamId) {
                    publication.onVideo(m);
                }
            }
            case RtmpMessage.AUDIO -> {
                if (publishing && m.streamId() == publishStreamId) {
                    publication.onAudio(m);
                }
            }
            case RtmpMessage.COMMAND_AMF0 -> onCommand(m, Amf0.decodeAll(m.payload()));
            case RtmpMessage.COMMAND_AMF3 -> {
                if (m.payload().isReadable()) {
                    m.payload().skipBytes(1); // format selector; the body is AMF0
                }
                onCommand(m, Amf0.decodeAll(m.payload()));
            }
            case RtmpMessage.DATA_AMF0 -> onData(Amf0.decodeAll(m.payload()));
            case RtmpMessage.WINDOW_ACK_SIZE -> {
                if (m.payload().readableBytes() < 4) {
                    throw new ProtocolException("Window Acknowledgement Size shorter than 4 bytes");
                }
                peerWindow = m.payload().getUnsignedInt(m.payload().readerIndex());
            }
            case RtmpMessage.ACKNOWLEDGEMENT, RtmpMessage.USER_CONTROL, RtmpMessage.SET_PEER_BANDWIDTH -> { }
            case RtmpMessage.AGGREGATE -> throw new ProtocolException("aggregate messages are not supported");
            default -> LOG.debug("rtmp {}: ignoring message type {}", id, m.typeId());
        }
    }

    private void onCommand(RtmpMessage m, List<Object> values) throws ProtocolException {
        if (values.size() < 2 || !(values.get(0) instanceof String name) || !(values.get(1) instanceof Double txn)) {
            throw new ProtocolException("command without a name and a transaction id");
        }
        switch (name) {
            case "connect" -> onConnect(txn, values.size() > 2 ? values.get(2) : null);
            case "releaseStream", "FCPublish", "FCUnpublish" -> {
                sendCommand(0, "_result", txn, null, Amf0.Marker.UNDEFINED);
                if ("FCUnpublish".equals(name)) {
                    unpublish("FCUnpublish");
                }
            }
            case "createStream" -> {
                if (streams >= MAX_STREAMS) {
                    throw new ProtocolException("more than " + MAX_STREAMS + " createStream calls");
                }
                streams++;
                sendCommand(0, "_result", txn, null, (double) streams);
            }
            case "publish" -> onPublish(m.streamId(), values);
            case "deleteStream", "closeStream" -> unpublish(name);
            case "play" -> {
                sendStatus(m.streamId(), "error", "NetStream.Play.Failed",
                        "relaymesh takes RTMP publishers only; play the room through WHEP");
                fail("client asked to play, which is not served", true);
            }
            default -> LOG.debug("rtmp {}: ignoring command {}", id, name);
        }
    }

    private void onConnect(double txn, Object commandObject) throws ProtocolException {
        if (!(commandObject instanceof Map<?, ?> properties) || !(properties.get("app") instanceof String a)) {
            throw new ProtocolException("connect without an app");
        }
        if (!StreamKey.servesApp(a)) {
            sendCommand(0, "_error", txn, null, status("error", "NetConnection.Connect.Rejected",
                    "unknown application '" + a + "': publish to rtmp://host:port/" + StreamKey.APP + "/<token>"));
            fail("connect to unknown application '" + a + "'", true);
            return;
        }
        app = a;
        send(ChunkEncoder.CONTROL_CHUNK_STREAM, RtmpMessage.WINDOW_ACK_SIZE, 0, u32(WINDOW));
        ByteBuf bandwidth = u32(WINDOW);
        bandwidth.writeByte(2); // dynamic
        send(ChunkEncoder.CONTROL_CHUNK_STREAM, RtmpMessage.SET_PEER_BANDWIDTH, 0, bandwidth);
        send(ChunkEncoder.CONTROL_CHUNK_STREAM, RtmpMessage.SET_CHUNK_SIZE, 0, u32(OUT_CHUNK_SIZE));
        encoder.chunkSize(OUT_CHUNK_SIZE);
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("fmsVer", "FMS/3,0,1,123");
        server.put("capabilities", 31.0);
        Map<String, Object> info = status("status", "NetConnection.Connect.Success", "Connection succeeded.");
        info.put("objectEncoding", 0.0);
        sendCommand(0, "_result", txn, server, info);
    }

    private void onPublish(int streamId, List<Object> values) {
        String name = values.size() > 3 && values.get(3) instanceof String s ? s : "";
        if (publishing || stream != null) {
            sendStatus(streamId, "error", "NetStream.Publish.BadName", "this connection already publishes");
            return;
        }
        Optional<String> token = StreamKey.token(app, name);
        TokenClaims claims;
        try {
            if (token.isEmpty()) {
                throw new TokenException(TokenException.Reason.MISSING,
                        "no stream key: publish to rtmp://host:port/live with a token minted for protocol rtmp as key");
            }
            claims = server.tokens().verifyFor(token.get(), Protocol.RTMP);
            if (!claims.publish()) {
                throw new TokenException(TokenException.Reason.NOT_ALLOWED, "token does not allow publishing");
            }
        } catch (TokenException e) {
            sendStatus(streamId, "error", "NetStream.Publish.BadName", "stream key refused: " + e.getMessage());
            fail("stream key refused: " + e.getMessage(), true);
            return;
        }
        String peer = claims.peer().orElse("rtmp-" + id.substring(Math.max(0, id.length() - 8)));
        publishStreamId = streamId;
        room = claims.room();
        server.publisher().publish(id, claims.room(), peer).whenComplete((s, failure) -> ctx.executor().execute(() -> {
            if (failure != null) {
                sendStatus(streamId, "error", "NetStream.Publish.Failed", "cannot publish: " + failure.getMessage());
                fail("cannot publish into room " + claims.room() + ": " + failure.getMessage(), true);
                return;
            }
            if (closeReason != null) {
                s.close(closeReason);
                return;
            }
            stream = s;
            publication = new RtmpPublication(id, ctx.alloc(), random, s);
            publishing = true;
            ByteBuf begin = ctx.alloc().buffer(6);
            begin.writeShort(0); // Stream Begin
            begin.writeInt(streamId);
            send(ChunkEncoder.CONTROL_CHUNK_STREAM, RtmpMessage.USER_CONTROL, 0, begin);
            sendStatus(streamId, "status", "NetStream.Publish.Start", "publishing into room " + claims.room());
            LOG.info("rtmp {} from {}: publishing into room {} as {} ({} handshake)", id, remote(), claims.room(),
                    peer, handshake);
        }));
    }

    private void onData(List<Object> values) {
        int at = 0;
        if (!values.isEmpty() && "@setDataFrame".equals(values.get(0))) {
            at = 1;
        }
        if (values.size() > at + 1 && "onMetaData".equals(values.get(at)) && values.get(at + 1) instanceof Map<?, ?> meta) {
            LOG.info("rtmp {}: metadata width={} height={} framerate={} videocodecid={} audiocodecid={} "
                    + "audiosamplerate={} stereo={} encoder={}", id, meta.get("width"), meta.get("height"),
                    meta.get("framerate"), meta.get("videocodecid"), meta.get("audiocodecid"),
                    meta.get("audiosamplerate"), meta.get("stereo"), meta.get("encoder"));
        }
    }

    private void unpublish(String why) {
        if (stream != null) {
            stream.close("rtmp " + why);
            LOG.info("rtmp {}: unpublished ({}) after {} video and {} audio frames", id, why,
                    publication.videoFrames(), publication.audioFrames());
        }
        stream = null;
        publication = null;
        publishing = false;
    }

    /** Sends an Acknowledgement each time the peer's window of bytes has arrived (section 5.4.3). */
    private void acknowledge() {
        if (peerWindow > 0 && bytesIn - ackedAt >= peerWindow) {
            ackedAt = bytesIn;
            send(ChunkEncoder.CONTROL_CHUNK_STREAM, RtmpMessage.ACKNOWLEDGEMENT, 0, u32((int) bytesIn));
        }
    }

    private void fail(String reason, boolean protocolError) {
        if (closeReason != null) {
            return;
        }
        closeReason = reason;
        if (protocolError) {
            LOG.warn("rtmp {} from {}: closing: {}", id, remote(), reason);
        } else {
            LOG.info("rtmp {} from {}: closing: {}", id, remote(), reason);
        }
        ctx.flush();
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (closeReason == null) {
            closeReason = "connection closed by the client";
            LOG.info("rtmp {} from {}: connection closed by the client", id, remote());
        }
        if (stream != null) {
            stream.close(closeReason);
            stream = null;
        }
        publishing = false;
        chunks.release();
        server.closed(this);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ReadTimeoutException) {
            fail("no data for " + RtmpServer.READ_TIMEOUT.toSeconds() + " s", true);
        } else if (cause instanceof java.io.IOException) {
            fail("connection error: " + cause.getMessage(), false);
        } else {
            LOG.warn("rtmp {}: unexpected error", id, cause);
            fail("internal error: " + cause, true);
        }
    }

    private SocketAddress remote() {
        return ctx.channel().remoteAddress();
    }

    private void sendStatus(int streamId, String level, String code, String description) {
        sendCommand(streamId, "onStatus", 0.0, null, status(level, code, description));
    }

    private static Map<String, Object> status(String level, String code, String description) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("level", level);
        info.put("code", code);
        info.put("description", description);
        return info;
    }

    private void sendCommand(int streamId, Object... values) {
        ByteBuf payload = ctx.alloc().buffer();
        Amf0.encode(payload, values);
        send(ChunkEncoder.COMMAND_CHUNK_STREAM, RtmpMessage.COMMAND_AMF0, streamId, payload);
    }

    private ByteBuf u32(int value) {
        ByteBuf b = ctx.alloc().buffer(5);
        b.writeInt(value);
        return b;
    }

    /** Chunks and writes one message; releases {@code payload}. */
    private void send(int csid, int type, int streamId, ByteBuf payload) {
        try {
            ByteBuf out = ctx.alloc().buffer(payload.readableBytes() + 32);
            encoder.write(out, csid, type, streamId, 0, payload);
            ctx.writeAndFlush(out);
        } finally {
            payload.release();
        }
    }
}
