package io.relaymesh.node.dtls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.srtp.SrtpProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DtlsEndpointTest {

    /** Bound on every wait: far above a normal run, so only a hang fails, even on a loaded shared machine. */
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<DtlsPair> pairs = new ArrayList<>();

    @AfterEach
    void closeEverything() {
        pairs.forEach(DtlsPair::close);
        await().atMost(WAIT).until(() -> pairs.stream().allMatch(DtlsPair::threadsEnded));
    }

    private DtlsPair pair(DtlsPair.Options options) {
        DtlsPair pair = DtlsPair.create(options);
        pairs.add(pair);
        return pair;
    }

    private static void awaitBothCompleted(DtlsPair pair) {
        await().atMost(WAIT).until(() -> pair.serverListener.completed() && pair.clientListener.completed()
                || pair.serverListener.ended() || pair.clientListener.ended());
        assertThat(pair.serverListener.completed()).as("server: %s", pair.serverListener).isTrue();
        assertThat(pair.clientListener.completed()).as("client: %s", pair.clientListener).isTrue();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void handshakeExportsIdenticalKeysForTheProfileTheServerForces(SrtpProfile forced) {
        DtlsPair.Options options = new DtlsPair.Options();
        options.serverProfiles = List.of(forced);
        DtlsPair pair = pair(options);

        pair.start();
        awaitBothCompleted(pair);

        assertThat(pair.serverListener.profile).isEqualTo(forced);
        assertThat(pair.clientListener.profile).isEqualTo(forced);
        assertThat(pair.server.negotiatedProfile()).isEqualTo(forced);
        assertThat(pair.client.negotiatedProfile()).isEqualTo(forced);
        assertThat(pair.server.isConnected()).isTrue();
        assertThat(pair.client.isConnected()).isTrue();
        assertThat(pair.serverListener.keyingMaterial)
                .hasSize(forced.keyingMaterialLength())
                .isEqualTo(pair.clientListener.keyingMaterial)
                .isNotEqualTo(new byte[forced.keyingMaterialLength()]);
    }

    @Test
    void twoHandshakesWithTheSameCertificatesExportDifferentKeys() {
        DtlsPair first = pair(new DtlsPair.Options());
        DtlsPair second = pair(new DtlsPair.Options());
        first.start();
        second.start();
        awaitBothCompleted(first);
        awaitBothCompleted(second);

        assertThat(first.serverListener.keyingMaterial).isNotEqualTo(second.serverListener.keyingMaterial);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void serverPreferenceOrderDecidesWhenTheClientOffersBoth(SrtpProfile serverFirst) {
        SrtpProfile other = serverFirst == SrtpProfile.AEAD_AES_128_GCM
                ? SrtpProfile.AES_CM_128_HMAC_SHA1_80 : SrtpProfile.AEAD_AES_128_GCM;
        DtlsPair.Options options = new DtlsPair.Options();
        options.serverProfiles = List.of(serverFirst, other);
        // The client prefers the other one; the server's order must still win.
        options.clientProfiles = List.of(other, serverFirst);
        DtlsPair pair = pair(options);

        pair.start();
        awaitBothCompleted(pair);

        assertThat(pair.serverListener.profile).isEqualTo(serverFirst);
        assertThat(pair.clientListener.profile).isEqualTo(serverFirst);
    }

    @Test
    void noCommonSrtpProfileFailsOnTheServerWithTheReason() {
        DtlsPair.Options options = new DtlsPair.Options();
        options.serverProfiles = List.of(SrtpProfile.AEAD_AES_128_GCM);
        options.clientProfiles = List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        DtlsPair pair = pair(options);

        pair.start();
        await().atMost(WAIT).until(() -> pair.serverListener.ended() && pair.clientListener.ended());

        assertThat(pair.serverListener.failureReason).contains("no common SRTP profile")
                .contains("SRTP_AES128_CM_HMAC_SHA1_80");
        assertThat(pair.clientListener.failureReason).contains("peer sent fatal alert handshake_failure");
        assertThat(pair.serverListener.completed()).isFalse();
        assertThat(pair.clientListener.completed()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(DtlsRole.class)
    void fingerprintMismatchFailsTheCheckingSideWithAClearReason(DtlsRole checker) {
        // The fingerprint of a third certificate: valid format, wrong value.
        String wrong = DtlsCertificate.fingerprintSha256(new byte[] {1, 2, 3});
        DtlsPair.Options options = new DtlsPair.Options();
        if (checker == DtlsRole.SERVER) {
            options.fingerprintServerExpects = wrong;
        } else {
            options.fingerprintClientExpects = wrong;
        }
        DtlsPair pair = pair(options);

        pair.start();
        await().atMost(WAIT).until(() -> pair.serverListener.ended() && pair.clientListener.ended());

        RecordingListener checking = checker == DtlsRole.SERVER ? pair.serverListener : pair.clientListener;
        RecordingListener checked = checker == DtlsRole.SERVER ? pair.clientListener : pair.serverListener;
        assertThat(checking.failureReason)
                .contains("does not match the SDP fingerprint")
                .contains(wrong);
        assertThat(checked.failureReason).contains("bad_certificate");
        assertThat(checking.completed()).isFalse();
        assertThat(pair.server.isConnected()).isFalse();
        assertThat(pair.client.isConnected()).isFalse();
    }

    @Test
    void fingerprintComparisonIgnoresLetterCase() {
        DtlsPair.Options options = new DtlsPair.Options();
        options.fingerprintServerExpects = DtlsPair.CLIENT_CERT.fingerprintSha256().toLowerCase(Locale.ROOT);
        options.fingerprintClientExpects = DtlsPair.SERVER_CERT.fingerprintSha256().toLowerCase(Locale.ROOT);
        DtlsPair pair = pair(options);

        pair.start();
        awaitBothCompleted(pair);
    }

    @Test
    void handshakeCompletesWhenTheFirstDatagramsOfBothDirectionsAreLost() {
        AtomicInteger serverSent = new AtomicInteger();
        AtomicInteger clientSent = new AtomicInteger();
        DtlsPair.Options options = new DtlsPair.Options();
        options.dropClientToServer = d -> clientSent.incrementAndGet() <= 2;
        options.dropServerToClient = d -> serverSent.incrementAndGet() <= 2;
        DtlsPair pair = pair(options);

        pair.start();
        awaitBothCompleted(pair);

        assertThat(pair.droppedClientToServer).hasValue(2);
        assertThat(pair.droppedServerToClient).hasValue(2);
        assertThat(pair.serverListener.keyingMaterial).isEqualTo(pair.clientListener.keyingMaterial);
    }

    @Test
    void connectedServerResendsItsLastFlightWhenTheClientRetransmits() {
        // Lose the server's final flight (ChangeCipherSpec and the epoch-1 Finished) once. The server has
        // already completed, so only its post-handshake loop can answer the client's retransmission.
        AtomicInteger finalFlightDrops = new AtomicInteger();
        DtlsPair.Options options = new DtlsPair.Options();
        options.dropServerToClient = d -> (isChangeCipherSpec(d) || epoch(d) == 1)
                && finalFlightDrops.getAndIncrement() < 2;
        DtlsPair pair = pair(options);

        pair.start();
        awaitBothCompleted(pair);

        assertThat(pair.droppedServerToClient).hasValue(2);
        assertThat(pair.clientToServer.stream().filter(DtlsEndpointTest::isChangeCipherSpec).count())
                .as("client sent its final flight again").isGreaterThanOrEqualTo(2);
        assertThat(pair.serverListener.keyingMaterial).isEqualTo(pair.clientListener.keyingMaterial);
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 1200})
    void everyDatagramFitsTheMtu(int mtu) {
        DtlsPair.Options options = new DtlsPair.Options();
        options.mtu = mtu;
        DtlsPair pair = pair(options);

        pair.start();
        awaitBothCompleted(pair);

        assertThat(pair.serverToClient).allSatisfy(d -> assertThat(d.length).isLessThanOrEqualTo(mtu));
        assertThat(pair.clientToServer).allSatisfy(d -> assertThat(d.length).isLessThanOrEqualTo(mtu));
        if (mtu == 256) {
            // The certificate flight alone exceeds 256 bytes, so fragmentation really happened.
            assertThat(pair.serverToClient.stream().mapToInt(d -> d.length).sum()).isGreaterThan(mtu);
        }
    }

    @Test
    void garbageNeverEscapesReceiveAndDoesNotDisturbTheHandshakeOrAnotherPair() {
        AtomicInteger forwarded = new AtomicInteger();
        DtlsPair.Options victimOptions = new DtlsPair.Options();
        DtlsPair[] victim = new DtlsPair[1];
        // Mid-handshake: junk ahead of each of the first real datagrams to the server.
        victimOptions.dropClientToServer = d -> {
            if (forwarded.incrementAndGet() <= 20) {
                feedGarbage(victim[0].server, d, forwarded.get(), false);
            }
            return false;
        };
        victim[0] = pair(victimOptions);
        DtlsPair bystander = pair(new DtlsPair.Options());

        feedGarbage(victim[0].server, new byte[] {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0}, 0, false);
        victim[0].start();
        bystander.start();
        awaitBothCompleted(victim[0]);
        awaitBothCompleted(bystander);

        // After the handshake, junk to both sides, including corrupted copies of real records of both epochs.
        for (int i = 0; i < 20; i++) {
            feedGarbage(victim[0].server, victim[0].clientToServer.get(i % victim[0].clientToServer.size()),
                    100 + i, true);
            feedGarbage(victim[0].client, victim[0].serverToClient.get(i % victim[0].serverToClient.size()),
                    200 + i, true);
        }
        assertThat(victim[0].server.ignoredDatagrams()).isPositive();
        assertThat(victim[0].client.ignoredDatagrams()).isPositive();
        assertThat(victim[0].server.malformedDatagrams()).isPositive();
        assertThat(victim[0].client.malformedDatagrams()).isPositive();

        // Still alive: an orderly close goes through both record layers.
        victim[0].client.close();
        await().atMost(WAIT).until(() -> victim[0].serverListener.ended());
        assertThat(victim[0].serverListener.closedReason).isEqualTo("peer sent close_notify");
        assertThat(victim[0].serverListener.failureReason).isNull();
        assertThat(bystander.server.isConnected()).isTrue();
        assertThat(bystander.client.isConnected()).isTrue();
        assertThat(bystander.serverListener.keyingMaterial).isEqualTo(bystander.clientListener.keyingMaterial);
    }

    @Test
    void aFloodOfForgedRecordsAheadOfThePeersCloseNotifyCannotPushItOut() {
        // Hold the client's close_notify back so the whole flood reaches the server before it, whatever the
        // threads' timing. The forged records are well formed (so they take places in the small queue), some
        // too short to hold a nonce and tag (which must be discarded, not fail the connection), and carry
        // sequence numbers far ahead of the real ones, which must not move the replay window either.
        AtomicBoolean holdAlerts = new AtomicBoolean();
        AtomicReference<byte[]> closeNotify = new AtomicReference<>();
        DtlsPair.Options options = new DtlsPair.Options();
        options.inboundCapacity = 8;
        options.dropClientToServer = d -> holdAlerts.get() && d[0] == 21 && epoch(d) == 1
                && closeNotify.compareAndSet(null, d);
        DtlsPair pair = pair(options);
        pair.start();
        awaitBothCompleted(pair);

        holdAlerts.set(true);
        pair.client.close();
        await().atMost(WAIT).until(() -> closeNotify.get() != null);
        Random random = new Random(7);
        int forged = 40 * options.inboundCapacity;
        for (int i = 0; i < forged; i++) {
            deliver(pair.server, forgedEpochOneRecord(random, 1_000_000 + i));
        }
        deliver(pair.server, closeNotify.get());

        await().atMost(WAIT).until(() -> pair.serverListener.ended());
        assertThat(pair.serverListener.failureReason).as("cause %s", pair.serverListener.failureCause).isNull();
        assertThat(pair.serverListener.closedReason).isEqualTo("peer sent close_notify");
        assertThat(pair.server.malformedDatagrams()).as("forged records are well formed").isZero();
        assertThat(pair.server.droppedDatagrams()).isLessThanOrEqualTo(forged);
    }

    /**
     * An alert or application data record of epoch 1 with a random body of 0 to 79 bytes: well formed, but
     * fails authentication, and many are shorter than the AES-GCM nonce and tag (24 bytes).
     */
    private static byte[] forgedEpochOneRecord(Random random, long sequenceNumber) {
        int bodyLength = random.nextInt(80);
        ByteBuf record = Unpooled.buffer(DtlsRecords.RECORD_HEADER_LENGTH + bodyLength);
        try {
            record.writeByte(random.nextBoolean() ? 21 : 23) // ContentType: alert or application_data
                    .writeByte(0xFE).writeByte(0xFD)        // DTLS 1.2
                    .writeShort(1)                            // epoch
                    .writeShort((int) (sequenceNumber >>> 32)).writeInt((int) sequenceNumber)
                    .writeShort(bodyLength);                  // length
            byte[] body = new byte[bodyLength];
            random.nextBytes(body);
            record.writeBytes(body);
            return ByteBufUtil.getBytes(record);
        } finally {
            record.release();
        }
    }

    private static void deliver(DtlsEndpoint endpoint, byte[] datagram) {
        ByteBuf buf = Unpooled.wrappedBuffer(datagram);
        try {
            endpoint.receive(buf);
        } finally {
            buf.release();
        }
    }

    @Test
    void spoofedCorruptClientHelloFailsTheHandshakeCleanlyWithoutTouchingAnotherPair() {
        // Epoch-0 records carry no MAC: a corrupted copy of the ClientHello that wins the race makes the
        // transcripts differ, so the handshake must fail (not hang, not throw to the caller).
        AtomicInteger forwarded = new AtomicInteger();
        DtlsPair.Options victimOptions = new DtlsPair.Options();
        DtlsPair[] victim = new DtlsPair[1];
        victimOptions.dropClientToServer = d -> {
            if (forwarded.incrementAndGet() == 1) {
                byte[] corrupt = d.clone();
                corrupt[corrupt.length - 1] ^= 0x55;
                victim[0].server.receive(Unpooled.wrappedBuffer(corrupt));
            }
            return false;
        };
        victim[0] = pair(victimOptions);
        DtlsPair bystander = pair(new DtlsPair.Options());

        victim[0].start();
        bystander.start();
        awaitBothCompleted(bystander);
        await().atMost(WAIT).until(() -> victim[0].serverListener.ended() && victim[0].clientListener.ended());

        assertThat(victim[0].serverListener.failureReason).startsWith("DTLS handshake failed");
        assertThat(victim[0].serverListener.completed()).isFalse();
        await().atMost(WAIT).until(victim[0]::threadsEnded);
        assertThat(bystander.server.isConnected()).isTrue();
    }

    /** Feeds a family of malformed datagrams derived from a real one; {@code seed} varies the random part. */
    private static void feedGarbage(DtlsEndpoint endpoint, byte[] real, int seed, boolean corruptedCopy) {
        Random random = new Random(seed);
        List<byte[]> junk = new ArrayList<>();
        junk.add(new byte[0]);
        junk.add(new byte[] {22});
        junk.add(new byte[] {(byte) 0x80, 0x60, 0, 1}); // RTP, not DTLS
        junk.add(Arrays.copyOf(real, Math.max(1, real.length / 2))); // truncated record
        junk.add(Arrays.copyOf(real, DtlsRecords.RECORD_HEADER_LENGTH)); // header only
        byte[] lying = real.clone();
        lying[11] = (byte) 0xFF; // length field claims more than the datagram holds
        lying[12] = (byte) 0xFF;
        junk.add(lying);
        if (corruptedCopy) {
            byte[] flipped = real.clone();
            flipped[flipped.length - 1] ^= 0x55; // replayed sequence number, corrupted body
            junk.add(flipped);
        }
        for (int contentType : new int[] {20, 21, 22, 23, 63}) {
            byte[] noise = new byte[1 + random.nextInt(300)];
            random.nextBytes(noise);
            noise[0] = (byte) contentType;
            junk.add(noise);
        }
        for (byte[] j : junk) {
            ByteBuf buf = Unpooled.buffer(j.length + 7);
            buf.writeZero(7).readerIndex(7); // start at a non-zero offset, like a demuxed datagram
            buf.writeBytes(j);
            try {
                endpoint.receive(buf);
                assertThat(buf.readerIndex()).isEqualTo(7);
            } finally {
                buf.release();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DtlsRole.class)
    void closeMidHandshakeStopsTheWorkerThread(DtlsRole role) {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        AtomicInteger sent = new AtomicInteger();
        RecordingListener listener = new RecordingListener();
        DtlsEndpoint endpoint = DtlsEndpoint.builder()
                .role(role)
                .certificate(DtlsPair.SERVER_CERT)
                .remoteFingerprint("sha-256", DtlsPair.CLIENT_CERT.fingerprintSha256())
                .sink(d -> {
                    sent.incrementAndGet();
                    d.release();
                })
                .listener(listener)
                .threadFactory(r -> {
                    Thread t = Thread.ofVirtual().unstarted(r);
                    threads.add(t);
                    return t;
                })
                .retransmitTimeout(Duration.ofMillis(50))
                .build();

        endpoint.start();
        assertThat(threads).hasSize(1);
        assertThat(threads.getFirst().isVirtual()).isTrue();
        if (role == DtlsRole.CLIENT) {
            await().atMost(WAIT).until(() -> sent.get() >= 2); // ClientHello sent and retransmitted
        } else {
            await().atMost(WAIT).until(() -> isParked(threads.getFirst()));
        }

        endpoint.close();

        await().atMost(WAIT).until(() -> !threads.getFirst().isAlive());
        assertThat(listener.closedReason).isEqualTo("closed during the handshake");
        assertThat(listener.failureReason).isNull();
        assertThat(listener.terminalCallbacks).hasValue(1);
        assertThat(endpoint.isConnected()).isFalse();
        int sentAtEnd = sent.get();
        endpoint.close();
        endpoint.receive(Unpooled.wrappedBuffer(new byte[] {22, 1, 2}));
        assertThat(sent).hasValue(sentAtEnd);
        assertThat(listener.terminalCallbacks).hasValue(1);
    }

    @Test
    void closeWhenConnectedSendsCloseNotifyAndThePeerReportsIt() {
        DtlsPair pair = pair(new DtlsPair.Options());
        pair.start();
        awaitBothCompleted(pair);

        pair.server.close();

        await().atMost(WAIT).until(() -> pair.serverListener.ended() && pair.clientListener.ended());
        assertThat(pair.serverListener.closedReason).isEqualTo("closed");
        assertThat(pair.clientListener.closedReason).isEqualTo("peer sent close_notify");
        assertThat(pair.server.isConnected()).isFalse();
        assertThat(pair.client.isConnected()).isFalse();
        await().atMost(WAIT).until(pair::threadsEnded);
        assertThat(pair.serverListener.terminalCallbacks).hasValue(1);
        assertThat(pair.clientListener.terminalCallbacks).hasValue(1);
    }

    @Test
    void handshakeWithoutPeerFailsAfterTheTimeout() {
        DtlsPair.Options options = new DtlsPair.Options();
        options.handshakeTimeout = Duration.ofMillis(400);
        options.dropClientToServer = d -> true; // the server never hears from the client
        DtlsPair pair = pair(options);

        long start = System.nanoTime();
        pair.start();
        await().atMost(WAIT).until(() -> pair.serverListener.ended() && pair.clientListener.ended());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(pair.serverListener.failureReason).isEqualTo("DTLS handshake did not complete within 400 ms");
        assertThat(pair.clientListener.failureReason).isEqualTo("DTLS handshake did not complete within 400 ms");
        await().atMost(WAIT).until(pair::threadsEnded);
    }

    @Test
    void fullQueueDropsTheOldestAndCountsInsteadOfBlocking() {
        RecordingListener listener = new RecordingListener();
        DtlsEndpoint endpoint = DtlsEndpoint.builder()
                .role(DtlsRole.SERVER)
                .certificate(DtlsPair.SERVER_CERT)
                .remoteFingerprint("sha-256", DtlsPair.CLIENT_CERT.fingerprintSha256())
                .sink(ByteBuf::release)
                .listener(listener)
                .inboundCapacity(2)
                .build();
        // Not started, so nothing drains the queue: a well-formed empty handshake record, five times.
        ByteBuf datagram = Unpooled.wrappedBuffer(new byte[] {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        try {
            for (int i = 0; i < 5; i++) {
                endpoint.receive(datagram);
            }
            endpoint.receive(Unpooled.wrappedBuffer(new byte[] {0, 1})); // STUN range: not ours
            endpoint.receive(Unpooled.wrappedBuffer(new byte[DtlsEndpoint.MAX_INBOUND_DATAGRAM + 1]).setByte(0, 23));
            endpoint.receive(Unpooled.wrappedBuffer(new byte[] {22, (byte) 0xFE, (byte) 0xFD})); // cut header
        } finally {
            datagram.release();
        }

        assertThat(endpoint.droppedDatagrams()).as("3 pushed out of the full queue, 1 too long").isEqualTo(4);
        assertThat(endpoint.ignoredDatagrams()).isEqualTo(1);
        assertThat(endpoint.malformedDatagrams()).isEqualTo(1);
        endpoint.close();
        assertThat(listener.closedReason).isEqualTo("closed before start");
    }

    private static boolean isParked(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }

    private static boolean isChangeCipherSpec(byte[] datagram) {
        return datagram.length > 0 && datagram[0] == 20;
    }

    private static int epoch(byte[] datagram) {
        if (datagram.length < DtlsRecords.RECORD_HEADER_LENGTH) {
            return -1;
        }
        return ((datagram[3] & 0xFF) << 8) | (datagram[4] & 0xFF);
    }
}
