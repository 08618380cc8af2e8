package io.relaymesh.node.sfu;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the SFU is doing, as counts: live sessions by protocol, live tracks by kind, and the feedback it handles
 * (NACKs, keyframe requests, retransmissions). Written on the event loop without locks or allocation, read by
 * metrics from any thread.
 */
public final class SfuCounters {

    /** Session protocols counted on their own; any other protocol counts as {@code other}. */
    public static final List<String> PROTOCOLS = List.of("whip", "whep", "rtmp", "sip", "other");

    /** Kinds of keyframe request (RFC 4585 PLI, RFC 5104 FIR). */
    public enum KeyframeRequest {
        PLI,
        FIR
    }

    private final LongAdder[] sessionsLive = adders(PROTOCOLS.size());
    private final LongAdder[] sessionsOpened = adders(PROTOCOLS.size());
    private final LongAdder[] tracksLive = adders(MediaKind.values().length);
    private final LongAdder[] tracksStarted = adders(MediaKind.values().length);
    private final LongAdder[] keyframeRequestsReceived = adders(KeyframeRequest.values().length);
    private final LongAdder[] keyframeRequestsSent = adders(KeyframeRequest.values().length);
    private final LongAdder nacksReceived = new LongAdder();
    private final LongAdder nacksSent = new LongAdder();
    private final LongAdder retransmitted = new LongAdder();
    private final LongAdder retransmissionsMissed = new LongAdder();

    private static LongAdder[] adders(int n) {
        LongAdder[] out = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            out[i] = new LongAdder();
        }
        return out;
    }

    private static int protocolIndex(String protocol) {
        int i = PROTOCOLS.indexOf(protocol);
        return i < 0 ? PROTOCOLS.size() - 1 : i;
    }

    /** Counts what {@code next} is told, then tells it. */
    SfuListener countingThen(SfuListener next) {
        return new SfuListener() {
            @Override
            public void sessionOpened(SessionInfo session) {
                int p = protocolIndex(session.protocol());
                sessionsLive[p].increment();
                sessionsOpened[p].increment();
                next.sessionOpened(session);
            }

            @Override
            public void sessionConnected(SessionInfo session, long setupMillis) {
                next.sessionConnected(session, setupMillis);
            }

            @Override
            public void sessionClosed(SessionInfo session, SessionSummary summary, String reason) {
                sessionsLive[protocolIndex(session.protocol())].decrement();
                next.sessionClosed(session, summary, reason);
            }

            @Override
            public void peerJoined(String room, String peer) {
                next.peerJoined(room, peer);
            }

            @Override
            public void peerLeft(String room, String peer) {
                next.peerLeft(room, peer);
            }

            @Override
            public void trackStarted(TrackInfo track) {
                tracksLive[track.kind().ordinal()].increment();
                tracksStarted[track.kind().ordinal()].increment();
                next.trackStarted(track);
            }

            @Override
            public void trackEnded(TrackInfo track) {
                tracksLive[track.kind().ordinal()].decrement();
                next.trackEnded(track);
            }
        };
    }

    void nackReceived() {
        nacksReceived.increment();
    }

    void nacksSent(int sequenceNumbers) {
        nacksSent.add(sequenceNumbers);
    }

    void keyframeRequestReceived(KeyframeRequest kind) {
        keyframeRequestsReceived[kind.ordinal()].increment();
    }

    void keyframeRequestSent(KeyframeRequest kind) {
        keyframeRequestsSent[kind.ordinal()].increment();
    }

    void retransmission(boolean sent) {
        (sent ? retransmitted : retransmissionsMissed).increment();
    }

    /** Sessions of {@code protocol} (one of {@link #PROTOCOLS}) open now, connected or not. */
    public long sessionsLive(String protocol) {
        return sessionsLive[protocolIndex(protocol)].sum();
    }

    /** Sessions of {@code protocol} opened since start. */
    public long sessionsOpened(String protocol) {
        return sessionsOpened[protocolIndex(protocol)].sum();
    }

    /** Published tracks of {@code kind} live now. */
    public long tracksLive(MediaKind kind) {
        return tracksLive[kind.ordinal()].sum();
    }

    /** Published tracks of {@code kind} started since start. */
    public long tracksStarted(MediaKind kind) {
        return tracksStarted[kind.ordinal()].sum();
    }

    /** Sequence numbers viewers asked to be retransmitted (generic NACK, RFC 4585). */
    public long nacksReceived() {
        return nacksReceived.sum();
    }

    /** Sequence numbers the node asked publishers to retransmit. */
    public long nacksSent() {
        return nacksSent.sum();
    }

    /** Keyframe requests of {@code kind} from viewers. */
    public long keyframeRequestsReceived(KeyframeRequest kind) {
        return keyframeRequestsReceived[kind.ordinal()].sum();
    }

    /** Keyframe requests of {@code kind} sent to publishers (at most one per track per 100 ms). */
    public long keyframeRequestsSent(KeyframeRequest kind) {
        return keyframeRequestsSent[kind.ordinal()].sum();
    }

    /** Packets resent to viewers from the retransmission cache. */
    public long retransmitted() {
        return retransmitted.sum();
    }

    /** NACKed packets that could not be resent (no longer, or never, in the cache). */
    public long retransmissionsMissed() {
        return retransmissionsMissed.sum();
    }
}
