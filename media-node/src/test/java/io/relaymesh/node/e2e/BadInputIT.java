package io.relaymesh.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Bad input fed to a running node while real sessions flow: truncated and garbage STUN, DTLS, RTP, RTCP and
 * random datagrams of every size at the WebRTC port, and malformed SDP at the WHIP and WHEP endpoints. Every
 * datagram must be dropped and counted by reason (the node logs the counts when it stops), every bad offer
 * refused with a status and a reason, and the Chromium publisher and viewer must not notice any of it: the
 * viewer keeps decoding frames during and after the barrage, and a new session starts normally afterwards.
 *
 * <p>The datagrams come from the test's own socket, an address no ICE check validated, so none of them can
 * reach a session's DTLS or SRTP state; what this proves is that the demultiplexer and the STUN path reject
 * them without disturbing anything else, and that no parser throws on them (the transport logs any exception
 * from a datagram as "could not be processed", which this test forbids).
 */
class BadInputIT {

    /** Datagrams per scheduler tick and the tick: about 4,000 datagrams a second, well inside the node's socket buffer. */
    private static final int DATAGRAMS_PER_TICK = 20;
    private static final Duration TICK = Duration.ofMillis(5);
    /** The barrage is sent this many times over, each time with new random datagrams, so it spans a few seconds. */
    private static final int ROUNDS = 4;
    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final Pattern CLOSING_LINE = Pattern.compile(
            "WebRTC transport closing: (\\d+) datagrams in, (\\d+) out, dropped \\{([^}]*)}");

    /** What the node must count a datagram as; ANY_UNKNOWN_SOURCE for random bytes whose kind is left to chance. */
    enum Expect {
        UNKNOWN_KIND, STUN_MALFORMED, STUN_NOT_REQUEST, STUN_UNKNOWN_UFRAG, STUN_BAD_FINGERPRINT, STUN_BAD_INTEGRITY,
        DTLS_UNKNOWN_ADDRESS, MEDIA_UNKNOWN_ADDRESS, ANY_UNKNOWN_SOURCE
    }

    private record Shot(Expect expect, byte[] bytes) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void garbageAtTheNodeIsDroppedByReasonWhileAPublisherAndAViewerKeepFlowing() throws Exception {
        String room = "bad-input";
        NodeProcess node = NodeProcess.start(room);
        Map<Expect, Integer> sent;
        try (Chromium chromium = new Chromium()) {
            SamplePage publisher = SamplePage.start(chromium, node, "whip", room);
            SamplePage viewer = SamplePage.start(chromium, node, "whep", room);
            await("viewer decodes 30 frames before the barrage").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> framesDecoded(viewer) >= 30);
            String nodeUfrag = attribute(remoteSdp(viewer), "ice-ufrag");

            // UDP barrage on a scheduler, HTTP barrage on this thread meanwhile, the viewer watched throughout.
            List<Shot> shots = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                shots.addAll(barrage(new Random(7919L * (round + 1)), nodeUfrag));
            }
            sent = tally(shots);
            double framesBefore = framesDecoded(viewer);
            List<Double> framesDuring = Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<Void> udp = fire(shots, new InetSocketAddress(InetAddress.getLoopbackAddress(), node.webrtcPort()));

            malformedOffersAreRefusedWithAReason(node, room, localSdp(publisher), localSdp(viewer));

