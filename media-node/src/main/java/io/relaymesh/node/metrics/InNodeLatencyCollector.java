package io.relaymesh.node.metrics;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.relaymesh.node.transport.InNodeLatency;

/**
 * Exports {@link InNodeLatency} as a classic Prometheus histogram, reading its buckets at scrape time: the
 * packet path only increments a slot of a {@code long[]}, never calls a metrics library.
 */
final class InNodeLatencyCollector implements Collector {

    static final String NAME = "relaymesh_packet_node_latency_seconds";
    static final String HELP = "Time a forwarded RTP datagram spent inside the node: from the start of its processing "
            + "to when its last copy (one per viewer) was queued on the socket";

    private static final double[] UPPER_BOUNDS = upperBounds();

    private final InNodeLatency latency;
    private final Labels labels;

    InNodeLatencyCollector(InNodeLatency latency, Labels labels) {
        this.latency = latency;
        this.labels = labels;
    }

    private static double[] upperBounds() {
        double[] bounds = new double[InNodeLatency.BUCKETS + 1];
        for (int i = 0; i < InNodeLatency.BUCKETS; i++) {
            bounds[i] = InNodeLatency.upperBoundSeconds(i);
        }
        bounds[InNodeLatency.BUCKETS] = Double.POSITIVE_INFINITY;
        return bounds;
    }

    @Override
    public MetricSnapshot collect() {
        long[] counts = latency.snapshot();
        return HistogramSnapshot.builder()
                .name(NAME)
                .help(HELP)
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(UPPER_BOUNDS, counts))
                        .sum(latency.sumNanos() / 1e9)
                        .labels(labels)
                        .build())
                .build();
    }

    @Override
    public String getPrometheusName() {
        return NAME;
    }
}
