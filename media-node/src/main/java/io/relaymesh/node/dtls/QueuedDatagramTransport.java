package io.relaymesh.node.dtls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.TlsTimeoutException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bouncy Castle's view of the wire: {@link #receive} takes datagrams from the endpoint's inbound queue,
 * {@link #send} hands them to the {@link DtlsRecordSink}. Runs on the endpoint's worker thread only.
 *
 * <p>It also enforces the handshake deadline as a backstop to Bouncy Castle's own handshake timeout, so a
 * handshake can never outlive it whatever state the protocol code is in.
 */
final class QueuedDatagramTransport implements DatagramTransport {

    private final InboundDatagrams inbound;
    private final DtlsRecordSink sink;
    private final ByteBufAllocator allocator;
    private final int sendLimit;
    private final int receiveLimit;
    private final long handshakeDeadlineNanos;
    private final AtomicLong sinkFailures = new AtomicLong();

    private volatile boolean handshakeFinished;
    private volatile boolean outputClosed;

    QueuedDatagramTransport(InboundDatagrams inbound, DtlsRecordSink sink, ByteBufAllocator allocator,
                            int sendLimit, int receiveLimit, long handshakeDeadlineNanos) {
        this.inbound = inbound;
        this.sink = sink;
        this.allocator = allocator;
        this.sendLimit = sendLimit;
        this.receiveLimit = receiveLimit;
        this.handshakeDeadlineNanos = handshakeDeadlineNanos;
    }

    @Override
    public int getReceiveLimit() {
        return receiveLimit;
    }

    @Override
    public int getSendLimit() {
        return sendLimit;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        long wait = waitMillis;
        if (!handshakeFinished) {
            long leftMillis = (handshakeDeadlineNanos - System.nanoTime()) / 1_000_000L;
            if (leftMillis <= 0) {
                throw new TlsTimeoutException("DTLS handshake deadline passed");
            }
            wait = wait == 0 ? leftMillis : Math.min(wait, leftMillis);
        }
        byte[] datagram = inbound.poll(wait);
        if (datagram == null) {
            return -1;
        }
        // A datagram longer than the buffer is cut; the record layer then drops the cut record.
        int n = Math.min(len, datagram.length);
        System.arraycopy(datagram, 0, buf, off, n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (outputClosed) {
            return;
        }
        if (len > sendLimit) {
            throw new IOException("DTLS datagram of " + len + " bytes exceeds the MTU of " + sendLimit);
        }
        ByteBuf datagram = allocator.buffer(len, len);
        datagram.writeBytes(buf, off, len);
        try {
            sink.send(datagram);
        } catch (RuntimeException e) {
            // Ownership passed to the sink; a failed send is datagram loss, which DTLS retransmits over.
            sinkFailures.incrementAndGet();
        }
    }

    /** Called by Bouncy Castle when the record layer closes (locally, on close_notify, or on failure). */
    @Override
    public void close() {
        inbound.close();
    }

    void handshakeFinished() {
        handshakeFinished = true;
    }

    /** Stops all further output, e.g. the alert Bouncy Castle raises when we abort a handshake ourselves. */
    void closeOutput() {
        outputClosed = true;
    }

    long sinkFailures() {
        return sinkFailures.get();
    }
}