            await("UDP barrage of " + shots.size() + " datagrams sent").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        framesDuring.add(framesDecoded(viewer));
                        return udp.isDone();
                    });
            udp.get(); // rethrows a send failure
            double framesAfterBarrage = framesDecoded(viewer);
            System.out.printf("bad input: viewer framesDecoded %.0f before the barrage, %s during, %.0f after%n",
                    framesBefore, framesDuring, framesAfterBarrage);
            assertThat(framesDuring).as("viewer's framesDecoded sampled during the barrage").isSorted();
            assertThat(framesAfterBarrage - framesBefore).as("frames the viewer decoded during the barrage (%s)",
                    framesDuring).isGreaterThanOrEqualTo(10);
            await("viewer keeps decoding after the barrage").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> framesDecoded(viewer) >= framesAfterBarrage + 30);
            assertThat(SamplePage.text(viewer.stats(), null, "state")).isEqualTo("connected");
            assertThat(SamplePage.text(publisher.stats(), null, "state")).isEqualTo("connected");
            assertThat(get(node.uri("/health")).statusCode()).as("GET /health after the barrage").isEqualTo(200);

            // A session that starts after the barrage is as good as one that started before it.
            SamplePage late = SamplePage.start(chromium, node, "whep", room);
            await("a viewer that joins after the barrage decodes 30 frames").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> framesDecoded(late) >= 30);

            late.stop();
            viewer.stop();
            publisher.stop();
        } finally {
            node.close(); // fails on LEAK: and on uncaught exceptions in the node's log
        }
        String log = node.log();
        assertThat(log).as("a datagram made the transport throw").doesNotContain("could not be processed");
        nodeCountedEveryDatagramByReason(log, sent);
    }

    // ---- the UDP barrage ----

    /** One round: every kind of bad datagram, shuffled so kinds interleave on the wire. */
    private static List<Shot> barrage(Random random, String liveUfrag) throws GeneralSecurityException {
        List<Shot> shots = new ArrayList<>();
        stun(shots, random, liveUfrag);
        dtls(shots, random);
        media(shots, random);
        for (int size = 0; size <= 1500; size++) {
            byte[] b = new byte[size];
            random.nextBytes(b);
            shots.add(new Shot(size == 0 ? Expect.UNKNOWN_KIND : Expect.ANY_UNKNOWN_SOURCE, b));
        }
        Collections.shuffle(shots, random);
        return shots;
    }

    private static void stun(List<Shot> shots, Random random, String liveUfrag) throws GeneralSecurityException {
        byte[] wrongKey = "not the session's password!!".getBytes(StandardCharsets.US_ASCII);
        // Every proper prefix of a well-formed request: a truncated header, then a length field that lies.
        byte[] whole = bindingRequest(random, "nosuchufrag:peer", wrongKey, true);
        for (int cut = 1; cut < whole.length; cut++) {
            shots.add(new Shot(Expect.STUN_MALFORMED, Arrays.copyOf(whole, cut)));
        }
        for (int i = 0; i < 10; i++) {
            byte[] badCookie = bindingRequest(random, "nosuchufrag:peer", wrongKey, true);
            badCookie[4] ^= (byte) (1 + random.nextInt(255));
            shots.add(new Shot(Expect.STUN_MALFORMED, badCookie));

            byte[] lengthNotMultipleOf4 = bindingRequest(random, "nosuchufrag:peer", wrongKey, true);
            putShort(lengthNotMultipleOf4, 2, (lengthNotMultipleOf4.length - 20) - 1 - random.nextInt(3));
            shots.add(new Shot(Expect.STUN_MALFORMED, lengthNotMultipleOf4));

            byte[] lengthTooLong = bindingRequest(random, "nosuchufrag:peer", wrongKey, true);
            putShort(lengthTooLong, 2, lengthTooLong.length - 20 + 4 * (1 + random.nextInt(100)));
            shots.add(new Shot(Expect.STUN_MALFORMED, lengthTooLong));

            // A USERNAME attribute that claims more bytes than the message has.
            ByteBuffer truncatedAttribute = header(0x0001, 8, random);
            truncatedAttribute.putShort((short) 0x0006).putShort((short) (5 + random.nextInt(500))).putInt(0x61626364);
            shots.add(new Shot(Expect.STUN_MALFORMED, truncatedAttribute.array()));

            // An attribute header cut after its type.
            ByteBuffer truncatedAttributeHeader = header(0x0001, 4, random);
            truncatedAttributeHeader.putShort((short) 0x8028).putShort((short) 4);
            byte[] cutHeader = Arrays.copyOf(truncatedAttributeHeader.array(), 22);
            putShort(cutHeader, 2, 4); // says 4 bytes follow, 2 do
            shots.add(new Shot(Expect.STUN_MALFORMED, cutHeader));

            // Well formed but useless: no USERNAME, so no session to look up.
            shots.add(new Shot(Expect.STUN_MALFORMED, header(0x0001, 0, random).array()));
            // Indications and responses are not requests.
            shots.add(new Shot(Expect.STUN_NOT_REQUEST, header(0x0011, 0, random).array()));
            shots.add(new Shot(Expect.STUN_NOT_REQUEST, header(0x0101, 0, random).array()));

            // Complete requests that fail authentication, for a ufrag nobody has and for the live viewer's.
            shots.add(new Shot(Expect.STUN_UNKNOWN_UFRAG, bindingRequest(random, "zz" + random.nextInt(1_000_000) + ":peer",
                    wrongKey, true)));
            shots.add(new Shot(Expect.STUN_BAD_FINGERPRINT, bindingRequest(random, liveUfrag + ":peer", wrongKey, false)));
            shots.add(new Shot(Expect.STUN_BAD_INTEGRITY, bindingRequest(random, liveUfrag + ":peer", wrongKey, true)));
        }
    }

    private static void dtls(List<Shot> shots, Random random) {
        // Every proper prefix of a ClientHello record from an address that no ICE check validated.
        byte[] hello = clientHello(random);
        for (int cut = 1; cut < hello.length; cut++) {
            shots.add(new Shot(Expect.DTLS_UNKNOWN_ADDRESS, Arrays.copyOf(hello, cut)));
        }
        shots.add(new Shot(Expect.DTLS_UNKNOWN_ADDRESS, hello));
        for (int i = 0; i < 40; i++) {
            byte[] garbage = new byte[1 + random.nextInt(1200)];
            random.nextBytes(garbage);
            garbage[0] = (byte) (20 + random.nextInt(44));
            shots.add(new Shot(Expect.DTLS_UNKNOWN_ADDRESS, garbage));
            // A record header whose length runs past the datagram.
            ByteBuffer lying = ByteBuffer.allocate(13 + random.nextInt(20));
            lying.put((byte) 23).putShort((short) 0xFEFD).putShort((short) 1).putShort((short) 0).putInt(i)
                    .putShort((short) (200 + random.nextInt(10_000)));
            shots.add(new Shot(Expect.DTLS_UNKNOWN_ADDRESS, lying.array()));
        }
    }

    private static void media(List<Shot> shots, Random random) {
        for (int i = 0; i < 40; i++) {
            // Shorter than an RTCP header (8) or an RTP header (12): not media at all.
            byte[] shortRtcp = new byte[1 + random.nextInt(7)];
            random.nextBytes(shortRtcp);
            shortRtcp[0] = (byte) (0x80 | random.nextInt(0x40));
            if (shortRtcp.length > 1) {
                shortRtcp[1] = (byte) 200; // SR
            }
            shots.add(new Shot(Expect.UNKNOWN_KIND, shortRtcp));
            byte[] shortRtp = new byte[1 + random.nextInt(11)];
            random.nextBytes(shortRtp);
            shortRtp[0] = (byte) (0x80 | random.nextInt(0x40));
            if (shortRtp.length > 1) {
                shortRtp[1] = (byte) (96 + random.nextInt(32)); // a dynamic payload type, marker clear
            }
            shots.add(new Shot(Expect.UNKNOWN_KIND, shortRtp));

            // Versions 1 and 3 (the first two bits): not RTP, whatever follows.
            for (int version : new int[] {1, 3}) {
                byte[] badVersion = new byte[12 + random.nextInt(1200)];
                random.nextBytes(badVersion);
                badVersion[0] = (byte) ((version << 6) | random.nextInt(0x40));
                shots.add(new Shot(Expect.UNKNOWN_KIND, badVersion));
            }

            // Version 2 and long enough: RTP or RTCP by its second byte, from an address with no session.
            byte[] rtpRange = new byte[12 + random.nextInt(1489)];
            random.nextBytes(rtpRange);
            rtpRange[0] = (byte) (128 + random.nextInt(64));
            shots.add(new Shot(Expect.MEDIA_UNKNOWN_ADDRESS, rtpRange));
            // An RTCP sender report whose length field lies.
            ByteBuffer sr = ByteBuffer.allocate(8 + 4 * random.nextInt(8));
            sr.put((byte) 0x80).put((byte) 200).putShort((short) (6 + random.nextInt(1000))).putInt(random.nextInt());
            shots.add(new Shot(Expect.MEDIA_UNKNOWN_ADDRESS, sr.array()));
        }
    }

    /** A STUN binding request with USERNAME, PRIORITY, ICE-CONTROLLING, MESSAGE-INTEGRITY and FINGERPRINT (RFC 8445 7.1.2). */
    private static byte[] bindingRequest(Random random, String username, byte[] key, boolean goodFingerprint)
            throws GeneralSecurityException {
        byte[] user = username.getBytes(StandardCharsets.UTF_8);
        int userPadded = (user.length + 3) & ~3;
        int length = 4 + userPadded + 8 + 12 + 24 + 8;
        ByteBuffer b = header(0x0001, length, random);
        b.putShort((short) 0x0006).putShort((short) user.length).put(user).put(new byte[userPadded - user.length]);
        b.putShort((short) 0x0024).putShort((short) 4).putInt(0x6E7F00FF);
        b.putShort((short) 0x802A).putShort((short) 8).putLong(random.nextLong());
        // MESSAGE-INTEGRITY covers the header with a length that ends at the integrity attribute (RFC 5389 15.4).
        int integrityAt = b.position();
        byte[] forHmac = Arrays.copyOf(b.array(), integrityAt);
        putShort(forHmac, 2, integrityAt + 24 - 20);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key, "HmacSHA1"));
        b.putShort((short) 0x0008).putShort((short) 20).put(mac.doFinal(forHmac));
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        int fingerprint = (int) crc.getValue() ^ 0x5354554E;
        b.putShort((short) 0x8028).putShort((short) 4).putInt(goodFingerprint ? fingerprint : ~fingerprint);
        return b.array();
    }

    /** A STUN header (type, length, magic cookie, random transaction id) in a buffer with room for the attributes. */
    private static ByteBuffer header(int type, int length, Random random) {
        ByteBuffer b = ByteBuffer.allocate(20 + length);
        b.putShort((short) type).putShort((short) length).putInt(MAGIC_COOKIE);
        byte[] transaction = new byte[12];
        random.nextBytes(transaction);
        return b.put(transaction);
    }

    /** A DTLS 1.2 handshake record carrying a ClientHello (RFC 6347 4.1 and 4.2.2) that offers use_srtp. */
    private static byte[] clientHello(Random random) {
        ByteBuffer body = ByteBuffer.allocate(128);
        body.putShort((short) 0xFEFD);
        byte[] clientRandom = new byte[32];
        random.nextBytes(clientRandom);
        body.put(clientRandom);
        body.put((byte) 0); // session id
        body.put((byte) 0); // cookie
        body.putShort((short) 4).putShort((short) 0xC02B).putShort((short) 0xC02F); // cipher suites
        body.put((byte) 1).put((byte) 0); // compression: null
        body.putShort((short) 9); // extensions
        body.putShort((short) 0x000E).putShort((short) 5).putShort((short) 2).putShort((short) 0x0007).put((byte) 0);
        int bodyLength = body.position();
        ByteBuffer record = ByteBuffer.allocate(13 + 12 + bodyLength);
        record.put((byte) 22).putShort((short) 0xFEFF).putShort((short) 0).putShort((short) 0).putInt(0)
                .putShort((short) (12 + bodyLength));
        record.put((byte) 1).put(uint24(bodyLength)).putShort((short) 0).put(uint24(0)).put(uint24(bodyLength));
        record.put(body.array(), 0, bodyLength);
        return record.array();
    }

    private static byte[] uint24(int v) {
        return new byte[] {(byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static void putShort(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 8);
        b[at + 1] = (byte) value;
    }

    private static Map<Expect, Integer> tally(List<Shot> shots) {
        Map<Expect, Integer> counts = new EnumMap<>(Expect.class);
        for (Shot s : shots) {
            counts.merge(s.expect(), 1, Integer::sum);
        }
        return counts;
    }

    /** Sends {@code shots} at a bounded rate from one socket; completes when the last one is sent. */
    private static CompletableFuture<Void> fire(List<Shot> shots, InetSocketAddress node) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("bad-input-sender").daemon().factory());
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicInteger next = new AtomicInteger();
        ScheduledFuture<?> ticks = scheduler.scheduleAtFixedRate(() -> {
            try {
                for (int i = 0; i < DATAGRAMS_PER_TICK && next.get() < shots.size(); i++) {
                    byte[] b = shots.get(next.getAndIncrement()).bytes();
                    socket.send(new DatagramPacket(b, b.length, node));
                }
                if (next.get() >= shots.size()) {
                    done.complete(null);
                }
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, 0, TICK.toNanos(), TimeUnit.NANOSECONDS);
        return done.whenComplete((ok, failure) -> {
            ticks.cancel(false);
            scheduler.shutdown();
            socket.close();
        });
    }

    /**
     * The node's last log line about the transport has a count per drop reason; every datagram of the barrage
     * must be in one of the reasons a stranger's datagram can have, and each crafted kind in its own reason.
     * Counts may be higher than what was sent (the browsers' own late packets after their sessions close).
     */
    private static void nodeCountedEveryDatagramByReason(String log, Map<Expect, Integer> sent) {
        Matcher m = CLOSING_LINE.matcher(log);
        assertThat(m.find()).as("the node logs its transport counters when it stops; log:%n%s", log).isTrue();
        long datagramsIn = Long.parseLong(m.group(1));
        Map<String, Long> dropped = new LinkedHashMap<>();
        for (String entry : m.group(3).split(",\\s*")) {
            if (!entry.isBlank()) {
                String[] kv = entry.split("=");
                dropped.put(kv[0].trim(), Long.parseLong(kv[1].trim()));
            }
        }
        int total = sent.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("bad input: sent %s (%d datagrams); node: %d datagrams in, dropped %s%n", sent, total,
                datagramsIn, dropped);
        assertThat(datagramsIn).as("datagrams the node received").isGreaterThanOrEqualTo(total);
        for (Map.Entry<Expect, Integer> e : sent.entrySet()) {
            if (e.getKey() != Expect.ANY_UNKNOWN_SOURCE) {
                assertThat(dropped.getOrDefault(e.getKey().name(), 0L)).as("drops counted as %s (all: %s)", e.getKey(), dropped)
                        .isGreaterThanOrEqualTo(e.getValue());
            }
        }
        long strangers = 0;
        for (Expect reason : Expect.values()) {
            strangers += dropped.getOrDefault(reason.name(), 0L);
        }
        assertThat(strangers).as("drops for the reasons a datagram from an unknown address can have (all: %s)", dropped)
                .isGreaterThanOrEqualTo(total);
    }

    // ---- the HTTP barrage ----

    private void malformedOffersAreRefusedWithAReason(NodeProcess node, String room, String publisherOffer,
                                                     String viewerOffer) throws Exception {
        for (String protocol : List.of("whip", "whep")) {
            String token = token(node, protocol, room);
            URI endpoint = node.uri("/" + protocol + "/endpoint");
            String offer = protocol.equals("whip") ? publisherOffer : viewerOffer;
            Map<String, String> bad = new LinkedHashMap<>();
            bad.put("empty", "");
            bad.put("blank", " \r\n\r\n");
            bad.put("text garbage", "hello, this is not SDP at all\r\n");
            byte[] binary = new byte[4096];
            new Random(13).nextBytes(binary);
            bad.put("binary garbage", new String(binary, StandardCharsets.ISO_8859_1));
            bad.put("SDP header only", offer.substring(0, offer.indexOf("m=")));
            bad.put("cut after the first m= line", offer.substring(0, offer.indexOf("\r\n", offer.indexOf("m=")) + 2));
            bad.put("cut inside a=ice-pwd", cutInside(offer, "a=ice-pwd:"));
            bad.put("cut inside a=fingerprint", cutInside(offer, "a=fingerprint:"));
            bad.put("no fingerprint", offer.replaceAll("a=fingerprint:[^\r\n]*\r\n", ""));
            bad.put("huge garbage under the size limit", "x".repeat(60_000));
            for (Map.Entry<String, String> b : bad.entrySet()) {
                HttpResponse<String> r = postSdp(endpoint, token, "application/sdp", b.getValue());
                assertThat(r.statusCode()).as("%s %s: %s", protocol, b.getKey(), r.body()).isEqualTo(400);
                assertThat(r.body()).as("%s %s: reason in the body", protocol, b.getKey()).isNotBlank();
            }
            assertThat(postSdp(endpoint, token, "application/sdp", "").body()).contains("empty");
            assertThat(postSdp(endpoint, token, "application/sdp", bad.get("no fingerprint")).body())
                    .contains("fingerprint");

            HttpResponse<String> huge = postSdp(endpoint, token, "application/sdp", offer + "a=x-pad:" + "y".repeat(100_000) + "\r\n");
            assertThat(huge.statusCode()).as("%s huge offer: %s", protocol, huge.body()).isEqualTo(413);
            assertThat(huge.body()).as("%s huge offer: reason", protocol).contains("larger than");

            HttpResponse<String> wrongType = postSdp(endpoint, token, "text/plain", offer);
            assertThat(wrongType.statusCode()).as("%s wrong content type: %s", protocol, wrongType.body()).isEqualTo(415);
            assertThat(wrongType.body()).as("%s wrong content type: reason", protocol).contains("application/sdp");
        }
    }

    /** {@code sdp} cut in the middle of the value of the first line that starts with {@code prefix}. */
    private static String cutInside(String sdp, String prefix) {
        int start = sdp.indexOf(prefix);
        assertThat(start).as("offer has %s", prefix).isNotNegative();
        int end = sdp.indexOf("\r\n", start);
        return sdp.substring(0, start + prefix.length() + (end - start - prefix.length()) / 2);
    }

    private String token(NodeProcess node, String protocol, String room) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.uri("/token/" + protocol))
                .header("Authorization", "Bearer " + node.secret())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"room\": \"" + room + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("token: %s", r.body()).isEqualTo(200);
        Matcher m = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
        assertThat(m.find()).as("token in %s", r.body()).isTrue();
        return m.group(1);
    }

    private HttpResponse<String> postSdp(URI endpoint, String token, String type, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(endpoint)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.ISO_8859_1))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    // ---- the browser ----

    private static double framesDecoded(SamplePage page) {
        return SamplePage.number(page.stats(), "in-video", "framesDecoded");
    }

    private static String localSdp(SamplePage page) {
        return (String) page.page().evaluate("() => window.session.pc.localDescription.sdp");
    }

    private static String remoteSdp(SamplePage page) {
        return (String) page.page().evaluate("() => window.session.pc.remoteDescription.sdp");
    }

    private static String attribute(String sdp, String name) {
        Matcher m = Pattern.compile("a=" + name + ":([^\r\n]+)").matcher(sdp);
        assertThat(m.find()).as("a=%s in%n%s", name, sdp).isTrue();
        return m.group(1).trim();
    }
}
