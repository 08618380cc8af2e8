package io.relaymesh.node.transport;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.dtls.DtlsEndpoint;
import io.relaymesh.node.rtcp.TransportCc;
import io.relaymesh.node.srtp.SrtpKeys;
import io.relaymesh.node.srtp.SrtpProfile;
import io.relaymesh.node.srtp.SrtpSession;
import io.relaymesh.node.srtp.SrtpStatus;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The server side of one WebRTC peer connection on the shared UDP port: ICE-lite state, the DTLS endpoint and
 * the two SRTP sessions (in from the peer, out to it). Every method runs on the transport's event loop unless
 * it says otherwise.
 */
public final class PeerConnection {

    /** Lifecycle. */
    public enum State {
        /** Waiting for the first authenticated connectivity check. */
        NEW,
        /** A check succeeded; DTLS may be running. */
        CONNECTED,
        /** SRTP keys installed: media flows. */
        SECURE,
        CLOSED
    }

    /** At most this many remote addresses are kept per connection (candidate pairs checked by the peer). */
    static final int MAX_REMOTE_ADDRESSES = 8;

    private final String id;
    private IceCredentials remoteIce;
    private final String remoteFingerprintAlgorithm;
    private final String remoteFingerprint;
    private final MediaHandler handler;
    private final long createdAtNanos;
    private IceCredentials localIce;
    private final List<InetSocketAddress> validatedAddresses = new ArrayList<>(2);
    private InetSocketAddress selectedAddress;
    private io.netty.channel.Channel selectedChannel;
    private boolean nominated;
    private long lastConsentNanos;
    private State state = State.NEW;
    private DtlsEndpoint dtls;
    private SrtpProfile srtpProfile;
    private SrtpSession srtpIn;
    private SrtpSession srtpOut;
    private WebRtcTransport transport;
    private Object attachment;
    private CongestionControl congestionControl = CongestionControl.NONE;
    /** The node-sends leg: sequence stamping, the estimate, probing (REMB only without transport-cc). */
    private SendSideBandwidth sendSide;
    /** The node-receives leg: arrivals and the feedback for them; null without transport-cc. */
    private ArrivalFeedback arrivalFeedback;
    private final Pacer pacer = new Pacer();
    private final Pacer.Transmit transmit = this::transmit;
    /** True while the transport's pacing timer has this connection on its list. */
    private boolean pacing;
    /** A probe cluster is open: the pacing timer carries it on. */
    private boolean probing;
    /** What the session last said it would send with more bandwidth, and where its padding comes from. */
    private long desiredBps = -1;
    private PaddingSource padding;

    // Counters read by stats and metrics (written on the event loop only).
    private long packetsIn;
    private long bytesIn;
    private long packetsOut;
    private long bytesOut;
    private long srtpFailures;

    /**
     * @param remoteFingerprintAlgorithm hash of the peer's certificate fingerprint in its SDP, e.g. sha-256
     * @param remoteFingerprint          the fingerprint the peer's DTLS certificate must match
     */
    public PeerConnection(String id, IceCredentials localIce, IceCredentials remoteIce,
                          String remoteFingerprintAlgorithm, String remoteFingerprint, MediaHandler handler,
                          long createdAtNanos) {
        this.remoteFingerprintAlgorithm = Objects.requireNonNull(remoteFingerprintAlgorithm, "fingerprint algorithm");
        this.remoteFingerprint = Objects.requireNonNull(remoteFingerprint, "fingerprint");
        this.id = Objects.requireNonNull(id, "id");
        this.localIce = Objects.requireNonNull(localIce, "localIce");
        this.remoteIce = remoteIce;
        this.handler = Objects.requireNonNull(handler, "handler");
        this.createdAtNanos = createdAtNanos;
        this.lastConsentNanos = createdAtNanos;
    }

    public String id() {
        return id;
    }

    public IceCredentials localIce() {
        return localIce;
    }

    public IceCredentials remoteIce() {
        return remoteIce;
    }

    String remoteFingerprintAlgorithm() {
        return remoteFingerprintAlgorithm;
    }

    String remoteFingerprint() {
        return remoteFingerprint;
    }

    public State state() {
        return state;
    }

    public InetSocketAddress selectedAddress() {
        return selectedAddress;
    }

