package io.relaymesh.node.boot;

import io.relaymesh.node.config.NodeSettings;
import io.relaymesh.node.connector.ConnectorSettings;
import io.relaymesh.node.connector.EventConnector;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.dtls.DtlsCertificate;
import io.relaymesh.node.events.EventEmitter;
import io.relaymesh.node.events.EventIds;
import io.relaymesh.node.events.SessionStatsReporter;
import io.relaymesh.node.events.SfuEvents;
import io.relaymesh.node.http.HttpApi;
import io.relaymesh.node.http.NodeStatus;
import io.relaymesh.node.metrics.EventDeliveryStats;
import io.relaymesh.node.metrics.NodeMetrics;
import io.relaymesh.node.rtmp.RoomPublisher;
import io.relaymesh.node.rtmp.RtmpServer;
import io.relaymesh.node.sdp.CodecPolicy;
import io.relaymesh.node.sfu.SessionStatsProbe;
import io.relaymesh.node.sfu.Sfu;
import io.relaymesh.node.sfu.SfuListener;
import io.relaymesh.node.sfu.SfuSignaling;
import io.relaymesh.node.srtp.SrtpProfile;
import io.relaymesh.node.token.TokenService;
import io.relaymesh.node.transport.WebRtcTransport;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code relaymesh standalone}: the WebRTC SFU, RTMP ingest, tokens, WHIP/WHEP, events, metrics and sample pages
 * in one process. Runs until SIGTERM/SIGINT, then closes every session before exiting.
 */
