package io.relaymesh.node.events;

/**
 * What an event says beyond its envelope: one record per {@link EventType}, each writing its own JSON members.
 * Negative counts and durations mean "not known" and are written as {@code null}.
 */
public sealed interface EventData {

    EventType type();

    /** Writes this event's own members after the envelope. */
    void writeFields(JsonWriter json);

    /**
     * The gateway placed a new session on a media node, or could not.
     *
     * @param chosenNode    node id picked, null when routing failed
     * @param routingMillis time the decision took (from the request to the placement, not the node's answer)
     * @param failureReason why no node was picked, null on success
     * @param protocol      whip or whep
     * @param requestedZone the zone the session was asked for
     * @param chosenZone    the chosen node's zone, null when routing failed
     * @param reason        why that node ({@code publisher-node}, {@code least-loaded}, {@code fallback-zone},
     *                      {@code pinned}), null when routing failed
     */
    record SessionRouted(String chosenNode, long routingMillis, String failureReason, String protocol,
                         String requestedZone, String chosenZone, String reason) implements EventData {
        @Override
        public EventType type() {
            return EventType.SESSION_ROUTED;
        }

        @Override
        public void writeFields(JsonWriter json) {
            json.string("chosenNode", chosenNode).number("routingMillis", routingMillis)
                    .string("failureReason", failureReason).string("protocol", protocol)
                    .string("requestedZone", requestedZone).string("chosenZone", chosenZone)
                    .string("reason", reason);
        }
    }

    /** @param protocol whip, whep, rtmp, sip */
    record SessionConnecting(String protocol) implements EventData {
        @Override
        public EventType type() {
            return EventType.SESSION_CONNECTING;
        }

        @Override
        public void writeFields(JsonWriter json) {
            json.string("protocol", protocol);
        }
    }

    /** @param setupMillis from the accepted offer to media being able to flow (ICE and DTLS) */
    record SessionConnected(String protocol, long setupMillis) implements EventData {
        @Override
        public EventType type() {
            return EventType.SESSION_CONNECTED;
        }

        @Override
        public void writeFields(JsonWriter json) {
            json.string("protocol", protocol).number("setupMillis", setupMillis);
        }
    }

    /**
     * A session's end and totals; bytes and packets are counted on the wire (SRTP, RTCP, STUN, DTLS).
     *
     * @param rttMillis last measured round-trip time, negative when none was measured
     */
    record SessionDisconnected(String protocol, long durationMillis, long bytesIn, long bytesOut, long packetsIn,
                               long packetsOut, long rttMillis, String reason) implements EventData {
        @Override
        public EventType type() {
            return EventType.SESSION_DISCONNECTED;
        }

        @Override
        public void writeFields(JsonWriter json) {
            json.string("protocol", protocol).number("durationMillis", durationMillis)
                    .number("bytesIn", bytesIn).number("bytesOut", bytesOut)
                    .number("packetsIn", packetsIn).number("packetsOut", packetsOut)
                    .numberOrNull("rttMillis", rttMillis).string("reason", reason);
        }
    }

    /**
     * A live session's figures over the last interval.
     *
     * @param packetsLost  packets the session's sender lost towards the node so far (publishers), negative if
     *                     not known (viewers)
     * @param lossFraction share of packets lost in this interval, 0..1, negative if not known
     * @param jitterMillis RTP interarrival jitter, negative if not known
     * @param rttMillis    round-trip time, negative if not known
     */
    record SessionStats(String protocol, long intervalMillis, long bitrateInBps, long bitrateOutBps,
                        long packetsLost, double lossFraction, double jitterMillis, long rttMillis)
            implements EventData {
        @Override
        public EventType type() {
            return EventType.SESSION_STATS;
        }

        @Override
        public void writeFields(JsonWriter json) {
            json.string("protocol", protocol).number("intervalMillis", intervalMillis)
                    .number("bitrateInBps", bitrateInBps).number("bitrateOutBps", bitrateOutBps)
                    .numberOrNull("packetsLost", packetsLost).decimalOrNull("lossFraction", lossFraction)
                    .decimalOrNull("jitterMillis", jitterMillis).numberOrNull("rttMillis", rttMillis);
        }
    }

    /** A peer's first session in a room; room and peer are in the envelope. */
    record PeerJoined() implements EventData {
        @Override
        public EventType type() {
            return EventType.PEER_JOINED;
        }

        @Override
        public void writeFields(JsonWriter json) {
        }
    }

    /** A peer's last session in a room ended. */
    record PeerLeft() implements EventData {
        @Override
        public EventType type() {
            return EventType.PEER_LEFT;
        }

        @Override
        public void writeFields(JsonWriter json) {
        }
    }

    /** @param kind audio or video; @param codec e.g. VP8, OPUS */
    record TrackStarted(String trackId, String kind, String codec) implements EventData {
        @Override
        public EventType type() {
            return EventType.TRACK_STARTED;
        }

        @Override
        public void writeFields(JsonWriter json) {
            json.string("trackId", trackId).string("kind", kind).string("codec", codec);
        }
    }

    /**
     * A live session has a problem it keeps running with.
     *
     * @param code    stable identifier, e.g. {@code rtmp.b-frames}
     * @param message one sentence for people
     */
    record SessionWarning(String code, String message) implements EventData {
        @Override
        public EventType type() {
            return EventType.SESSION_WARNING;
        }

        @Override
        public void writeFields(JsonWriter json) {
            json.string("code", code).string("message", message);
        }
    }

    /** A published track ended. */
    record TrackEnded(String trackId, String kind, String codec) implements EventData {
        @Override
        public EventType type() {
            return EventType.TRACK_ENDED;
        }

        @Override
        public void writeFields(JsonWriter json) {
            json.string("trackId", trackId).string("kind", kind).string("codec", codec);
        }
    }

    /**
     * A node joined the cluster; reported by that node itself.
     *
     * @param member  the node id that joined
     * @param address its cluster address (host:port)
     */
    record NodeJoined(String member, String zone, String address) implements EventData {
        @Override
        public EventType type() {
            return EventType.NODE_JOINED;
        }

        @Override
        public void writeFields(JsonWriter json) {
            json.string("member", member).string("zone", zone).string("address", address);
        }
    }

    /**
     * A node left the cluster or was declared dead; reported by one surviving member (see {@link ClusterEvents}).
     *
     * @param reason {@link ClusterEvents#SHUTDOWN} or {@link ClusterEvents#FAILED}
     */
    record NodeLeft(String member, String zone, String reason) implements EventData {
        @Override
        public EventType type() {
            return EventType.NODE_LEFT;
        }

        @Override
        public void writeFields(JsonWriter json) {
            json.string("member", member).string("zone", zone).string("reason", reason);
        }
    }
}
