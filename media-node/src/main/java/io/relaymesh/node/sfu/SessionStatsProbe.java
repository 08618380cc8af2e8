package io.relaymesh.node.sfu;

import io.relaymesh.node.transport.PeerConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A read-only snapshot of every live WebRTC session's counters, gathered on the media event loop (where the
 * sessions live) and handed back through a future, so callers on other threads never touch SFU state.
 */
public final class SessionStatsProbe {

    private final Sfu sfu;

    public SessionStatsProbe(Sfu sfu) {
        this.sfu = sfu;
    }

    /**
     * Cumulative figures of one session at the time of the snapshot.
     *
     * @param packetsExpected packets the publisher sent towards the node (from sequence numbers), -1 for viewers
     * @param packetsLost     of those, lost on the way in, -1 for viewers
     * @param jitterMillis    highest interarrival jitter among its tracks, -1 for viewers
     * @param roundTripMillis last measured round trip, -1 when none
     */
    public record SessionStats(String sessionId, String protocol, String room, String peer, long bytesIn,
                               long bytesOut, long packetsIn, long packetsOut, long packetsExpected,
                               long packetsLost, double jitterMillis, long roundTripMillis) {
    }

    /** Completes (on the event loop) with one entry per connected session. */
    public CompletableFuture<List<SessionStats>> snapshot() {
        CompletableFuture<List<SessionStats>> result = new CompletableFuture<>();
        sfu.transport().execute(() -> {
            try {
                result.complete(gather());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private List<SessionStats> gather() {
        List<SessionStats> out = new ArrayList<>();
        for (Map.Entry<String, Room> e : sfu.rooms().entrySet()) {
            String room = e.getKey();
            for (Publisher p : e.getValue().publishers()) {
                PeerConnection c = p.connection();
                if (c == null) {
                    continue;
                }
                long expected = 0;
                long lost = 0;
                double jitter = 0;
                for (PublishedTrack t : p.tracks()) {
                    ReceiveStatistics s = t.statistics();
                    if (!s.started()) {
                        continue;
                    }
                    expected += s.expected();
                    lost += Math.max(0, s.cumulativeLost());
                    jitter = Math.max(jitter, s.jitter() * 1000.0 / t.codec().clockRate());
                }
                out.add(new SessionStats(p.sessionId(), "whip", room, p.peer(), c.bytesIn(), c.bytesOut(),
                        c.packetsIn(), c.packetsOut(), expected, lost, jitter, -1));
            }
            for (Subscriber s : e.getValue().subscribers()) {
                PeerConnection c = s.connection();
                if (c == null) {
                    continue;
                }
                long rtt = s.roundTripNanos();
                out.add(new SessionStats(s.sessionId(), "whep", room, s.peer(), c.bytesIn(), c.bytesOut(),
                        c.packetsIn(), c.packetsOut(), -1, -1, -1, rtt < 0 ? -1 : rtt / 1_000_000));
            }
        }
        return out;
    }
}