    io.netty.channel.Channel selectedChannel() {
        return selectedChannel;
    }

    public SrtpProfile srtpProfile() {
        return srtpProfile;
    }

    /** Application state hung on the connection by the SFU (its Publisher or Subscriber). */
    public Object attachment() {
        return attachment;
    }

    public void attach(Object value) {
        this.attachment = value;
    }

    public long packetsIn() {
        return packetsIn;
    }

    public long bytesIn() {
        return bytesIn;
    }

    public long packetsOut() {
        return packetsOut;
    }

    public long bytesOut() {
        return bytesOut;
    }

    public long srtpFailures() {
        return srtpFailures;
    }

    /**
     * Sets what was negotiated for congestion control; call before the connection is added to the transport.
     * With transport-cc every RTP packet sent gets a transport-wide sequence number and the peer's feedback drives
     * the estimate; every RTP packet received is timed and reported back to the peer every
     * {@link WebRtcTransport#FEEDBACK_INTERVAL}. Without it the estimate is the peer's REMB, if any.
     */
    public void useCongestionControl(CongestionControl negotiated) {
        if (transport != null) {
            throw new IllegalStateException("congestion control is set before the connection is added");
        }
        this.congestionControl = Objects.requireNonNull(negotiated, "negotiated");
    }

    public CongestionControl congestionControl() {
        return congestionControl;
    }

    /**
     * Sends a plain RTP packet through the connection's {@link Pacer}: at once while the path has shown no congestion
     * or the connection sends within its estimate, else queued and sent by the transport's pacing timer (every {@link Pacer#INTERVAL_NANOS} ns). It is
     * stamped with its transport-wide sequence number, protected and written when it leaves (flushed at the end of
     * the current read batch or timer tick). Takes ownership of {@code packet}; it needs {@link #SRTP_TAIL_ROOM}
     * writable bytes. Dropped (and released) when the connection is not secure yet.
     */
    public void sendRtp(ByteBuf packet) {
        if (state != State.SECURE || selectedAddress == null) {
            packet.release();
            return;
        }
        long now = transport.nanoTime();
        if (pacer.offer(packet, now)) {
            transmit(packet, now);
        } else if (!pacing) {
            pacing = true;
            transport.pace(this);
        }
    }

    /**
     * Sends a plain RTP packet at once, around the pacer's queue (audio: small, steady and the first thing a viewer
     * misses; probe padding: it must leave at the probe's rate). Its bytes still count against the pacing rate.
     * Same contract as {@link #sendRtp(ByteBuf)}.
     */
    public void sendRtpNow(ByteBuf packet) {
        if (state != State.SECURE || selectedAddress == null) {
            packet.release();
            return;
        }
        long now = transport.nanoTime();
        pacer.charge(packet.readableBytes(), now);
        transmit(packet, now);
    }

    /** Stamps, protects and writes one RTP packet. */
    private void transmit(ByteBuf packet, long nowNanos) {
        int sequence = sendSide.stamp(packet);
        SrtpStatus status = srtpOut.protectRtp(packet);
        if (status != SrtpStatus.OK) {
            transport.counters().protectFailed();
            packet.release();
            return;
        }
        packetsOut++;
        bytesOut += packet.readableBytes();
        sendSide.onSent(sequence, packet.readableBytes(), nowNanos);
        transport.write(packet, selectedAddress, selectedChannel, PacketKind.RTP);
    }

    /**
     * The pacing timer: sends what the pacer lets go now, then the open probe cluster's padding that is due.
     * Returns true when nothing is left queued and no cluster is open (the transport then stops calling until the
     * next packet is queued or cluster opened). Event loop.
     */
    boolean drainPacer(long nowNanos) {
        if (state != State.SECURE || selectedAddress == null) {
            pacer.clear();
            probing = false;
        } else {
            pacer.drain(nowNanos, transmit);
            if (probing) {
                continueProbe(nowNanos);
            }
        }
        pacing = !pacer.isEmpty() || probing;
        return !pacing;
    }

    /** What the pacer holds and has done; see {@link PacerStats}. */
    public PacerStats pacerStats() {
        return new PacerStats(pacer.rateBps(), pacer.queuedPackets(), pacer.queuedBytes(), pacer.packetsQueued(),
                pacer.overflows(), pacer.longestWaitNanos() / 1_000_000.0);
    }

