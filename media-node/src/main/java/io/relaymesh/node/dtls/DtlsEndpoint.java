package io.relaymesh.node.dtls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.srtp.SrtpProfile;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsTimeoutException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * One DTLS 1.2 association of a WebRTC transport, used to agree on SRTP keys (DTLS-SRTP, RFC 5763/5764).
 *
 * <p>The endpoint never touches a socket: datagrams from the peer go in through {@link #receive} and
 * datagrams for the peer come out through the {@link DtlsRecordSink}, so two endpoints can be wired together
 * in memory. Bouncy Castle's DTLS code blocks while it waits for the peer, so each endpoint runs it on one
 * worker thread of its own (a virtual thread by default), fed from a bounded queue; {@link #receive} only
 * copies the datagram into that queue and is safe to call from a Netty event loop.
 *
 * <p>After the handshake the worker keeps reading: Bouncy Castle answers a retransmitted final client flight
 * by resending our last flight, and a close_notify or fatal alert from the peer ends the endpoint. Application
 * data is not used yet (data channels come later) and is discarded.
 *
 * <p>Lifecycle: build, {@link #start()}, then exactly one terminal callback on the {@link DtlsListener}. The
 * handshake timeout counts from {@link #start()}. {@link #close()} may be called at any time from any thread
 * and never blocks; the worker thread ends shortly after.
 */
public final class DtlsEndpoint {

    /** Default bound on the whole handshake. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    /** Default first retransmission timer (RFC 6347 section 4.2.4.1 recommends 1 s; doubles on each resend). */
    public static final Duration DEFAULT_RETRANSMIT_TIMEOUT = Duration.ofSeconds(1);

    /** Default largest datagram we send: fits any path that carries WebRTC media, also over TURN. */
    public static final int DEFAULT_MTU = 1200;

    /** Default number of datagrams waiting for the worker; beyond that the oldest waiting one is dropped. */
    public static final int DEFAULT_INBOUND_CAPACITY = 64;

    /** Largest datagram accepted from the peer; anything longer is dropped before the queue. */
    public static final int MAX_INBOUND_DATAGRAM = 2048;

    private static final int MIN_MTU = 256;
    private static final System.Logger LOG = System.getLogger(DtlsEndpoint.class.getName());

    private final DtlsRole role;
    private final DtlsCertificate certificate;
    private final DtlsFingerprint remoteFingerprint;
    private final List<SrtpProfile> srtpProfiles;
    private final DtlsRecordSink sink;
    private final DtlsListener listener;
    private final ByteBufAllocator allocator;
    private final ThreadFactory threadFactory;
    private final SecureRandom random;
    private final Duration handshakeTimeout;
    private final Duration retransmitTimeout;
    private final int mtu;

    private final InboundDatagrams inbound;
    private final Object lifecycle = new Object();
    private final AtomicBoolean terminated = new AtomicBoolean();
    private final LongAdder droppedDatagrams = new LongAdder();
    private final LongAdder ignoredDatagrams = new LongAdder();
    private final LongAdder malformedDatagrams = new LongAdder();
    private final LongAdder discardedApplicationData = new LongAdder();

    // Guarded by lifecycle for writes; volatile for lock-free reads.
    private volatile boolean started;
    private volatile boolean closeRequested;
    private volatile QueuedDatagramTransport transport;
    private volatile Thread worker;

    private volatile boolean connected;
    private volatile SrtpProfile negotiatedProfile;

    private DtlsEndpoint(Builder b) {
        this.role = b.role;
        this.certificate = b.certificate;
        this.remoteFingerprint = b.remoteFingerprint;
        this.srtpProfiles = b.srtpProfiles;
        this.sink = b.sink;
        this.listener = b.listener;
        this.allocator = b.allocator;
        this.threadFactory = b.threadFactory != null ? b.threadFactory
                : Thread.ofVirtual().name("dtls-" + role.name().toLowerCase(Locale.ROOT) + "-", 0).factory();
        this.random = b.random != null ? b.random : new SecureRandom();
        this.handshakeTimeout = b.handshakeTimeout;
        this.retransmitTimeout = b.retransmitTimeout;
        this.mtu = b.mtu;
        this.inbound = new InboundDatagrams(b.inboundCapacity);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the handshake on a new worker thread: a client sends its ClientHello at once, a server waits for
     * one. Calling it on a closed endpoint does nothing.
     *
     * @throws IllegalStateException when called twice, or when the thread factory gives no thread
     */
    public void start() {
        synchronized (lifecycle) {
            if (started) {
                throw new IllegalStateException("DTLS endpoint already started");
            }
            started = true;
            if (closeRequested) {
                return;
            }
            long deadline = System.nanoTime() + handshakeTimeout.toNanos();
            transport = new QueuedDatagramTransport(inbound, sink, allocator, mtu, MAX_INBOUND_DATAGRAM, deadline);
            Thread thread = threadFactory.newThread(this::run);
            if (thread == null) {
                throw new IllegalStateException("thread factory refused to create the DTLS worker");
            }
            worker = thread;
            thread.start();
        }
    }

    /**
     * Hands a datagram from the peer to the endpoint. Copies the readable bytes and returns at once; the caller
     * keeps ownership of {@code datagram} and its reader index is not moved. Datagrams that are not DTLS by
     * the RFC 7983 first-byte rule are ignored; datagrams whose first record the record layer could not even
     * read are discarded here, so they never take a place in the queue; a datagram that is too long or
     * arrives after the endpoint ended is dropped, and when the queue is full the oldest waiting datagram is
     * dropped to make room. All of these are counted. Records that are well formed but forged, replayed or
     * corrupted are discarded by the record layer after it fails to authenticate them.
     */
    public void receive(ByteBuf datagram) {
        if (!DtlsRecords.looksLikeDtls(datagram)) {
            ignoredDatagrams.increment();
            return;
        }
        int length = datagram.readableBytes();
        if (length > MAX_INBOUND_DATAGRAM) {
            droppedDatagrams.increment();
            return;
        }
        if (!DtlsRecords.startsWithWellFormedRecord(datagram)) {
            malformedDatagrams.increment();
            return;
        }
        byte[] copy = new byte[length];
        datagram.getBytes(datagram.readerIndex(), copy);
        int dropped = inbound.offer(copy);
        if (dropped > 0) {
            droppedDatagrams.add(dropped);
        }
    }

    /**
     * Ends the endpoint: sends close_notify when connected, aborts a handshake in progress silently, stops the
     * worker thread and reports {@link DtlsListener#onClosed} unless the endpoint already ended. Idempotent,
     * non-blocking, callable from any thread.
     */
    public void close() {
        boolean neverStarted;
        synchronized (lifecycle) {
            if (closeRequested) {
                return;
            }
            closeRequested = true;
            QueuedDatagramTransport t = transport;
            if (t != null && !connected) {
                // Mid-handshake: leave quietly instead of letting Bouncy Castle send internal_error.
                t.closeOutput();
            }
            inbound.close();
            neverStarted = worker == null;
        }
        if (neverStarted) {
            finishClosed(started ? "closed" : "closed before start");
        }
    }

    /** Whether the handshake completed and the connection has not ended. */
    public boolean isConnected() {
        return connected;
    }

    /** The SRTP profile agreed in the handshake, or {@code null} before it completed. */
    public SrtpProfile negotiatedProfile() {
        return negotiatedProfile;
    }

    public DtlsRole role() {
        return role;
    }

    /**
     * Datagrams dropped because they were too long, the endpoint had ended, or a full inbound queue pushed
     * them out (the oldest waiting one goes first).
     */
    public long droppedDatagrams() {
        return droppedDatagrams.sum();
    }

    /** DTLS datagrams discarded before the queue because their first record header is malformed. */
    public long malformedDatagrams() {
        return malformedDatagrams.sum();
    }

    /** Datagrams ignored because their first byte is not in the DTLS range. */
    public long ignoredDatagrams() {
        return ignoredDatagrams.sum();
    }

    /** Application data records received and discarded (no data channels yet). */
    public long discardedApplicationData() {
        return discardedApplicationData.sum();
    }

    // ---- worker thread ----------------------------------------------------------------------------------

    private void run() {
        QueuedDatagramTransport wire = transport;
        HandshakeState state = new HandshakeState(new DtlsCrypto(random), certificate, remoteFingerprint,
                srtpProfiles, Math.toIntExact(handshakeTimeout.toMillis()),
                Math.toIntExact(retransmitTimeout.toMillis()));
        try {
            DTLSTransport dtls = role == DtlsRole.SERVER
                    ? new DTLSServerProtocol().accept(new DtlsSrtpServer(state), wire)
                    : new DTLSClientProtocol().connect(new DtlsSrtpClient(state), wire);
            wire.handshakeFinished();
            SrtpProfile profile = state.agreedProfile();
            byte[] keyingMaterial = state.takeKeyingMaterial();
            negotiatedProfile = profile;
            connected = true;
            if (closeRequested) {
                dtls.close();
                finishClosed("closed");
                return;
            }
            notifyListener(() -> listener.onHandshakeComplete(profile, keyingMaterial));
            serve(dtls, state);
        } catch (IOException | RuntimeException e) {
            finishAfter(e, state);
        } finally {
            connected = false;
            wire.closeOutput();
            inbound.close();
            state.wipe();
        }
    }

    /** Keeps the record layer running so retransmissions, close_notify and alerts are handled. */
    private void serve(DTLSTransport dtls, HandshakeState state) throws IOException {
        byte[] buffer = new byte[Math.max(1, dtls.getReceiveLimit())];
        while (true) {
            try {
                // 0 waits until a record arrives or the inbound queue closes.
                if (dtls.receive(buffer, 0, buffer.length, 0) >= 0) {
                    discardedApplicationData.increment();
                }
            } catch (InterruptedIOException e) {
                if (state.closeNotifyReceived()) {
                    finishClosed("peer sent close_notify");
                    return;
                }
                if (closeRequested) {
                    dtls.close();
                    finishClosed("closed");
                    return;
                }
                throw e;
            }
        }
    }

    private void finishAfter(Exception e, HandshakeState state) {
        boolean wasConnected = negotiatedProfile != null;
        if (state.rejection() == null && state.fatalAlertReceived() < 0) {
            if (state.closeNotifyReceived()) {
                finishClosed(wasConnected ? "peer sent close_notify" : "peer sent close_notify during the handshake");
                return;
            }
            if (closeRequested) {
                finishClosed(wasConnected ? "closed" : "closed during the handshake");
                return;
            }
        }
        String reason = describeFailure(e, state, wasConnected);
        if (terminated.compareAndSet(false, true)) {
            notifyListener(() -> listener.onFailure(reason, e));
        }
    }

    private String describeFailure(Exception e, HandshakeState state, boolean wasConnected) {
        String phase = wasConnected ? "DTLS connection" : "DTLS handshake";
        if (state.rejection() != null) {
            return phase + " failed: " + state.rejection();
        }
        short alert = state.fatalAlertReceived();
        if (alert >= 0) {
            return phase + " failed: peer sent fatal alert " + AlertDescription.getText(alert);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TlsTimeoutException) {
                return "DTLS handshake did not complete within " + handshakeTimeout.toMillis() + " ms";
            }
        }
        String message = e.getMessage();
        return phase + " failed: " + e.getClass().getSimpleName() + (message != null ? ": " + message : "");
    }

    private void finishClosed(String reason) {
        if (terminated.compareAndSet(false, true)) {
            notifyListener(() -> listener.onClosed(reason));
        }
    }

    private void notifyListener(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "DTLS listener threw; ignoring", e);
        }
    }

    /** Configures a {@link DtlsEndpoint}; role, certificate, remote fingerprint, sink and listener are required. */
    public static final class Builder {
        private DtlsRole role;
        private DtlsCertificate certificate;
        private DtlsFingerprint remoteFingerprint;
        private List<SrtpProfile> srtpProfiles =
                List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        private DtlsRecordSink sink;
        private DtlsListener listener;
        private ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
        private ThreadFactory threadFactory;
        private SecureRandom random;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private Duration retransmitTimeout = DEFAULT_RETRANSMIT_TIMEOUT;
        private int mtu = DEFAULT_MTU;
        private int inboundCapacity = DEFAULT_INBOUND_CAPACITY;

        private Builder() {
        }

        public Builder role(DtlsRole role) {
            this.role = Objects.requireNonNull(role, "role");
            return this;
        }

        /** Our identity; its fingerprint is what we put in our SDP. */
        public Builder certificate(DtlsCertificate certificate) {
            this.certificate = Objects.requireNonNull(certificate, "certificate");
            return this;
        }

        /**
         * The peer's {@code a=fingerprint} from its SDP; the handshake fails unless the peer's certificate
         * hashes to it.
         *
         * @throws IllegalArgumentException when the algorithm is unsupported or the value malformed
         */
        public Builder remoteFingerprint(String algorithm, String value) {
            try {
                this.remoteFingerprint = DtlsFingerprint.parse(algorithm, value);
            } catch (ProtocolException e) {
                throw new IllegalArgumentException("invalid remote fingerprint: " + e.getMessage(), e);
            }
            return this;
        }

        public Builder remoteFingerprint(DtlsFingerprint fingerprint) {
            this.remoteFingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
            return this;
        }

        /**
         * SRTP profiles allowed, most preferred first. A server picks the first of these the client offers; a
         * client offers them in this order. Default: AES-GCM, then AES-CM.
         */
        public Builder srtpProfiles(List<SrtpProfile> profiles) {
            List<SrtpProfile> copy = List.copyOf(profiles);
            if (copy.isEmpty()) {
                throw new IllegalArgumentException("at least one SRTP profile is required");
            }
            if (new HashSet<>(copy).size() != copy.size()) {
                throw new IllegalArgumentException("SRTP profiles listed twice: " + copy);
            }
            this.srtpProfiles = copy;
            return this;
        }

        public Builder sink(DtlsRecordSink sink) {
            this.sink = Objects.requireNonNull(sink, "sink");
            return this;
        }

        public Builder listener(DtlsListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Allocates outgoing datagrams. Default {@link ByteBufAllocator#DEFAULT}. */
        public Builder allocator(ByteBufAllocator allocator) {
            this.allocator = Objects.requireNonNull(allocator, "allocator");
            return this;
        }

        /** Makes the one worker thread that runs the handshake. Default: a virtual thread per endpoint. */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
            return this;
        }

        /** Randomness for the handshake (client/server random, ECDHE keys). Default: a new {@link SecureRandom}. */
        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** Bound on the handshake from {@link DtlsEndpoint#start()}; default 10 s. */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = positiveMillis(timeout, "handshakeTimeout");
            return this;
        }

        /** First retransmission timer of a flight; it doubles on each resend. Default 1 s. */
        public Builder retransmitTimeout(Duration timeout) {
            this.retransmitTimeout = positiveMillis(timeout, "retransmitTimeout");
            return this;
        }

        /** Largest datagram we send, in bytes; handshake messages are fragmented to fit. Default 1200. */
        public Builder mtu(int mtu) {
            if (mtu < MIN_MTU || mtu > MAX_INBOUND_DATAGRAM) {
                throw new IllegalArgumentException("mtu must be in " + MIN_MTU + ".." + MAX_INBOUND_DATAGRAM
                        + ": " + mtu);
            }
            this.mtu = mtu;
            return this;
        }

        /** Datagrams that may wait for the worker; beyond that the oldest waiting one is dropped. Default 64. */
        public Builder inboundCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("inboundCapacity must be positive: " + capacity);
            }
            this.inboundCapacity = capacity;
            return this;
        }

        public DtlsEndpoint build() {
            Objects.requireNonNull(role, "role is required");
            Objects.requireNonNull(certificate, "certificate is required");
            Objects.requireNonNull(remoteFingerprint, "remoteFingerprint is required");
            Objects.requireNonNull(sink, "sink is required");
            Objects.requireNonNull(listener, "listener is required");
            return new DtlsEndpoint(this);
        }

        private static Duration positiveMillis(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.toMillis() < 1 || d.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name + " must be between 1 ms and " + Integer.MAX_VALUE
                        + " ms: " + d);
            }
            return d;
        }
    }
}
