package io.relaymesh.node.boot;

import io.relaymesh.node.config.NodeSettings;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.dtls.DtlsCertificate;
import io.relaymesh.node.http.HttpApi;
import io.relaymesh.node.http.NodeStatus;
import io.relaymesh.node.rtmp.RoomPublisher;
import io.relaymesh.node.rtmp.RtmpServer;
import io.relaymesh.node.sdp.CodecPolicy;
import io.relaymesh.node.sfu.Sfu;
import io.relaymesh.node.sfu.SfuListener;
import io.relaymesh.node.sfu.SfuSignaling;
import io.relaymesh.node.srtp.SrtpProfile;
import io.relaymesh.node.token.TokenService;
import io.relaymesh.node.transport.WebRtcTransport;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code relaymesh standalone}: the WebRTC SFU, tokens, WHIP/WHEP and sample pages in one process. Runs until
 * SIGTERM/SIGINT, then closes every session before exiting.
 */
public final class StandaloneNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneNode.class);

    private final NodeStatus status;
    private final WebRtcTransport transport;
    private final Sfu sfu;
    private final SfuSignaling signaling;
    private final HttpApi http;
    private final RtmpServer rtmp;
    private final List<InetAddress> advertised;

    private StandaloneNode(NodeStatus status, WebRtcTransport transport, Sfu sfu, SfuSignaling signaling,
                           HttpApi http, RtmpServer rtmp, List<InetAddress> advertised) {
        this.status = status;
        this.transport = transport;
        this.sfu = sfu;
        this.signaling = signaling;
        this.http = http;
        this.rtmp = rtmp;
        this.advertised = advertised;
    }

    /** Starts every part of the node and returns once it accepts sessions. */
    public static StandaloneNode start(NodeSettings settings, Secret secret) throws InterruptedException {
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        NodeStatus status = new NodeStatus(settings.nodeId(), version(), clock.instant());
        List<InetAddress> advertised = settings.advertiseIps().isEmpty()
                ? HostAddresses.detect()
                : settings.advertiseIps();
        DtlsCertificate certificate = DtlsCertificate.generate(clock, random);
        WebRtcTransport transport = WebRtcTransport.bind(advertised, settings.webrtcPort(), System::nanoTime,
                new WebRtcTransport.DtlsSettings(certificate, srtpProfiles(settings.srtpProfiles()), random));
        Sfu sfu = new Sfu(transport, clock, "relaymesh-" + settings.nodeId(), SfuListener.NONE);
        List<InetSocketAddress> candidates = transport.candidates(advertised);
        SfuSignaling signaling = new SfuSignaling(sfu, certificate.fingerprintSha256(), candidates,
                codecPolicy(settings.videoCodecs()), random);
        TokenService tokens = new TokenService(secret, clock);
        RtmpServer rtmp;
        try {
            rtmp = RtmpServer.start(settings.rtmpPort(), 1, tokens, RoomPublisher.of(sfu));
        } catch (RuntimeException e) {
            sfu.close();
            transport.close();
            throw new IllegalStateException("cannot start RTMP on port " + settings.rtmpPort() + ": " + rootMessage(e), e);
        }
        HttpApi http;
        try {
            http = HttpApi.start(settings.httpPort(), status, secret, tokens, signaling, rtmp);
        } catch (RuntimeException e) {
            rtmp.close();
            sfu.close();
            transport.close();
            throw new IllegalStateException("cannot start HTTP on port " + settings.httpPort() + ": " + rootMessage(e), e);
        }
        status.set(NodeStatus.State.READY);
        return new StandaloneNode(status, transport, sfu, signaling, http, rtmp, advertised);
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
        out.println("  WHIP       http://localhost:" + port + "/whip/endpoint");
        out.println("  WHEP       http://localhost:" + port + "/whep/endpoint");
        out.println("  WebRTC     UDP " + node.transport.port() + " on " + node.advertised);
        out.println("  RTMP       rtmp://localhost:" + node.rtmp.port() + "/live/<token>");
        out.flush();
        stopped.await();
        return 0;
    }

    /** Drains: refuses new sessions, closes the live ones (peers get DTLS close_notify), stops the sockets. */
    @Override
    public void close() {
        if (status.state() == NodeStatus.State.STOPPED) {
            return;
        }
        status.set(NodeStatus.State.DRAINING);
        LOG.info("stopping: closing {} sessions", signaling.sessionCount());
        signaling.closeAll("node shutting down");
        rtmp.close();
        http.close();
        sfu.close();
        transport.close();
        status.set(NodeStatus.State.STOPPED);
    }

    public int httpPort() {
        return http.port();
    }

    public int rtmpPort() {
        return rtmp.port();
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
