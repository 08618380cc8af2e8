package io.relaymesh.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.dtls.DtlsCertificate;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtcp.RtcpCompound;
import io.relaymesh.node.rtcp.RtcpPacketType;
import io.relaymesh.node.rtcp.TransportCc;
import io.relaymesh.node.sdp.CodecPolicy;
import io.relaymesh.node.sfu.Sfu;
import io.relaymesh.node.sfu.SfuListener;
import io.relaymesh.node.sfu.SfuSignaling;
import io.relaymesh.node.sfu.Signaling;
import io.relaymesh.node.sfu.TappedViewer;
import io.relaymesh.node.srtp.SrtpProfile;
import io.relaymesh.node.token.Protocol;
import io.relaymesh.node.token.TokenClaims;
import io.relaymesh.node.transport.CongestionControl;
import io.relaymesh.node.transport.WebRtcTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Captures real transport-cc feedback written by Chromium, for the vectors of {@code rtcp/ChromiumTransportCcTest}.
 * A capture tool, not part of any suite (its name matches neither surefire's nor failsafe's patterns). Re-run it
 * (about a minute; Chromium from the Debian package) with
 * <pre>
 * export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
 * ./mvnw -B test -pl media-node -Dtest=TransportCcCapture -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * It rewrites {@code src/test/resources/captures/chromium-transport-cc.txt} and
 * {@code chromium-transport-cc-sent.txt}; the unit tests then check the new vectors (review the diff: the
 * windows are chosen by what happened in the run, so a new capture is a different set).
 *
 * <p>How: the node's own transport, SFU and signaling run in this JVM. Headless Chromium publishes its fake camera
 * and microphone (VP8, Opus) through the ordinary {@link SfuSignaling}; a second Chromium page plays the room as a
 * viewer opened through {@link TappedViewer}, which wires the ordinary subscriber but lends each decrypted RTCP
 * compound the viewer sends to this class first. So no production code changes for the capture. The node's
 * answers name an {@link ImpairedRelay} as the node's candidate: it records the transport-wide sequence number, size
 * and time of every RTP packet the node sends to the viewer and, in {@link Phase phases}, drops or holds some back,
 * so Chromium's feedback has losses, reordering and gaps, not only the clean loopback case.
 */
class TransportCcCapture {

    static final Path OUT = Path.of("src/test/resources/captures");
    static final String ROOM = "twcc-capture";
    private static final long MS = 1_000_000;
    private static final Pattern TCC_EXTMAP = Pattern.compile("a=extmap:(\\d+)(?:/\\w+)? "
            + Pattern.quote(CongestionControl.TRANSPORT_CC_URI));

    /** What the relay does to RTP towards the viewer, by time since the first such packet. */
    enum Phase {
        START(0, 4_000, "clean: the session's first feedback"),
        LOSS(4_000, 7_000, "4 % of the packets dropped at random"),
        BURSTS(7_000, 10_000, "every 1000 ms, all packets of 200 ms dropped"),
        REORDER(10_000, 13_000, "every 250 ms, one packet held back 90 ms"),
        LATE_PAIRS(13_000, 16_000, "every 500 ms, one packet held back 150 ms and the second after it 100 ms"),
        STALLS(16_000, 18_000, "every 800 ms, all packets of 150 ms held back until its end"),
        STEADY(18_000, 24_000, "clean again");

        final long fromMillis;
        final long toMillis;
        final String what;

        Phase(long fromMillis, long toMillis, String what) {
            this.fromMillis = fromMillis;
            this.toMillis = toMillis;
            this.what = what;
        }

        /** How the phase's window is named in the capture files. */
        String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        static Phase at(long sinceFirstNanos) {
            for (Phase p : values()) {
                if (sinceFirstNanos < p.toMillis * MS) {
                    return p;
                }
            }
            return STEADY;
        }
    }

    /** The schedule of {@link Phase}; runs on the relay's thread only. */
    static final class Schedule implements ImpairedRelay.Impairment {
        private long lastCycle = -1;
        private int inCycle;

