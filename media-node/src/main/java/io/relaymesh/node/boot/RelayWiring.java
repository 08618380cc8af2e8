package io.relaymesh.node.boot;

import io.relaymesh.node.cluster.ClusterNode;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.metrics.NodeMetrics;
import io.relaymesh.node.relay.RelayCounters;
import io.relaymesh.node.relay.RelayNode;
import io.relaymesh.node.relay.RelaySettings;
import io.relaymesh.node.relay.RelayView;
import io.relaymesh.node.sfu.Cascade;
import io.relaymesh.node.sfu.Sfu;
import io.relaymesh.node.sfu.SfuListener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A media node's relay: started on the SFU once it exists, and told which rooms local viewers watch (one
 * {@link RelayNode#watch} per WHEP session, released when the session ends), so a viewer sees a room's tracks
 * whichever node publishes them. The relay UDP port is {@code --relay-port} (default: the cluster port + 1). Its counters go to {@code /metrics}
 * ({@link #bindMetrics}) and its trees to {@code /api/relay} ({@link #view()}, an HTTP service).
 */
final class RelayWiring implements StandaloneNode.SfuAttachment {

    private static final Logger LOG = LoggerFactory.getLogger(RelayWiring.class);

    private final ClusterNode cluster;
    private final Secret secret;
    private final int relayPort;
    private final InetAddress advertise;
    private final Map<String, AutoCloseable> watching = new ConcurrentHashMap<>();
    private final RelayCounters counters = new RelayCounters();
    private final RelayView view = new RelayView();
    private volatile RelayNode relay;

    RelayWiring(ClusterNode cluster, Secret secret, int relayPort, InetAddress advertise) {
        this.cluster = cluster;
        this.secret = secret;
        this.relayPort = relayPort;
        this.advertise = advertise;
    }

    @Override
    public AutoCloseable attach(Sfu sfu) throws InterruptedException {
        RelayNode started = RelayNode.start(cluster, new Cascade(sfu), secret,
                new RelaySettings(new InetSocketAddress(relayPort), Optional.of(advertise), RelaySettings.DEFAULT_LINGER),
                counters);
        relay = started;
        view.set(started);
        return started;
    }

    @Override
    public void bindMetrics(NodeMetrics metrics) {
        metrics.bindRelay(counters);
    }

    /** What {@code GET /api/relay} shows; filled once the relay runs. */
    RelayView view() {
        return view;
    }

    /** Relay media bytes sent since start, for the load the node gossips. */
    long bytesSent() {
        return counters.bytesSent();
    }

    /** Stops relaying before the cluster member leaves (the relay talks through it); idempotent. */
    void close() {
        RelayNode r = relay;
        if (r != null) {
            r.close();
        }
    }

    @Override
    public void sessionOpened(SessionInfo session) {
        RelayNode r = relay;
        if (r != null && "whep".equals(session.protocol())) {
            watching.put(session.sessionId(), r.watch(session.room()));
        }
    }

    @Override
    public void sessionClosed(SessionInfo session, SessionSummary summary, String reason) {
        AutoCloseable handle = watching.remove(session.sessionId());
        if (handle != null) {
            try {
                handle.close();
            } catch (Exception e) {
                LOG.debug("releasing the relay watch of {} failed", session.sessionId(), e);
            }
        }
    }
}
