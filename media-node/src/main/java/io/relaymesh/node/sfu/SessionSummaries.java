package io.relaymesh.node.sfu;

import io.relaymesh.node.transport.PeerConnection;

/** Builds a session's closing totals from its connection's counters. */
final class SessionSummaries {

    private SessionSummaries() {
    }

    static SfuListener.SessionSummary of(PeerConnection c, long openedAtNanos, long nowNanos, long roundTripMillis) {
        return new SfuListener.SessionSummary((nowNanos - openedAtNanos) / 1_000_000, c.bytesIn(), c.bytesOut(),
                c.packetsIn(), c.packetsOut(), roundTripMillis);
    }
}