        @Override
        public long holdNanos(long since, SplittableRandom random) {
            return switch (Phase.at(since)) {
                case START, STEADY -> 0;
                case LOSS -> random.nextDouble() < 0.04 ? -1 : 0;
                case BURSTS -> since % (1000 * MS) < 200 * MS ? -1 : 0;
                case REORDER -> nthInCycle(since, 250) == 0 ? 90 * MS : 0;
                case LATE_PAIRS -> switch (nthInCycle(since, 500)) {
                    case 0 -> 150 * MS;
                    case 2 -> 100 * MS;
                    default -> 0;
                };
                case STALLS -> {
                    long at = since % (800 * MS);
                    yield at < 150 * MS ? 150 * MS - at : 0;
                }
            };
        }

        /** Which packet of the current {@code periodMillis} cycle this is, from 0. */
        private int nthInCycle(long since, long periodMillis) {
            long cycle = since / (periodMillis * MS);
            if (cycle != lastCycle) {
                lastCycle = cycle;
                inCycle = 0;
            }
            return inCycle++;
        }
    }

    /** One feedback packet as the node received it, decrypted. */
    record Feedback(long nanos, byte[] bytes) {
    }

    private static final String PAGE = "<!doctype html><title>transport-cc capture</title>"
            + "<video autoplay muted playsinline></video>";

    private static final String PUBLISH = """
            async () => {
              const stream = await navigator.mediaDevices.getUserMedia(
                  {audio: true, video: {width: 640, height: 360, frameRate: 30}});
              const pc = window.pc = new RTCPeerConnection();
              for (const track of stream.getTracks()) pc.addTransceiver(track, {direction: 'sendonly'});
              await pc.setLocalDescription();
              return pc.localDescription.sdp;
            }""";

    private static final String PLAY = """
            async () => {
              const pc = window.pc = new RTCPeerConnection();
              pc.addTransceiver('audio', {direction: 'recvonly'});
              pc.addTransceiver('video', {direction: 'recvonly'});
              const video = document.querySelector('video');
              pc.ontrack = e => { if (e.track.kind === 'video') video.srcObject = new MediaStream([e.track]); };
              await pc.setLocalDescription();
              return pc.localDescription.sdp;
            }""";

    private static final String ANSWER = "sdp => window.pc.setRemoteDescription({type: 'answer', sdp})";

    private static final String FRAMES_DECODED = """
            async () => { let n = 0; (await window.pc.getStats()).forEach(r => {
              if (r.type === 'inbound-rtp' && r.kind === 'video') n = r.framesDecoded || 0; }); return n; }""";

    private static final String STATS = """
            async () => { const out = []; (await window.pc.getStats()).forEach(r => {
              if (r.type === 'inbound-rtp' || r.type === 'transport') out.push(JSON.stringify(r)); });
              return out.join('\\n'); }""";

