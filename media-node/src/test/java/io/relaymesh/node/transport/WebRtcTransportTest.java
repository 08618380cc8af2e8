package io.relaymesh.node.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.dtls.DtlsCertificate;
import io.relaymesh.node.srtp.SrtpProfile;
import io.relaymesh.node.stun.StunMessage;
import io.relaymesh.node.stun.StunMessageWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ICE-lite on a real UDP socket on loopback, with the transport's clock under the test's control. */
class WebRtcTransportTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final List<String> closed = new CopyOnWriteArrayList<>();
    private WebRtcTransport transport;
    private DatagramSocket client;

    @BeforeEach
    void bind() throws Exception {
        DtlsCertificate certificate = DtlsCertificate.generate(Clock.systemUTC(), RANDOM);
        transport = WebRtcTransport.bind(List.of(InetAddress.getLoopbackAddress()), 0, nanos::get,
                new WebRtcTransport.DtlsSettings(certificate, List.of(SrtpProfile.AEAD_AES_128_GCM), RANDOM));
        client = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        client.setSoTimeout(5000);
    }

    @AfterEach
    void close() {
        client.close();
        transport.close();
    }

    private PeerConnection connection(String id) throws Exception {
        IceCredentials local = IceCredentials.random(RandomGenerator.getDefault());
        IceCredentials remote = IceCredentials.random(RandomGenerator.getDefault());
        PeerConnection pc = new PeerConnection(id, local, remote, "sha-256",
                "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF",
                new Recorder(), nanos.get());
        return transport.register(pc).get();
    }

    private void sendCheck(PeerConnection pc, byte[] key, boolean useCandidate) throws Exception {
        ByteBuf out = Unpooled.buffer(256);
        byte[] transactionId = new byte[12];
        RANDOM.nextBytes(transactionId);
        StunMessageWriter.writeBindingRequest(out, transactionId, pc.localIce().ufrag() + ":" + pc.remoteIce().ufrag(),
                0x6E7F1EFFL, true, RANDOM.nextLong(), useCandidate, key);
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        out.release();
        client.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), transport.port())));
    }

    private StunMessage receive() throws Exception {
        byte[] buf = new byte[1500];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        client.receive(p);
        ByteBuf in = Unpooled.wrappedBuffer(buf, 0, p.getLength());
        try {
            return StunMessage.parse(in);
        } finally {
            in.release();
        }
    }

    @Test
    void oneTransportServesEveryAdvertisedAddressAndAnswersFromTheAddressItWasAsked() throws Exception {
        InetAddress other = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress())
                .findFirst()
                .orElseThrow(() -> new AssertionError("this test needs a non-loopback IPv4 address on the machine"));
        DtlsCertificate certificate = DtlsCertificate.generate(Clock.systemUTC(), RANDOM);
        WebRtcTransport twoAddresses = WebRtcTransport.bind(List.of(InetAddress.getLoopbackAddress(), other), 0,
                nanos::get, new WebRtcTransport.DtlsSettings(certificate, List.of(SrtpProfile.AEAD_AES_128_GCM), RANDOM));
        try (DatagramSocket peer = new DatagramSocket(0, other)) {
            peer.setSoTimeout(5000);
            IceCredentials local = IceCredentials.random(RandomGenerator.getDefault());
            IceCredentials remote = IceCredentials.random(RandomGenerator.getDefault());
            PeerConnection pc = twoAddresses.register(new PeerConnection("two", local, remote, "sha-256",
                    "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF",
                    new Recorder(), nanos.get())).get();
            ByteBuf out = Unpooled.buffer(256);
            byte[] transactionId = new byte[12];
            RANDOM.nextBytes(transactionId);
            StunMessageWriter.writeBindingRequest(out, transactionId, local.ufrag() + ":" + remote.ufrag(),
                    0x6E7F1EFFL, true, RANDOM.nextLong(), true, local.integrityKey());
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            out.release();
            peer.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(other, twoAddresses.port())));
            DatagramPacket reply = new DatagramPacket(new byte[1500], 1500);
            peer.receive(reply);
            assertThat(reply.getAddress()).isEqualTo(other);
            await().atMost(Duration.ofSeconds(5)).until(() -> pc.state() == PeerConnection.State.CONNECTED);
        } finally {
            twoAddresses.close();
        }
    }

    @Test
    void authenticatedCheckIsAnsweredWithTheMappedAddressAndSelectsIt() throws Exception {
        PeerConnection pc = connection("a");
        byte[] key = pc.localIce().integrityKey();
        sendCheck(pc, key, true);
        StunMessage response = receive();
        assertThat(response.isBindingSuccess()).isTrue();
        assertThat(response.verifyMessageIntegrity(key)).isTrue();
        assertThat(response.verifyFingerprint()).isTrue();
        assertThat(response.xorMappedAddress()).isEqualTo(client.getLocalSocketAddress());
        await().atMost(Duration.ofSeconds(5)).until(() -> pc.state() == PeerConnection.State.CONNECTED);
        assertThat(pc.selectedAddress()).isEqualTo(client.getLocalSocketAddress());
    }

    @Test
    void checksWithAWrongPasswordOrUnknownUfragAreDroppedAndCounted() throws Exception {
        PeerConnection pc = connection("b");
        sendCheck(pc, "wrong-password-wrong-password".getBytes(), true);
        await().atMost(Duration.ofSeconds(5)).until(
                () -> transport.counters().dropped(TransportCounters.Drop.STUN_BAD_INTEGRITY) == 1);
        assertThat(pc.state()).isEqualTo(PeerConnection.State.NEW);

        PeerConnection stranger = new PeerConnection("c", IceCredentials.random(RANDOM), IceCredentials.random(RANDOM),
                "sha-256", "AA", new Recorder(), nanos.get()); // never registered
        sendCheck(stranger, stranger.localIce().integrityKey(), true);
        await().atMost(Duration.ofSeconds(5)).until(
                () -> transport.counters().dropped(TransportCounters.Drop.STUN_UNKNOWN_UFRAG) == 1);
    }

    @Test
    void aPeerSilentForThirtySecondsIsClosedAndUnmapped() throws Exception {
        PeerConnection pc = connection("d");
        sendCheck(pc, pc.localIce().integrityKey(), true);
        receive();
        nanos.addAndGet(Duration.ofSeconds(29).toNanos());
        sendCheck(pc, pc.localIce().integrityKey(), false); // consent refreshed at 29 s
        receive();
        nanos.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(closed).isEmpty();
        nanos.addAndGet(Duration.ofSeconds(2).toNanos()); // 31 s after the last check
        await().atMost(Duration.ofSeconds(5)).until(() -> closed.size() == 1);
        assertThat(closed.getFirst()).startsWith("d:consent expired");
        assertThat(transport.connectionCount()).isZero();

        // Its ufrag is no longer answered.
        sendCheck(pc, pc.localIce().integrityKey(), true);
        await().atMost(Duration.ofSeconds(5)).until(
                () -> transport.counters().dropped(TransportCounters.Drop.STUN_UNKNOWN_UFRAG) == 1);
    }

    @Test
    void aSessionWhoseIceNeverCompletesIsClosedAfterThirtySeconds() throws Exception {
        connection("e");
        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        await().atMost(Duration.ofSeconds(5)).until(() -> closed.size() == 1);
        assertThat(closed.getFirst()).isEqualTo("e:ICE did not complete within 30 s");
    }

    private final class Recorder implements MediaHandler {
        @Override
        public void onSecure(PeerConnection connection) {
        }

        @Override
        public void onRtp(PeerConnection connection, ByteBuf packet) {
        }

        @Override
        public void onRtcp(PeerConnection connection, ByteBuf packet) {
        }

        @Override
        public void onClosed(PeerConnection connection, String reason) {
            closed.add(connection.id() + ":" + reason);
        }
    }
}
