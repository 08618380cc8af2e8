package io.relaymesh.node.sfu;

import io.netty.buffer.ByteBufAllocator;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.sdp.Answer;
import io.relaymesh.node.sdp.AnswerBuilder;
import io.relaymesh.node.sdp.AnswerOptions;
import io.relaymesh.node.sdp.CodecPolicy;
import io.relaymesh.node.sdp.HostCandidates;
import io.relaymesh.node.sdp.Direction;
import io.relaymesh.node.sdp.MediaDescription;
import io.relaymesh.node.sdp.NegotiatedCodec;
import io.relaymesh.node.sdp.NegotiatedMedia;
import io.relaymesh.node.sdp.NegotiatedSession;
import io.relaymesh.node.sdp.OutgoingStream;
import io.relaymesh.node.sdp.SessionDescription;
import io.relaymesh.node.sdp.TrickleFragment;
import io.relaymesh.node.token.TokenClaims;
import io.relaymesh.node.transport.IceCredentials;
import io.relaymesh.node.transport.CongestionControl;
import io.relaymesh.node.transport.PeerConnection;
import io.relaymesh.node.transport.WebRtcTransport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns WHIP/WHEP offers into SFU sessions: negotiates the answer (ICE-lite, DTLS passive, the codecs the node
 * forwards), creates the {@link PeerConnection} and its publisher or subscriber, and keeps the public view of
 * each session for HTTP. Offer parsing and negotiation run on the caller's thread; everything that touches
 * rooms runs on the event loop.
 */
public final class SfuSignaling implements Signaling {

    private static final Logger LOG = LoggerFactory.getLogger(SfuSignaling.class);

    private final Sfu sfu;
    private final WebRtcTransport transport;
    private final String fingerprintSha256;
    private final List<InetSocketAddress> candidates;
    private final CodecPolicy codecs;
    private final RandomGenerator random;
    private final Map<String, Entry> sessions = new ConcurrentHashMap<>();

    /** A live session; {@code subscriber} is null for a publisher. */
    private record Entry(SessionView view, PeerConnection connection, Subscriber subscriber) {
    }

    /**
     * @param fingerprintSha256 the node's DTLS certificate fingerprint
     * @param candidates        the node's host candidates (advertised addresses on the WebRTC port)
     * @param codecs            codecs the node accepts (narrowed in tests to force one video codec)
     * @param random            a cryptographic source: ICE credentials and session ids come from it
     */
    public SfuSignaling(Sfu sfu, String fingerprintSha256, List<InetSocketAddress> candidates, CodecPolicy codecs,
                        RandomGenerator random) {
        this.sfu = sfu;
        this.transport = sfu.transport();
        this.fingerprintSha256 = fingerprintSha256;
        this.candidates = List.copyOf(candidates);
        this.codecs = codecs;
        this.random = random;
        sfu.onSessionClosed((id, reason) -> {
            Entry gone = sessions.remove(id);
            if (gone != null) {
                LOG.info("session {} ({} in room {}) ended: {}", id, gone.view().kind(), gone.view().room(), reason);
            }
        });
    }

