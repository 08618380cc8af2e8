package io.relaymesh.node.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A UDP socket connected to one peer relay, registered with the relay's epoll event loop as an I/O handle of its own
 * rather than as a Netty channel: Netty's datagram channel wraps every datagram it reads in a {@code DatagramPacket}
 * (about 32 bytes per packet, even when connected), and this socket reads each datagram straight into a pooled
 * buffer and writes it straight from one, so a relayed packet costs no allocation on either side. Level-triggered:
 * a wake-up reads at most {@link #READ_BATCH} datagrams, and epoll reports the socket again while more are queued.
 * Event loop only (the loop the socket is registered with).
 */
final class PeerSocket implements EpollIoHandle {

    /** Datagrams read per wake-up, so one busy peer does not hold the loop from the others. */
    static final int READ_BATCH = 16;

    /** Where datagrams go: lent for the call, released by the socket after it. */
    @FunctionalInterface
    interface Receiver {
        void receive(ByteBuf datagram);
    }

    private final Socket socket;
    private final ByteBufAllocator allocator;
    private final int bufferSize;
    private final Receiver receiver;
    private final RelayCounters counters;
    private IoRegistration registration;
    private boolean closed;
    private long sendsDropped;
    private long receiveErrors;

    private PeerSocket(Socket socket, ByteBufAllocator allocator, int bufferSize, Receiver receiver,
                       RelayCounters counters) {
        this.socket = socket;
        this.allocator = allocator;
        this.bufferSize = bufferSize;
        this.receiver = receiver;
        this.counters = counters;
    }

    /** Whether {@code loop} can carry these sockets (an epoll event loop). */
    static boolean supported(IoEventLoop loop) {
        return loop.isCompatible(PeerSocket.class);
    }

    /**
     * Opens a socket bound to {@code local} ({@code SO_REUSEPORT}: the relay's own port), connected to
     * {@code remote}, and registers it with {@code loop} for reading. On the loop's thread.
     *
     * @param bufferSize the receive buffer per datagram (larger datagrams are truncated, as on the relay socket)
     * @param counters   where failed sends and read errors are counted too (the relay's metrics)
     */
    static PeerSocket open(IoEventLoop loop, InetSocketAddress local, InetSocketAddress remote, int socketBuffers,
                           int bufferSize, ByteBufAllocator allocator, Receiver receiver, RelayCounters counters)
            throws IOException {
        SocketProtocolFamily family = local.getAddress() instanceof java.net.Inet6Address
                ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        Socket socket = new UdpSocket(family);
        PeerSocket peer = new PeerSocket(socket, allocator, bufferSize, receiver, counters);
        try {
            socket.setReusePort(true);
            socket.setReceiveBufferSize(socketBuffers);
            socket.setSendBufferSize(socketBuffers);
            socket.bind(local);
            socket.connect(remote);
            io.netty.util.concurrent.Future<IoRegistration> registered = loop.register(peer);
            if (!registered.isDone() || !registered.isSuccess()) {
                registered.cancel(false);
                throw new IOException("could not register the peer socket with the event loop: " + registered.cause());
            }
            peer.registration = registered.getNow();
            peer.registration.submit(EpollIoOps.EPOLLIN);
            return peer;
        } catch (IOException | RuntimeException e) {
            peer.close();
            throw e;
        }
    }

    /** Open and registered. */
    boolean isActive() {
        return !closed && registration != null && registration.isValid();
    }

    /**
     * Sends one datagram at once (takes ownership of {@code packet}). A datagram the kernel cannot take now (a full
     * send buffer) or refuses (the peer's port unreachable) is dropped and counted: the relay's NACKs repair loss.
     */
    void send(ByteBuf packet) {
        try {
            if (closed) {
                sendFailed();
                return;
            }
            int from = packet.readerIndex();
            int to = packet.writerIndex();
            int sent;
            if (packet.hasMemoryAddress()) {
                sent = socket.sendAddress(packet.memoryAddress(), from, to);
            } else {
                ByteBuffer nio = packet.internalNioBuffer(from, to - from);
                sent = socket.send(nio, nio.position(), nio.limit());
            }
            if (sent <= 0) {
                sendFailed();
            }
        } catch (IOException e) {
            sendFailed();
        } finally {
            packet.release();
        }
    }

    @Override
    public FileDescriptor fd() {
        return socket;
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        EpollIoOps ops = ((EpollIoEvent) event).ops();
        if (ops.contains(EpollIoOps.EPOLLIN) || ops.contains(EpollIoOps.EPOLLERR)) {
            read();
        }
    }

    private void read() {
        for (int i = 0; i < READ_BATCH && !closed; i++) {
            ByteBuf buf = allocator.directBuffer(bufferSize, bufferSize);
            try {
                int n;
                if (buf.hasMemoryAddress()) {
                    n = socket.recvAddress(buf.memoryAddress(), 0, buf.capacity());
                } else {
                    ByteBuffer nio = buf.internalNioBuffer(0, buf.capacity());
                    n = socket.recv(nio, nio.position(), nio.limit());
                }
                if (n == 0) {
                    return; // nothing queued
                }
                if (n > 0) { // -1: an empty datagram
                    buf.writerIndex(n);
                    receiver.receive(buf);
                }
            } catch (IOException e) {
                // A connected UDP socket reports an ICMP error (the peer's port closed) on the next read; the error
                // is consumed by reading it, the datagrams behind it are still there.
                receiveErrors++;
                counters.drop(RelayCounters.Drop.RECEIVE_ERROR);
            } finally {
                buf.release();
            }
        }
    }

    private void sendFailed() {
        sendsDropped++;
        counters.drop(RelayCounters.Drop.SEND_FAILED);
    }

    /** Datagrams not sent: the kernel's buffer was full, the peer unreachable, or the socket closed. */
    long sendsDropped() {
        return sendsDropped;
    }

    /** Errors reported on reads (ICMP errors from the peer's host). */
    long receiveErrors() {
        return receiveErrors;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (registration != null) {
            registration.cancel();
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a datagram socket has nothing to flush; the descriptor is gone either way
        }
    }

    /** A non-blocking datagram socket of one address family (Netty's native sockets are non-blocking). */
    private static final class UdpSocket extends Socket {
        UdpSocket(SocketProtocolFamily family) {
            super(newSocketDgram0(family));
        }
    }
}
