package io.relaymesh.node.sfu;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.sdp.Answer;
import io.relaymesh.node.sdp.CodecPolicy;
import io.relaymesh.node.sdp.NegotiatedSession;
import io.relaymesh.node.sdp.SessionDescription;
import io.relaymesh.node.transport.CongestionControl;
import io.relaymesh.node.transport.IceCredentials;
import io.relaymesh.node.transport.MediaHandler;
import io.relaymesh.node.transport.PeerConnection;
import io.relaymesh.node.transport.WebRtcTransport;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * Test support (public so the browser harnesses of {@code e2e} can use it, as {@link SinkViewer}): a WHEP viewer
 * session negotiated and wired as {@link SfuSignaling#open} wires one, except that its connection's handler first
 * lends every decrypted RTCP compound the browser sends to a {@link RtcpTap}. This is how the real transport-cc
 * feedback of a browser is captured without a hook in production code: the node's own classes do everything else.
 */
public final class TappedViewer {

    /** Sees each decrypted RTCP compound from the viewer, on the event loop, before the SFU reads it. */
    @FunctionalInterface
    public interface RtcpTap {
        /**
         * @param compound the plain compound (readable region); lent, neither kept nor released
         * @param nowNanos the transport's clock when it arrived
         */
        void onRtcp(ByteBuf compound, long nowNanos);
    }

    private TappedViewer() {
    }

    /**
     * Answers {@code offerSdp} for a viewer of {@code room} and adds the session to the SFU (on its event loop).
     *
     * @param candidates the host candidates the answer advertises (a relay in front of the node's port, say)
     * @return the answer SDP, once the session accepts connectivity checks
     */
    public static CompletableFuture<String> open(Sfu sfu, String fingerprintSha256, List<InetSocketAddress> candidates,
                                                 CodecPolicy codecs, String room, String offerSdp,
                                                 RandomGenerator random, RtcpTap tap) throws ProtocolException {
        WebRtcTransport transport = sfu.transport();
        IceCredentials local = IceCredentials.random(random);
        String sessionId = "tapped-" + Integer.toHexString(random.nextInt());
        Answer answer = SfuSignaling.answer(Signaling.SessionKind.PLAY, SessionDescription.parse(offerSdp), local,
                fingerprintSha256, candidates, codecs, sfu.cname(), room, sessionId, random);
        NegotiatedSession negotiated = answer.session();
        IceCredentials remote = new IceCredentials(negotiated.remoteIceUfrag(), negotiated.remoteIcePwd());
        List<MediaSpec> media = SfuSignaling.mediaSpecs(negotiated);
        int rtcpSsrc = (int) SfuSignaling.randomSsrc(random);
        CompletableFuture<String> done = new CompletableFuture<>();
        transport.execute(() -> {
            try {
                Subscriber subscriber = new Subscriber(sfu, sessionId, sfu.room(room), sessionId, rtcpSsrc);
                PeerConnection connection = new PeerConnection(sessionId, local, remote,
                        negotiated.remoteFingerprint().algorithm(), negotiated.remoteFingerprint().value(),
                        new Tapped(subscriber, tap, transport), transport.nanoTime());
                connection.useCongestionControl(CongestionControl.from(negotiated, rtcpSsrc));
                subscriber.bind(connection);
                subscriber.open(transport.nanoTime());
                SfuSignaling.addDownTracks(subscriber, negotiated, media, random, transport.allocator());
                transport.add(connection);
                sfu.register(subscriber);
                done.complete(answer.sdp());
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** The subscriber's handler with the tap in front of its RTCP. */
    private record Tapped(Subscriber subscriber, RtcpTap tap, WebRtcTransport transport) implements MediaHandler {

        @Override
        public void onSecure(PeerConnection connection) {
            subscriber.onSecure(connection);
        }

        @Override
        public void onRtp(PeerConnection connection, ByteBuf packet) {
            subscriber.onRtp(connection, packet);
        }

        @Override
        public void onRtcp(PeerConnection connection, ByteBuf packet) {
            tap.onRtcp(packet, transport.nanoTime());
            subscriber.onRtcp(connection, packet);
        }

        @Override
        public void onClosed(PeerConnection connection, String reason) {
            subscriber.onClosed(connection, reason);
        }
    }
}
