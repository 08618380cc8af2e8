package io.relaymesh.node.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.prometheus.metrics.model.snapshots.Labels;
import io.relaymesh.node.relay.RelayCounters;
import io.relaymesh.node.sfu.MediaKind;
import io.relaymesh.node.sfu.SfuCounters;
import io.relaymesh.node.transport.InNodeLatency;
import io.relaymesh.node.transport.PacketKind;
import io.relaymesh.node.transport.TransportCounters;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The node's metrics: a Prometheus registry (Micrometer) with JVM and process metrics, the transport's and the
 * SFU's counters once bound, and the history the dashboard charts. Every node metric carries a {@code node}
 * label with the node id.
 *
 * <p>Nothing here runs on the packet path: the transport and the SFU count into their own lock-free counters,
 * and this class reads them when Prometheus scrapes or the dashboard samples (once a second, on its own
 * thread).
 */
public final class NodeMetrics implements AutoCloseable {

    /** Content type of the Prometheus text exposition format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** Dashboard sampling interval. */
    public static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(1);
    /** Samples the dashboard history keeps: five minutes at one per second. */
    public static final int HISTORY_SAMPLES = 300;

    private static final long[] NO_LATENCY = new long[InNodeLatency.BUCKETS + 1];

    private final String nodeId;
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;
    private final NodeHistory history;
    private final AtomicReference<TransportCounters> transport = new AtomicReference<>();
    private final AtomicReference<SfuCounters> sfu = new AtomicReference<>();
    private final com.sun.management.OperatingSystemMXBean os;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private ScheduledExecutorService sampler;

    private NodeMetrics(String nodeId, Clock clock) {
        this.nodeId = nodeId;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("node", nodeId);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        this.gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            new NettyAllocatorMetrics(provider).bindTo(registry);
        }
        this.os = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean b
                ? b : null;
        this.history = new NodeHistory(HISTORY_SAMPLES, this::totals, clock);
    }

    /** A registry with JVM and process metrics; bind the node's parts with the {@code bind} methods. */
    public static NodeMetrics create(String nodeId, Clock clock) {
        return new NodeMetrics(nodeId, clock);
    }

    /** Exports the transport's packet, byte, drop and SRTP counters and the in-node latency histogram. */
    public NodeMetrics bindTransport(TransportCounters counters) {
        if (!transport.compareAndSet(null, counters)) {
            throw new IllegalStateException("a transport is already bound");
        }
        new TransportMetrics(counters).bindTo(registry);
        registry.getPrometheusRegistry().register(
                new InNodeLatencyCollector(counters.latency(), Labels.of("node", nodeId)));
        return this;
    }

    /** Exports the SFU's sessions, tracks and feedback counters. */
    public NodeMetrics bindSfu(SfuCounters counters) {
        if (!sfu.compareAndSet(null, counters)) {
            throw new IllegalStateException("an SFU is already bound");
        }
        new SfuMetrics(counters).bindTo(registry);
        return this;
    }

    /** Exports the media relay's per-peer traffic, subscriptions, drops and feedback ({@code relaymesh_relay_*}). */
    public NodeMetrics bindRelay(RelayCounters counters) {
        new RelayMetrics(counters).bindTo(registry);
        registry.getPrometheusRegistry().register(new RelayPeerCollector(counters, nodeId));
        return this;
    }

    /**
     * Exports an event sink's queue depth, deliveries and failures, labelled {@code sink} (e.g. nats,
     * webhook).
     */
    public NodeMetrics bindEventDelivery(String sink, EventDeliveryStats stats) {
        Gauge.builder("relaymesh.events.pending", stats, EventDeliveryStats::pendingEvents)
                .description("Events accepted but not yet delivered (durable queue depth)")
                .tag("sink", sink).strongReference(true).register(registry);
        FunctionCounter.builder("relaymesh.events.delivered", stats, EventDeliveryStats::deliveredEvents)
                .description("Events delivered and acknowledged").tag("sink", sink).register(registry);
        FunctionCounter.builder("relaymesh.events.delivery.failures", stats, EventDeliveryStats::deliveryFailures)
                .description("Event delivery attempts that failed").tag("sink", sink).register(registry);
        return this;
    }

    /** Starts sampling the dashboard history once per {@link #SAMPLE_INTERVAL} on a daemon thread. */
    public synchronized NodeMetrics startSampling() {
        if (sampler == null) {
            sampler = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("relaymesh-metrics").daemon().factory());
            history.sample();
            long period = SAMPLE_INTERVAL.toMillis();
            sampler.scheduleAtFixedRate(this::sampleQuietly, period, period, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void sampleQuietly() {
        try {
            history.sample();
        } catch (RuntimeException e) {
            // A failed reading must not end the schedule; the next one tries again.
            org.slf4j.LoggerFactory.getLogger(NodeMetrics.class).warn("dashboard sample failed", e);
        }
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public NodeHistory history() {
        return history;
    }

    public String nodeId() {
        return nodeId;
    }

    /** Reads everything the dashboard charts, now. */
    NodeTotals totals() {
        TransportCounters t = transport.get();
        SfuCounters s = sfu.get();
        long bytesIn = 0;
        long bytesOut = 0;
        long packetsIn = 0;
        long packetsOut = 0;
        if (t != null) {
            for (PacketKind k : PacketKind.values()) {
                bytesIn += t.bytesIn(k);
                bytesOut += t.bytesOut(k);
                packetsIn += t.packetsIn(k);
                packetsOut += t.packetsOut(k);
            }
        }
        long publishing = 0;
        long viewing = 0;
        long audio = 0;
        long video = 0;
        if (s != null) {
            publishing = s.sessionsLive("whip") + s.sessionsLive("rtmp") + s.sessionsLive("sip");
            viewing = s.sessionsLive("whep");
            audio = s.tracksLive(MediaKind.AUDIO);
            video = s.tracksLive(MediaKind.VIDEO);
        }
        long direct = ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p
                ? p.metric().usedDirectMemory() : 0;
        return new NodeTotals(System.nanoTime(), publishing, viewing, audio, video, bytesIn, bytesOut, packetsIn,
                packetsOut, t == null ? NO_LATENCY : t.latency().snapshot(),
                os == null ? Double.NaN : os.getProcessCpuLoad(), os == null ? Double.NaN : os.getCpuLoad(),
                memory.getHeapMemoryUsage().getUsed(), direct);
    }

    @Override
    public synchronized void close() {
        if (sampler != null) {
            sampler.shutdownNow();
            sampler = null;
        }
        gc.close();
        registry.close();
    }
}
