package io.relaymesh.node.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.relaymesh.node.relay.RelayCounters;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Relay packets and bytes sent to and received from each peer node ({@code peer} label), read from
 * {@link RelayCounters} at scrape time. A peer's series appear with its first link and stay (counters).
 */
final class RelayPeerCollector implements MultiCollector {

    static final String PACKETS_SENT = "relaymesh_relay_packets_sent";
    static final String BYTES_SENT = "relaymesh_relay_bytes_sent";
    static final String PACKETS_RECEIVED = "relaymesh_relay_packets_received";
    static final String BYTES_RECEIVED = "relaymesh_relay_bytes_received";

    private final RelayCounters counters;
    private final String nodeId;

    RelayPeerCollector(RelayCounters counters, String nodeId) {
        this.counters = counters;
        this.nodeId = nodeId;
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, RelayCounters.Peer> peers = new TreeMap<>(counters.peers());
        return new MetricSnapshots(
                counter(PACKETS_SENT, "Relay media packets sent to a peer node", peers,
                        RelayCounters.Peer::packetsSent),
                counter(BYTES_SENT, "Relay media bytes sent to a peer node (SRTP, as on the wire)", peers,
                        RelayCounters.Peer::bytesSent),
                counter(PACKETS_RECEIVED, "Relay media packets received from a peer node and authenticated", peers,
                        RelayCounters.Peer::packetsReceived),
                counter(BYTES_RECEIVED, "Relay media bytes received from a peer node and authenticated", peers,
                        RelayCounters.Peer::bytesReceived));
    }

    private CounterSnapshot counter(String name, String help, Map<String, RelayCounters.Peer> peers,
                                    ToLongFunction<RelayCounters.Peer> read) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        for (Map.Entry<String, RelayCounters.Peer> e : peers.entrySet()) {
            b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                    .value(read.applyAsLong(e.getValue()))
                    .labels(Labels.of("node", nodeId, "peer", e.getKey()))
                    .build());
        }
        return b.build();
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(PACKETS_SENT, BYTES_SENT, PACKETS_RECEIVED, BYTES_RECEIVED);
    }
}