    /** Sends a plain RTCP compound packet; same contract as {@link #sendRtp(ByteBuf)}. */
    public void sendRtcp(ByteBuf packet) {
        if (state != State.SECURE || selectedAddress == null) {
            packet.release();
            return;
        }
        SrtpStatus status = srtpOut.protectRtcp(packet);
        if (status != SrtpStatus.OK) {
            transport.counters().protectFailed();
            packet.release();
            return;
        }
        transport.write(packet, selectedAddress, selectedChannel, PacketKind.RTCP);
    }

    /**
     * The bitrate this connection may send towards its peer, in bits per second, from the send-side bandwidth
     * estimate (transport-cc feedback, bounded by REMB); {@code -1} while there is no estimate. Event loop only.
     */
    public long sendEstimateBps() {
        return sendSide == null ? -1 : sendSide.estimateBps();
    }

    /** What the send-side estimation knows (estimate, its parts, loss, feedback RTT); see {@link BandwidthStats}. */
    public BandwidthStats bandwidthStats() {
        return sendSide == null ? BandwidthStats.none(congestionControl.transportCc())
                : sendSide.stats(transport.nanoTime());
    }

    /** Sends probe padding for a {@link PeerConnection}: the session knows its streams' RTX SSRCs and sequences. */
    @FunctionalInterface
    public interface PaddingSource {
        /**
         * Sends about {@code bytes} of padding now as padding-only RTP packets through {@link #sendRtpNow(ByteBuf)}
         * (RTX streams, RFC 4588, so they are counted and carry transport-wide sequence numbers).
         *
         * @return the bytes it sent (0 when it has no stream to pad on)
         */
        int sendPadding(int bytes, long nowNanos);
    }

    /**
     * Lets the bandwidth estimator probe for more bandwidth: opens a probe cluster when it wants one and sends the
     * cluster's first padding through {@code padding}. An open cluster is then carried on by the transport's pacing
     * timer (every {@link Pacer#INTERVAL_NANOS}), not by the caller's slower tick: a cluster lasts from 15 ms (as
     * long as 6000 bytes take at its rate), and from a 20 ms tick a short one would leave in one or two bursts of
     * several kB (a queue spike on a slow link) rather than in 5 ms steps. While media waits in the pacer no padding
     * is sent: the queued media leaves at the cluster's rate and is the probe. {@code desiredBps} is what the session would send with more bandwidth (-1:
     * unknown); above the estimate it probes even while the link is full, to find out when it can move up. Event
     * loop only.
     */
    public void probe(long nowNanos, long desiredBps, PaddingSource padding) {
        if (sendSide == null || state != State.SECURE || selectedAddress == null) {
            return;
        }
        this.desiredBps = desiredBps;
        this.padding = padding;
        continueProbe(nowNanos);
        if (probing && !pacing) {
            pacing = true;
            transport.pace(this);
        }
    }

    private void continueProbe(long nowNanos) {
        int wanted = sendSide.paddingWantedBytes(nowNanos, desiredBps); // opens, advances and ends clusters
        long rate = sendSide.probeRateBps();
        probing = rate > 0;
        pacer.probe(rate, nowNanos);
        if (wanted > 0 && pacer.isEmpty() && padding != null) {
            padding.sendPadding(wanted, nowNanos);
        }
    }

    /**
     * Room to leave after a packet: the SRTP/SRTCP tag and index, and the most the transport-wide sequence number
     * extension may add to an RTP packet ({@link TransportSequenceStamper#MAX_GROWTH}).
     */
    public static final int SRTP_TAIL_ROOM = 16 + 4 + TransportSequenceStamper.MAX_GROWTH;

    /** Replaces both sides' ICE credentials (ICE restart); DTLS and SRTP state are kept. */
    void restartIce(IceCredentials fresh, IceCredentials remote) {
        this.localIce = fresh;
        this.remoteIce = remote;
    }

    // ---- called by WebRtcTransport ----