    @Override
    public CompletionStage<SessionAnswer> open(SessionKind kind, TokenClaims claims, String offerSdp)
            throws ProtocolException {
        SessionDescription offer = SessionDescription.parse(offerSdp);
        IceCredentials local = IceCredentials.random(random);
        String sessionId = randomId();
        Answer answer = answer(kind, offer, local, fingerprintSha256, candidates, codecs, sfu.cname(), claims.room(),
                sessionId, random);
        NegotiatedSession negotiated = answer.session();
        IceCredentials remote;
        try {
            remote = new IceCredentials(negotiated.remoteIceUfrag(), negotiated.remoteIcePwd());
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("offer's ICE credentials are invalid: " + e.getMessage());
        }
        List<MediaSpec> media = mediaSpecs(negotiated);
        if (media.isEmpty()) {
            throw new ProtocolException("offer has no audio or video section the node can serve");
        }
        String room = claims.room();
        String peer = claims.peer().orElse(sessionId);
        String etag = local.ufrag();
        SessionView view = new SessionView(sessionId, kind, room, etag);
        CompletableFuture<SessionAnswer> done = new CompletableFuture<>();
        transport.execute(() -> {
            try {
                Room r = sfu.room(room);
                SfuSession session;
                PeerConnection connection;
                Subscriber viewer = null;
                if (kind == SessionKind.PUBLISH) {
                    Publisher publisher = new Publisher(sfu, sessionId, r, peer, media, randomSsrc32());
                    connection = newConnection(sessionId, local, remote, negotiated, publisher);
                    publisher.open(transport.nanoTime());
                    session = publisher;
                } else {
                    Subscriber subscriber = new Subscriber(sfu, sessionId, r, peer, randomSsrc32());
                    connection = newConnection(sessionId, local, remote, negotiated, subscriber);
                    subscriber.bind(connection);
                    subscriber.open(transport.nanoTime());
                    addDownTracks(subscriber, negotiated, media, random, transport.allocator());
                    session = subscriber;
                    viewer = subscriber;
                }
                transport.add(connection);
                sfu.register(session);
                sessions.put(sessionId, new Entry(view, connection, viewer));
                done.complete(new SessionAnswer(sessionId, answer.sdp(), etag));
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    private PeerConnection newConnection(String id, IceCredentials local, IceCredentials remote,
                                         NegotiatedSession negotiated, io.relaymesh.node.transport.MediaHandler handler) {
        PeerConnection connection = new PeerConnection(id, local, remote, negotiated.remoteFingerprint().algorithm(),
                negotiated.remoteFingerprint().value(), handler, transport.nanoTime());
        connection.useCongestionControl(CongestionControl.from(negotiated, randomSsrc32()));
        return connection;
    }

    /**
     * The node's answer to {@code offer}: its ICE credentials, certificate fingerprint, candidates and codecs, and for
     * a viewer ({@link SessionKind#PLAY}) one outgoing stream (with an RTX SSRC for video) per audio or video section.
     * Shared with the test harnesses that wire a session as this class does.
     */
    static Answer answer(SessionKind kind, SessionDescription offer, IceCredentials local, String fingerprintSha256,
                         List<InetSocketAddress> candidates, CodecPolicy codecs, String cname, String room,
                         String sessionId, RandomGenerator random) throws ProtocolException {
        AnswerOptions.Builder options = AnswerOptions
                .builder(kind == SessionKind.PUBLISH ? Direction.RECV_ONLY : Direction.SEND_ONLY)
                .ice(local.ufrag(), local.pwd())
                .fingerprintSha256(fingerprintSha256)
                .hostCandidates(candidates)
                .codecs(codecs)
                .sessionId(random.nextLong() & Long.MAX_VALUE);
        if (kind == SessionKind.PLAY) {
            for (MediaDescription m : offer.media()) {
                if (m.mid().isPresent() && (m.kind() == io.relaymesh.node.sdp.MediaKind.AUDIO
                        || m.kind() == io.relaymesh.node.sdp.MediaKind.VIDEO)) {
                    boolean video = m.kind() == io.relaymesh.node.sdp.MediaKind.VIDEO;
                    options.outgoingStream(m.mid().get(), new OutgoingStream(randomSsrc(random),
                            video ? randomSsrc(random) : 0, cname, room, m.kind().sdpName() + "-" + sessionId));
                }
            }
        }
        return AnswerBuilder.answer(offer, options.build());
    }

    /** Gives a viewer one down track per negotiated outgoing stream (random initial sequence and timestamp). */
    static void addDownTracks(Subscriber subscriber, NegotiatedSession negotiated, List<MediaSpec> media,
                              RandomGenerator random, ByteBufAllocator allocator) {
        for (NegotiatedMedia m : negotiated.media()) {
            MediaSpec spec = find(media, m.mid());
            if (spec != null && m.outgoing().isPresent()) {
                OutgoingStream out = m.outgoing().get();
                subscriber.addDownTrack(new DownTrack(subscriber, spec, (int) out.ssrc(), (int) out.rtxSsrc(),
                        random.nextInt(1 << 16), random.nextInt(), allocator));
            }
        }
    }

    private static MediaSpec find(List<MediaSpec> media, String mid) {
        for (MediaSpec m : media) {
            if (m.mid().equals(mid)) {
                return m;
            }
        }
        return null;
    }

    /** The SFU's view of what was negotiated per media section. */
    static List<MediaSpec> mediaSpecs(NegotiatedSession negotiated) {
        List<MediaSpec> out = new ArrayList<>();
        for (NegotiatedMedia m : negotiated.media()) {
            MediaKind kind = switch (m.kind()) {
                case AUDIO -> MediaKind.AUDIO;
                case VIDEO -> MediaKind.VIDEO;
                default -> null;
            };
            if (kind == null) {
                continue;
            }
            List<CodecSpec> codecSpecs = new ArrayList<>();
            boolean nack = false;
            boolean pli = false;
            boolean fir = false;
            for (NegotiatedCodec c : m.codecs()) {
                if ("rtx".equalsIgnoreCase(c.name())) {
                    continue;
                }
                codecSpecs.add(new CodecSpec(c.payloadType(), MediaCodec.of(c.name()), c.clockRate(), c.rtxPayloadType()));
                nack |= c.rtcpFeedback().contains("nack");
                pli |= c.rtcpFeedback().contains("nack pli");
                fir |= c.rtcpFeedback().contains("ccm fir");
            }
            if (!codecSpecs.isEmpty()) {
                out.add(new MediaSpec(m.mid(), kind, List.copyOf(codecSpecs), Map.copyOf(m.extensions()), nack, pli, fir));
            }
        }
        return out;
    }

    @Override
    public Optional<SessionView> find(String sessionId) {
        Entry e = sessions.get(sessionId);
        return e == null ? Optional.empty() : Optional.of(e.view());
    }

    @Override
    public PatchOutcome patch(String sessionId, String sdpFragment) throws ProtocolException {
        Entry e = sessions.get(sessionId);
        if (e == null) {
            throw new ProtocolException("no such session");
        }
        TrickleFragment fragment = TrickleFragment.parse(sdpFragment);
        PeerConnection connection = e.connection();
        if (!fragment.isIceRestart(connection.remoteIce().ufrag(), connection.remoteIce().pwd())) {
            // ICE-lite learns the peer's addresses from its checks; trickled candidates need no action.
            return new PatchOutcome(Optional.empty(), e.view().etag());
        }
        IceCredentials remote;
        try {
            remote = new IceCredentials(fragment.effectiveUfrag().orElse(""), fragment.effectivePwd().orElse(""));
        } catch (IllegalArgumentException ex) {
            throw new ProtocolException("ICE restart fragment has invalid credentials: " + ex.getMessage());
        }
        IceCredentials fresh = IceCredentials.random(random);
        transport.restartIce(connection, fresh, remote).join();
        SessionView view = new SessionView(sessionId, e.view().kind(), e.view().room(), fresh.ufrag());
        sessions.put(sessionId, new Entry(view, connection, e.subscriber()));
        TrickleFragment.Section first = fragment.sections().isEmpty() ? null : fragment.sections().getFirst();
        String answerFragment = TrickleFragment.restartAnswer(fresh.ufrag(), fresh.pwd(),
                first == null ? "audio" : first.media(), first == null ? "0" : first.mid(),
                HostCandidates.of(candidates)).toString();
        return new PatchOutcome(Optional.of(answerFragment), fresh.ufrag());
    }

    @Override
    public CompletionStage<Optional<ViewerStats>> viewerStats(String sessionId) {
        Entry e = sessions.get(sessionId);
        if (e == null || e.subscriber() == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        CompletableFuture<Optional<ViewerStats>> done = new CompletableFuture<>();
        transport.execute(() -> done.complete(Optional.of(e.subscriber().stats(transport.nanoTime()))));
        return done;
    }

    @Override
    public CompletionStage<Boolean> preferences(String sessionId, LayerPreferences preferences) {
        Entry e = sessions.get(sessionId);
        if (e == null || e.subscriber() == null) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        transport.execute(() -> {
            e.subscriber().preferences(preferences.maxSpatial(), preferences.maxTemporal());
            done.complete(true);
        });
        return done;
    }

    @Override
    public boolean close(String sessionId) {
        Entry e = sessions.get(sessionId);
        if (e == null) {
            return false;
        }
        transport.close(e.connection(), "ended by the client (DELETE)");
        return true;
    }

    @Override
    public int sessionCount() {
        return sessions.size();
    }

    /** Closes every session (SIGTERM). */
    public void closeAll(String reason) {
        for (Entry e : sessions.values()) {
            transport.close(e.connection(), reason);
        }
    }

    private String randomId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private int randomSsrc32() {
        return (int) randomSsrc(random);
    }

    /** A random SSRC other than 0, as an unsigned 32-bit value. */
    static long randomSsrc(RandomGenerator random) {
        int ssrc;
        do {
            ssrc = random.nextInt();
        } while (ssrc == 0);
        return ssrc & 0xFFFFFFFFL;
    }
}
