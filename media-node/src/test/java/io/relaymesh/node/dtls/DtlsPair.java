package io.relaymesh.node.dtls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.relaymesh.node.srtp.SrtpProfile;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A server and a client endpoint whose sinks feed each other's {@code receive}, with an optional filter per
 * direction that drops datagrams (a lossy wire) and a record of everything that went over the wire.
 */
final class DtlsPair {

    /** Certificates are slow-ish to make; tests share two. */
    static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate(Clock.systemUTC(), new SecureRandom());
    static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate(Clock.systemUTC(), new SecureRandom());

    final RecordingListener serverListener = new RecordingListener();
    final RecordingListener clientListener = new RecordingListener();
    final List<byte[]> serverToClient = new CopyOnWriteArrayList<>();
    final List<byte[]> clientToServer = new CopyOnWriteArrayList<>();
    final List<Thread> threads = new CopyOnWriteArrayList<>();
    final AtomicInteger droppedServerToClient = new AtomicInteger();
    final AtomicInteger droppedClientToServer = new AtomicInteger();

    DtlsEndpoint server;
    DtlsEndpoint client;

    /** Options for one pair; defaults give a clean, fast wire. */
    static final class Options {
        List<SrtpProfile> serverProfiles = List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        List<SrtpProfile> clientProfiles = List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        String fingerprintServerExpects = CLIENT_CERT.fingerprintSha256();
        String fingerprintClientExpects = SERVER_CERT.fingerprintSha256();
        Predicate<byte[]> dropServerToClient = d -> false;
        Predicate<byte[]> dropClientToServer = d -> false;
        // Generous: the handshake is CPU-bound and test machines are shared with other builds.
        Duration handshakeTimeout = Duration.ofSeconds(30);
        int mtu = DtlsEndpoint.DEFAULT_MTU;
        int inboundCapacity = DtlsEndpoint.DEFAULT_INBOUND_CAPACITY;
    }

    static DtlsPair create(Options options) {
        DtlsPair pair = new DtlsPair();
        AtomicReference<DtlsEndpoint> serverRef = new AtomicReference<>();
        AtomicReference<DtlsEndpoint> clientRef = new AtomicReference<>();
        ThreadFactory recordingFactory = r -> {
            Thread t = Thread.ofVirtual().name("test-dtls").unstarted(r);
            pair.threads.add(t);
            return t;
        };
        pair.server = DtlsEndpoint.builder()
                .role(DtlsRole.SERVER)
                .certificate(SERVER_CERT)
                .remoteFingerprint("sha-256", options.fingerprintServerExpects)
                .srtpProfiles(options.serverProfiles)
                .sink(forward(clientRef, options.dropServerToClient, pair.serverToClient, pair.droppedServerToClient))
                .listener(pair.serverListener)
                .allocator(UnpooledByteBufAllocator.DEFAULT)
                .threadFactory(recordingFactory)
                .handshakeTimeout(options.handshakeTimeout)
                .retransmitTimeout(Duration.ofMillis(100))
                .mtu(options.mtu)
                .inboundCapacity(options.inboundCapacity)
                .build();
        pair.client = DtlsEndpoint.builder()
                .role(DtlsRole.CLIENT)
                .certificate(CLIENT_CERT)
                .remoteFingerprint("sha-256", options.fingerprintClientExpects)
                .srtpProfiles(options.clientProfiles)
                .sink(forward(serverRef, options.dropClientToServer, pair.clientToServer, pair.droppedClientToServer))
                .listener(pair.clientListener)
                .allocator(UnpooledByteBufAllocator.DEFAULT)
                .threadFactory(recordingFactory)
                .handshakeTimeout(options.handshakeTimeout)
                .retransmitTimeout(Duration.ofMillis(100))
                .mtu(options.mtu)
                .inboundCapacity(options.inboundCapacity)
                .build();
        serverRef.set(pair.server);
        clientRef.set(pair.client);
        return pair;
    }

    private static DtlsRecordSink forward(AtomicReference<DtlsEndpoint> to, Predicate<byte[]> drop,
                                          List<byte[]> log, AtomicInteger dropped) {
        return datagram -> {
            try {
                byte[] bytes = ByteBufUtil.getBytes(datagram);
                log.add(bytes);
                if (drop.test(bytes)) {
                    dropped.incrementAndGet();
                    return;
                }
                to.get().receive(datagram);
            } finally {
                datagram.release();
            }
        };
    }

    void start() {
        server.start();
        client.start();
    }

    void close() {
        client.close();
        server.close();
    }

    boolean threadsEnded() {
        return threads.stream().noneMatch(Thread::isAlive);
    }

    static ByteBuf copyOf(byte[] bytes) {
        return io.netty.buffer.Unpooled.wrappedBuffer(bytes);
    }
}