    void bind(WebRtcTransport owner) {
        this.transport = owner;
        this.sendSide = new SendSideBandwidth(congestionControl.transportCcExtensionId(), owner.bweConfig(),
                owner.stamper());
        if (congestionControl.transportCc()) {
            this.arrivalFeedback = new ArrivalFeedback(congestionControl.transportCcExtensionId(),
                    congestionControl.feedbackSsrc());
        }
    }

    /** The feedback timer: sends transport-cc feedback for what arrived since the last tick. Event loop. */
    void sendTransportFeedback() {
        if (arrivalFeedback == null || state != State.SECURE) {
            return;
        }
        TransportCc feedback;
        while ((feedback = arrivalFeedback.nextFeedback()) != null) {
            ByteBuf out = transport.allocator().directBuffer(feedback.encodedLength() + SRTP_TAIL_ROOM);
            feedback.writeTo(out);
            sendRtcp(out);
        }
    }

    boolean hasValidated(InetSocketAddress address) {
        return validatedAddresses.contains(address);
    }

    List<InetSocketAddress> validatedAddresses() {
        return validatedAddresses;
    }

    /**
     * An authenticated binding request arrived from {@code from}. Returns true when the address is new to this
     * connection (the transport then maps it).
     */
    boolean onConnectivityCheck(InetSocketAddress from, io.netty.channel.Channel via, boolean useCandidate,
                                long nowNanos) {
        lastConsentNanos = nowNanos;
        boolean added = false;
        if (!validatedAddresses.contains(from) && validatedAddresses.size() < MAX_REMOTE_ADDRESSES) {
            validatedAddresses.add(from);
            added = true;
        }
        if (useCandidate) {
            nominated = true;
            selectedAddress = from;
            selectedChannel = via;
        } else if (!nominated && selectedAddress == null) {
            selectedAddress = from;
            selectedChannel = via;
        }
        if (state == State.NEW) {
            state = State.CONNECTED;
        }
        return added;
    }

    void startDtls(DtlsEndpoint endpoint) {
        this.dtls = endpoint;
    }

    DtlsEndpoint dtls() {
        return dtls;
    }

    /** DTLS finished (on the event loop): derive SRTP sessions. The node is the DTLS server. */
    void onDtlsComplete(SrtpProfile profile, byte[] keyingMaterial) {
        if (state == State.CLOSED) {
            return;
        }
        SrtpKeys keys = SrtpKeys.fromKeyingMaterial(profile, keyingMaterial);
        this.srtpProfile = profile;
        this.srtpIn = new SrtpSession(profile, keys.clientKey(), keys.clientSalt());
        this.srtpOut = new SrtpSession(profile, keys.serverKey(), keys.serverSalt());
        this.state = State.SECURE;
        handler.onSecure(this);
    }

    void onSrtp(ByteBuf packet, boolean rtcp) {
        if (state != State.SECURE) {
            transport.counters().notSecure();
            return;
        }
        int length = packet.readableBytes();
        SrtpStatus status = rtcp ? srtpIn.unprotectRtcp(packet) : srtpIn.unprotectRtp(packet);
        if (status != SrtpStatus.OK) {
            srtpFailures++;
            transport.counters().unprotectFailed(status);
            return;
        }
        packetsIn++;
        bytesIn += length;
        if (rtcp) {
            long now = transport.nanoTime();
            if (sendSide.onRtcp(packet, now) > 0) {
                transport.counters().drop(TransportCounters.Drop.RTCP_FEEDBACK_MALFORMED);
            }
            pacer.estimate(sendSide.pacingEstimateBps(), now); // it moves only with feedback (transport-cc, REMB)
            handler.onRtcp(this, packet);
        } else {
            if (arrivalFeedback != null) {
                arrivalFeedback.onRtp(packet, transport.nanoTime() / 1000);
            }
            handler.onRtp(this, packet);
        }
    }

    long lastConsentNanos() {
        return lastConsentNanos;
    }

    long createdAtNanos() {
        return createdAtNanos;
    }

    /** Marks closed and tells the handler; the transport has already unmapped it. */
    void closed(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        pacer.clear();
        if (dtls != null) {
            dtls.close();
        }
        handler.onClosed(this, reason);
    }

    @Override
    public String toString() {
        return "PeerConnection[" + id + ", " + state + ", " + selectedAddress + "]";
    }
}
