package io.relaymesh.node.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.relaymesh.node.relay.RelayCounters;

/**
 * The media relay's subscriptions, drops and feedback, read from {@link RelayCounters} at scrape time. The
 * per-peer traffic counters have a label per peer node that appears when the first link to it does, so they are
 * exported by {@link RelayPeerCollector} instead of registered meter by meter.
 */
final class RelayMetrics implements MeterBinder {

    static final String SUBSCRIPTIONS = "relaymesh.relay.subscriptions";
    static final String DROPPED = "relaymesh.relay.dropped";
    static final String KEYFRAME_REQUESTS = "relaymesh.relay.keyframe.requests";
    static final String NACKS = "relaymesh.relay.nacks";

    private final RelayCounters counters;

    RelayMetrics(RelayCounters counters) {
        this.counters = counters;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        String subscriptions = "Relay streams this node receives from a parent node (in) and sends to child nodes (out)";
        Gauge.builder(SUBSCRIPTIONS, counters, RelayCounters::subscriptionsIn).description(subscriptions)
                .tag("direction", "in").strongReference(true).register(registry);
        Gauge.builder(SUBSCRIPTIONS, counters, RelayCounters::subscriptionsOut).description(subscriptions)
                .tag("direction", "out").strongReference(true).register(registry);
        for (RelayCounters.Drop reason : RelayCounters.Drop.values()) {
            FunctionCounter.builder(DROPPED, counters, c -> c.dropped(reason))
                    .description("Relay datagrams and control messages dropped, and subscriptions refused, by reason")
                    .tag("reason", reason.label()).register(registry);
        }
        String keyframes = "Keyframe requests sent to parent nodes (sent) and received from child nodes (received)";
        FunctionCounter.builder(KEYFRAME_REQUESTS, counters, RelayCounters::keyframeRequestsSent)
                .description(keyframes).tag("direction", "sent").register(registry);
        FunctionCounter.builder(KEYFRAME_REQUESTS, counters, RelayCounters::keyframeRequestsReceived)
                .description(keyframes).tag("direction", "received").register(registry);
        FunctionCounter.builder(NACKS, counters, RelayCounters::nacksSent)
                .description("Sequence numbers NACKed to parent nodes (lost on a relay link)").register(registry);
    }
}
