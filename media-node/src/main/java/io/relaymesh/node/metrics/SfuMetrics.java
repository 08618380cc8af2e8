package io.relaymesh.node.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.relaymesh.node.sfu.MediaKind;
import io.relaymesh.node.sfu.SfuCounters;
import io.relaymesh.node.sfu.SfuCounters.KeyframeRequest;
import java.util.function.ToDoubleFunction;

/** Sessions, tracks and RTCP feedback of the SFU, read from {@link SfuCounters} at scrape time. */
final class SfuMetrics implements MeterBinder {

    static final String SESSIONS = "relaymesh.sessions";
    static final String SESSIONS_OPENED = "relaymesh.sessions.opened";
    static final String TRACKS = "relaymesh.tracks";
    static final String TRACKS_STARTED = "relaymesh.tracks.started";
    static final String NACKS = "relaymesh.nacks";
    static final String KEYFRAME_REQUESTS = "relaymesh.keyframe.requests";
    static final String RETRANSMISSIONS = "relaymesh.retransmissions";

    private final SfuCounters counters;

    SfuMetrics(SfuCounters counters) {
        this.counters = counters;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String protocol : SfuCounters.PROTOCOLS) {
            Gauge.builder(SESSIONS, counters, c -> c.sessionsLive(protocol))
                    .description("Sessions open now (offer accepted, not yet ended), by protocol")
                    .tag("protocol", protocol).strongReference(true).register(registry);
            counter(registry, SESSIONS_OPENED, "Sessions opened since start, by protocol",
                    c -> c.sessionsOpened(protocol), "protocol", protocol);
        }
        for (MediaKind kind : MediaKind.values()) {
            String k = TransportMetrics.label(kind);
            Gauge.builder(TRACKS, counters, c -> c.tracksLive(kind))
                    .description("Published tracks live now, by kind")
                    .tag("kind", k).strongReference(true).register(registry);
            counter(registry, TRACKS_STARTED, "Published tracks started since start, by kind",
                    c -> c.tracksStarted(kind), "kind", k);
        }
        String nacks = "Sequence numbers NACKed (RFC 4585): received from viewers, sent to publishers";
        counter(registry, NACKS, nacks, SfuCounters::nacksReceived, "direction", "received");
        counter(registry, NACKS, nacks, SfuCounters::nacksSent, "direction", "sent");
        String keyframes = "Keyframe requests: received from viewers, sent to publishers (at most one per track per 100 ms)";
        for (KeyframeRequest type : KeyframeRequest.values()) {
            String t = TransportMetrics.label(type);
            counter(registry, KEYFRAME_REQUESTS, keyframes, c -> c.keyframeRequestsReceived(type),
                    "direction", "received", "type", t);
            counter(registry, KEYFRAME_REQUESTS, keyframes, c -> c.keyframeRequestsSent(type),
                    "direction", "sent", "type", t);
        }
        String retransmissions = "NACKed packets resent to viewers from the cache (sent) or no longer in it (missed)";
        counter(registry, RETRANSMISSIONS, retransmissions, SfuCounters::retransmitted, "result", "sent");
        counter(registry, RETRANSMISSIONS, retransmissions, SfuCounters::retransmissionsMissed, "result", "missed");
    }

    private void counter(MeterRegistry registry, String name, String help, ToDoubleFunction<SfuCounters> read,
                         String... tags) {
        FunctionCounter.builder(name, counters, read).description(help).tags(tags).register(registry);
    }
}