    @Test
    void captureChromiumViewerFeedback() throws Exception {
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        DtlsCertificate certificate = DtlsCertificate.generate(clock, random);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        CodecPolicy codecs = CodecPolicy.defaults().onlyVideo(CodecPolicy.VP8);
        List<Feedback> feedback = Collections.synchronizedList(new ArrayList<>());
        List<String> malformed = Collections.synchronizedList(new ArrayList<>());
        RtcpCompound walker = new RtcpCompound();
        TappedViewer.RtcpTap tap = (compound, now) -> {
            walker.reset(compound);
            try {
                while (walker.next()) {
                    if (walker.packetType() == RtcpPacketType.RTPFB
                            && walker.fmt() == RtcpPacketType.FMT_TRANSPORT_CC) {
                        feedback.add(new Feedback(now, ByteBufUtil.getBytes(compound, walker.offset(),
                                walker.length())));
                    }
                }
            } catch (ProtocolException e) {
                malformed.add(e.getMessage() + ": " + ByteBufUtil.hexDump(compound));
            }
        };
        String chromiumVersion;
        long first;
        List<ImpairedRelay.Sent> sent;
        try (WebRtcTransport transport = WebRtcTransport.bind(List.of(loopback), 0, System::nanoTime,
                    new WebRtcTransport.DtlsSettings(certificate, List.of(SrtpProfile.AEAD_AES_128_GCM), random));
             Sfu sfu = new Sfu(transport, clock, "relaymesh-capture", SfuListener.NONE);
             ImpairedRelay relay = new ImpairedRelay(new InetSocketAddress(loopback, transport.port()),
                     new Schedule(), 7);
             Chromium chromium = new Chromium()) {
            SfuSignaling signaling = new SfuSignaling(sfu, certificate.fingerprintSha256(),
                    List.of(relay.address()), codecs, random);
            try {
                Page publisher = page(chromium);
                chromiumVersion = publisher.context().browser().version();
                Instant now = clock.instant();
                TokenClaims claims = new TokenClaims(ROOM, Optional.of("camera"), Protocol.WHIP, true, false, now,
                        now.plus(1, ChronoUnit.HOURS));
                String published = signaling.open(Signaling.SessionKind.PUBLISH, claims,
                        (String) publisher.evaluate(PUBLISH)).toCompletableFuture().get(10, TimeUnit.SECONDS).answerSdp();
                publisher.evaluate(ANSWER, published);

                Page viewer = page(chromium);
                String answer = TappedViewer.open(sfu, certificate.fingerprintSha256(), List.of(relay.address()),
                        codecs, ROOM, (String) viewer.evaluate(PLAY), random, tap).get(10, TimeUnit.SECONDS);
                Matcher id = TCC_EXTMAP.matcher(answer);
                assertThat(id.find()).as("transport-cc negotiated with the viewer:%n%s", answer).isTrue();
                relay.transportCcId(Integer.parseInt(id.group(1)));
                System.out.println("viewer answer:\n" + answer);
                viewer.evaluate(ANSWER, answer);

                long total = Phase.STEADY.toMillis * MS;
                await("the impairment schedule ran").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> relay.firstRtpNanos() > 0 && System.nanoTime() - relay.firstRtpNanos() > total);
                assertThat(((Number) viewer.evaluate(FRAMES_DECODED)).intValue()).as("viewer decoded frames")
                        .isPositive();
                System.out.println("viewer stats: " + viewer.evaluate(STATS));
            } finally {
                signaling.closeAll("capture done");
            }
            first = relay.firstRtpNanos();
            sent = relay.sent();
        }
        assertThat(malformed).as("compounds the walker rejected").isEmpty();
        write(chromiumVersion, feedback, sent, first);
    }

    private static Page page(Chromium chromium) {
        Page page = chromium.newPage();
        page.route("http://localhost/capture", route -> route.fulfill(new Route.FulfillOptions()
                .setContentType("text/html").setBody(PAGE)));
        page.navigate("http://localhost/capture");
        return page;
    }

    /** Feedback packets chosen per phase, with the sends they report. */
    private static void write(String chromiumVersion, List<Feedback> all, List<ImpairedRelay.Sent> sent, long first)
            throws IOException {
        Map<Integer, ImpairedRelay.Sent> bySequence = new LinkedHashMap<>();
        for (ImpairedRelay.Sent s : sent) {
            bySequence.put(s.transportSequence(), s);
        }
        Map<String, List<Feedback>> windows = windows(all, sent, first);
        List<String> lines = new ArrayList<>();
        List<String> sendLines = new ArrayList<>();
        for (Map.Entry<String, List<Feedback>> w : windows.entrySet()) {
            for (Feedback f : w.getValue()) {
                lines.add(w.getKey() + " " + (f.nanos() - first) / 1000 + " " + ByteBufUtil.hexDump(f.bytes()));
                TransportCc cc;
                try {
                    cc = TransportCc.parse(Unpooled.wrappedBuffer(f.bytes()));
                } catch (ProtocolException e) {
                    System.out.println("UNPARSED (" + e.getMessage() + "): " + ByteBufUtil.hexDump(f.bytes()));
                    continue;
                }
                for (int i = 0; i < cc.packetStatusCount(); i++) {
                    ImpairedRelay.Sent s = bySequence.remove((cc.baseSequence() + i) & 0xFFFF);
                    if (s != null) {
                        sendLines.add(w.getKey() + " " + s.transportSequence() + " " + (s.nanos() - first) / 1000
                                + " " + s.bytes() + " " + String.format("%08x", s.ssrc()) + " " + s.payloadType()
                                + " " + s.sequence() + " " + s.fate().name().toLowerCase(java.util.Locale.ROOT)
                                + (s.fate() == ImpairedRelay.Fate.HELD ? " " + s.heldNanos() / 1000 : ""));
                    }
                }
            }
        }
        String when = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        StringBuilder phases = new StringBuilder();
        for (Phase p : Phase.values()) {
            phases.append(String.format("#   %-10s %5d..%5d ms  %s%n", p.label(),
                    p.fromMillis, p.toMillis, p.what));
        }
        String header = """
                # Transport-cc feedback (RTCP RTPFB FMT 15) written by a real Chromium WHEP viewer, as the node decrypted it.
                # Captured %s with Chromium %s (Debian package, headless, fake camera) by
                # media-node/src/test/java/io/relaymesh/node/e2e/TransportCcCapture.java (how to re-run: its Javadoc).
                # The node (in-process: transport, SFU, signaling; VP8 + Opus, SRTP AES-GCM) forwarded a Chromium publisher's
                # camera to a Chromium viewer through a loopback relay that recorded every RTP packet and, by time since
                # the first one, impaired the path towards the viewer:
                %s# Each window is consecutive feedback packets from one phase (the impaired ones start at the first
                # feedback reporting an impaired packet). Columns: window, µs since the first RTP packet towards the viewer
                # when the node received the feedback (the relay's and the node's clock, System.nanoTime), packet hex.
                """.formatted(when, chromiumVersion, phases);
        String sendHeader = """
                # The RTP packets the node sent to the viewer that the feedback in chromium-transport-cc.txt reports, as the
                # relay saw them (same capture, same clock). Columns: window, transport-wide sequence number, µs since the
                # first RTP packet towards the viewer when the node sent it, bytes on the wire (SRTP), SSRC, payload type
                # and RTP sequence number (in the clear in SRTP), what the relay did (delivered, dropped, held) and for
                # held packets how long, µs.
                """;
        Files.createDirectories(OUT);
        Files.writeString(OUT.resolve("chromium-transport-cc.txt"), header + String.join("\n", lines) + "\n");
        Files.writeString(OUT.resolve("chromium-transport-cc-sent.txt"), sendHeader + String.join("\n", sendLines)
                + "\n");
        System.out.printf("captured %d feedback packets, saved %d; %d sends saved%n", all.size(), lines.size(),
                sendLines.size());
    }

    /** Window sizes, in consecutive feedback packets. */
    private static final Map<Phase, Integer> WINDOW = Map.of(Phase.START, 6, Phase.LOSS, 5, Phase.BURSTS, 5,
            Phase.REORDER, 5, Phase.LATE_PAIRS, 6, Phase.STALLS, 4, Phase.STEADY, 14);

    private static Map<String, List<Feedback>> windows(List<Feedback> all, List<ImpairedRelay.Sent> sent, long first) {
        Map<String, List<Feedback>> windows = new LinkedHashMap<>();
        for (Phase phase : Phase.values()) {
            int start = -1;
            for (int i = 0; i < all.size() && start < 0; i++) {
                Feedback f = all.get(i);
                if (Phase.at(f.nanos() - first) != phase && phase != Phase.START) {
                    continue;
                }
                if (phase == Phase.START) {
                    start = i;
                } else if (phase == Phase.STEADY) {
                    start = f.nanos() - first >= (phase.fromMillis + 2_000) * MS ? i : -1;
                } else if (reportsImpaired(f, sent)) {
                    start = i;
                }
            }
            if (start >= 0) {
                windows.put(phase.label(),
                        all.subList(start, Math.min(all.size(), start + WINDOW.get(phase))));
            }
        }
        return windows;
    }

    private static boolean reportsImpaired(Feedback f, List<ImpairedRelay.Sent> sent) {
        TransportCc cc;
        try {
            cc = TransportCc.parse(Unpooled.wrappedBuffer(f.bytes()));
        } catch (ProtocolException e) {
            return true; // worth keeping: the unit tests will say why it fails
        }
        for (ImpairedRelay.Sent s : sent) {
            int offset = (s.transportSequence() - cc.baseSequence()) & 0xFFFF;
            if (offset < cc.packetStatusCount() && s.fate() != ImpairedRelay.Fate.DELIVERED) {
                return true;
            }
        }
        return false;
    }
}