public final class StandaloneNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneNode.class);

    private final NodeStatus status;
    private final WebRtcTransport transport;
    private final SfuSignaling signaling;
    private final HttpApi http;
    /** Null on a media node of a cluster (no RTMP ingest there). */
    private final RtmpServer rtmp;
    private final List<InetAddress> advertised;
    /** Null when no NATS URL or webhook was given. */
    private final EventConnector connector;
    /** Stamps and queues this node's events; null when no connector runs. */
    private final EventEmitter events;
    /** Everything started, in start order; closed in reverse. */
    private final Deque<AutoCloseable> parts;

    private StandaloneNode(NodeStatus status, WebRtcTransport transport, SfuSignaling signaling, HttpApi http,
                           RtmpServer rtmp, List<InetAddress> advertised, EventConnector connector,
                           EventEmitter events, Deque<AutoCloseable> parts) {
        this.status = status;
        this.transport = transport;
        this.signaling = signaling;
        this.http = http;
        this.rtmp = rtmp;
        this.advertised = advertised;
        this.connector = connector;
        this.events = events;
        this.parts = parts;
    }

    /** Starts every part of the node and returns once it accepts sessions; a part that fails stops the others. */
    public static StandaloneNode start(NodeSettings settings, Secret secret) throws InterruptedException {
        return start(settings, secret, true, List.of());
    }

    /**
     * Starts the node's parts; a media node of a cluster uses this without RTMP ingest and with its cluster
     * member handed to the HTTP API.
     *
     * @param rtmpIngest   whether to run the RTMP server
     * @param httpServices further services for the HTTP API's controllers (e.g. the cluster member)
     */
    static StandaloneNode start(NodeSettings settings, Secret secret, boolean rtmpIngest, List<Object> httpServices)
            throws InterruptedException {
        return start(settings, secret, rtmpIngest, httpServices, null);
    }

    /**
     * Something started on the node's SFU once it exists (a media node's relay), that also hears the SFU's
     * events. What {@link #attach} returns is closed with the node, before the SFU.
     */
    interface SfuAttachment extends SfuListener {
        AutoCloseable attach(Sfu sfu) throws InterruptedException;

        /** Registers its own metrics once the node's exist (after {@link #attach}). */
        default void bindMetrics(NodeMetrics metrics) {
        }
    }

    /** As {@link #start(NodeSettings, Secret, boolean, List)}, with an attachment (null for none). */
    static StandaloneNode start(NodeSettings settings, Secret secret, boolean rtmpIngest, List<Object> httpServices,
                                SfuAttachment attachment) throws InterruptedException {
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        NodeStatus status = new NodeStatus(settings.nodeId(), version(), clock.instant());
        List<InetAddress> advertised = settings.advertiseIps().isEmpty()
                ? HostAddresses.detect()
                : settings.advertiseIps();
        Deque<AutoCloseable> parts = new ArrayDeque<>();
        try {
            DtlsCertificate certificate = DtlsCertificate.generate(clock, random);
            // The connector is closed last (started first) so the sessions' final events are queued.
            EventConnector connector = startConnector(settings, secret, clock);
            if (connector != null) {
                parts.push(connector);
            }
            WebRtcTransport transport = WebRtcTransport.bind(advertised, settings.webrtcPort(), System::nanoTime,
                    new WebRtcTransport.DtlsSettings(certificate, srtpProfiles(settings.srtpProfiles()), random));
            parts.push(transport);
            EventEmitter events = connector == null ? null : emitter(settings, clock, connector);
            SfuListener eventsListener = events == null ? SfuListener.NONE : new SfuEvents(events);
            Sfu sfu = new Sfu(transport, clock, "relaymesh-" + settings.nodeId(),
                    attachment == null ? eventsListener : new BothListeners(eventsListener, attachment));
            parts.push(sfu);
            if (attachment != null) {
                parts.push(attachment.attach(sfu));
            }
            if (events != null) {
                parts.push(new SessionStatsReporter(new SessionStatsProbe(sfu)::snapshot, events, System::nanoTime)
                        .start(SessionStatsReporter.DEFAULT_INTERVAL));
            }
            SfuSignaling signaling = new SfuSignaling(sfu, certificate.fingerprintSha256(),
                    transport.candidates(advertised), codecPolicy(settings.videoCodecs()), random);
            parts.push(() -> signaling.closeAll("node shutting down"));
            TokenService tokens = new TokenService(secret, clock);
            NodeMetrics metrics = NodeMetrics.create(settings.nodeId(), clock)
                    .bindTransport(transport.counters())
                    .bindSfu(sfu.counters());
            parts.push(metrics);
            if (attachment != null) {
                attachment.bindMetrics(metrics);
            }
            if (connector != null) {
                metrics.bindEventDelivery("connector", connectorStats(connector));
            }
            List<Object> services = new ArrayList<>(httpServices);
            services.add(new SessionStatsProbe(sfu)); // rooms this node hosts, for gateways (/api/rooms)
            RtmpServer rtmp = null;
            if (rtmpIngest) {
                RtmpServer server = start("RTMP", settings.rtmpPort(),
                        () -> RtmpServer.start(settings.rtmpPort(), 1, tokens, RoomPublisher.of(sfu)));
                parts.push(server);
                services.add(server);
                rtmp = server;
            }
            HttpApi http = start("HTTP", settings.httpPort(),
                    () -> HttpApi.start(settings.httpPort(), status, secret, tokens, signaling, metrics,
                            services.toArray()));
            parts.push(http);
            metrics.startSampling();
            status.set(NodeStatus.State.READY);
            return new StandaloneNode(status, transport, signaling, http, rtmp, advertised, connector, events, parts);
        } catch (RuntimeException | InterruptedException e) {
            closeAll(parts);
            throw e;
        }
    }

    /** Tells two listeners, in order, everything the SFU reports. */
    private record BothListeners(SfuListener first, SfuListener second) implements SfuListener {

        @Override
        public void sessionOpened(SessionInfo session) {
            first.sessionOpened(session);
            second.sessionOpened(session);
        }

        @Override
        public void sessionConnected(SessionInfo session, long setupMillis) {
            first.sessionConnected(session, setupMillis);
            second.sessionConnected(session, setupMillis);
        }

        @Override
        public void sessionWarning(SessionInfo session, String code, String message) {
            first.sessionWarning(session, code, message);
            second.sessionWarning(session, code, message);
        }

        @Override
        public void sessionClosed(SessionInfo session, SessionSummary summary, String reason) {
            first.sessionClosed(session, summary, reason);
            second.sessionClosed(session, summary, reason);
        }

        @Override
        public void peerJoined(String room, String peer) {
            first.peerJoined(room, peer);
            second.peerJoined(room, peer);
        }

        @Override
        public void peerLeft(String room, String peer) {
            first.peerLeft(room, peer);
            second.peerLeft(room, peer);
        }

        @Override
        public void trackStarted(TrackInfo track) {
            first.trackStarted(track);
            second.trackStarted(track);
        }

        @Override
        public void trackEnded(TrackInfo track) {
            first.trackEnded(track);
            second.trackEnded(track);
        }
    }

    /** A part bound to a port: its failure names the part and the port. */
    private static <T> T start(String what, int port, PartStarter<T> starter) throws InterruptedException {
        try {
            return starter.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start " + what + " on port " + port + ": " + rootMessage(e), e);
        }
    }

    @FunctionalInterface
    private interface PartStarter<T> {
        T start() throws InterruptedException;
    }

    /** The connector's queue and deliveries (all destinations together) for /metrics. */
    static EventDeliveryStats connectorStats(EventConnector connector) {
        return new EventDeliveryStats() {
            @Override
            public long pendingEvents() {
                return connector.queueDepth();
            }

            @Override
            public long deliveredEvents() {
                return connector.delivered();
            }

            @Override
            public long deliveryFailures() {
                return connector.deliveryFailures();
            }
        };
    }

    /** This node's event emitter over {@code connector}. */
    static EventEmitter emitter(NodeSettings settings, Clock clock, EventConnector connector) {
        return new EventEmitter(settings.nodeId(), clock, new EventIds(clock, new SecureRandom()), connector);
    }

    /** The event connector when a NATS URL or a webhook URL was given, else null. */
    static EventConnector startConnector(NodeSettings settings, Secret secret, Clock clock) {
        if (!ConnectorSettings.enabled(settings)) {
            return null;
        }
        ConnectorSettings connector = ConnectorSettings.of(settings);
        try {
            return EventConnector.start(connector, secret.bytes(), clock);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the event queue in " + connector.queueDir() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The CLI entry: starts, prints where to go, and waits for a stop signal. */
    static int run(NodeSettings settings) throws InterruptedException {
        long begin = System.nanoTime();
        PrintStream out = System.out;
        Secret secret;
        if (settings.secret().isPresent()) {
            secret = settings.secret().get();
        } else {
            secret = Secret.random();
            out.println("No --secret given: generated a cluster secret for this run (shown once):");
            out.println("  " + secret.reveal());
        }
        StandaloneNode node;
        try {
            node = start(settings, secret);
        } catch (IllegalStateException e) {
            System.err.println("relaymesh standalone: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "relaymesh-shutdown"));
        long millis = Duration.ofNanos(System.nanoTime() - begin).toMillis();
        int port = node.http.port();
        out.println("relaymesh standalone " + node.status.version() + " node " + settings.nodeId()
                + " started in " + millis + " ms");
        out.println("  samples    http://localhost:" + port + "/samples/");
        out.println("  API docs   http://localhost:" + port + "/ui");
        out.println("  health     http://localhost:" + port + "/health");
        out.println("  dashboard  http://localhost:" + port + "/dashboard/");
        out.println("  metrics    http://localhost:" + port + "/metrics (Prometheus; bearer secret from other machines)");
        out.println("  WHIP       http://localhost:" + port + "/whip/endpoint");
        out.println("  WHEP       http://localhost:" + port + "/whep/endpoint");
        out.println("  RTMP       rtmp://localhost:" + node.rtmp.port() + "/live/<token>");
        out.println("  WebRTC     UDP " + node.transport.port() + " on " + node.advertised);
        if (node.connector != null) {
            out.println("  events     " + settings.natsUrl().map(u -> "NATS " + u + " subject " + settings.eventsSubject()).orElse("")
                    + (settings.webhookUrls().isEmpty() ? "" : " webhooks " + settings.webhookUrls())
                    + ", queue in " + ConnectorSettings.of(settings).queueDir());
        }
        out.flush();
        stopped.await();
        return 0;
    }

    /**
     * Drains: refuses new sessions, closes the live ones (peers get DTLS close_notify), then stops every part in
     * the reverse of the order it started.
     */
    @Override
    public void close() {
        if (status.state() == NodeStatus.State.STOPPED) {
            return;
        }
        status.set(NodeStatus.State.DRAINING);
        LOG.info("stopping: closing {} sessions", signaling.sessionCount());
        closeAll(parts);
        status.set(NodeStatus.State.STOPPED);
    }

    /** Closes the parts last-started first; one that fails to close is logged and the rest still close. */
    static void closeAll(Deque<AutoCloseable> parts) {
        while (!parts.isEmpty()) {
            AutoCloseable part = parts.pop();
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed", part, e);
            }
        }
    }

    public int httpPort() {
        return http.port();
    }

    public int rtmpPort() {
        if (rtmp == null) {
            throw new IllegalStateException("this node runs no RTMP ingest");
        }
        return rtmp.port();
    }

    /** This node's event emitter, when it exports events (a NATS URL or a webhook was given). */
    java.util.Optional<EventEmitter> events() {
        return java.util.Optional.ofNullable(events);
    }

    /** Live WebRTC sessions. */
    int sessionCount() {
        return signaling.sessionCount();
    }

    /** The node's lifecycle state (a media node reports it to the cluster). */
    NodeStatus status() {
        return status;
    }

    static String softwareVersion() {
        return version();
    }

    public int webrtcPort() {
        return transport.port();
    }

    public WebRtcTransport transport() {
        return transport;
    }

    static List<SrtpProfile> srtpProfiles(List<String> names) {
        List<SrtpProfile> out = new ArrayList<>();
        for (String n : names) {
            out.add(switch (n) {
                case "aes-gcm" -> SrtpProfile.AEAD_AES_128_GCM;
                case "aes-cm" -> SrtpProfile.AES_CM_128_HMAC_SHA1_80;
                default -> throw new IllegalArgumentException("unknown SRTP profile " + n);
            });
        }
        return out;
    }

    static CodecPolicy codecPolicy(List<String> videoCodecs) {
        String[] names = videoCodecs.stream().map(c -> c.toUpperCase(Locale.ROOT)).toArray(String[]::new);
        return CodecPolicy.defaults().onlyVideo(names);
    }

    private static String version() {
        String v = StandaloneNode.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    Instant startedAt() {
        return status.startedAt();
    }
}
