package io.relaymesh.node.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.relaymesh.node.transport.PacketKind;
import io.relaymesh.node.transport.TransportCounters;
import io.relaymesh.node.transport.TransportCounters.Drop;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The UDP transport's counters as Micrometer function counters: read at scrape time, never touched by the
 * packet path.
 */
final class TransportMetrics implements MeterBinder {

    static final String PACKETS = "relaymesh.transport.packets";
    static final String BYTES = "relaymesh.transport.bytes";
    static final String DROPPED = "relaymesh.transport.dropped.packets";
    static final String SRTP_FAILURES = "relaymesh.srtp.failures";

    private final TransportCounters counters;

    TransportMetrics(TransportCounters counters) {
        this.counters = counters;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (PacketKind kind : PacketKind.values()) {
            String k = label(kind);
            counter(registry, PACKETS, "Datagrams on the WebRTC port by kind (RFC 7983), dropped ones included",
                    c -> c.packetsIn(kind), "direction", "in", "kind", k);
            counter(registry, PACKETS, "Datagrams on the WebRTC port by kind (RFC 7983), dropped ones included",
                    c -> c.packetsOut(kind), "direction", "out", "kind", k);
            counter(registry, BYTES, "Bytes of datagrams on the WebRTC port by kind, as on the wire",
                    c -> c.bytesIn(kind), "direction", "in", "kind", k);
            counter(registry, BYTES, "Bytes of datagrams on the WebRTC port by kind, as on the wire",
                    c -> c.bytesOut(kind), "direction", "out", "kind", k);
        }
        for (Drop reason : Drop.values()) {
            counter(registry, DROPPED, "Datagrams the transport dropped, by reason",
                    c -> c.dropped(reason), "reason", label(reason));
        }
        String help = "SRTP/SRTCP packets that failed to unprotect (in) or protect (out)";
        counter(registry, SRTP_FAILURES, help, c -> c.dropped(Drop.SRTP_AUTH_FAILED),
                "direction", "in", "reason", "auth_failed");
        counter(registry, SRTP_FAILURES, help, c -> c.dropped(Drop.SRTP_REPLAYED),
                "direction", "in", "reason", "replayed");
        counter(registry, SRTP_FAILURES, help, c -> c.dropped(Drop.SRTP_OTHER),
                "direction", "in", "reason", "other");
        counter(registry, SRTP_FAILURES, help, c -> c.dropped(Drop.PROTECT_FAILED),
                "direction", "out", "reason", "protect_failed");
    }

    private void counter(MeterRegistry registry, String name, String help, ToDoubleFunction<TransportCounters> read,
                         String... tags) {
        FunctionCounter.builder(name, counters, read).description(help).tags(tags).register(registry);
    }

    static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
