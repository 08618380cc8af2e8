package io.relaymesh.node.e2e;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtp.RtpPacket;
import io.relaymesh.node.transport.PacketKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A UDP relay on loopback between browsers and a node, for {@link TransportCcCapture}: browsers are given its
 * address as the node's candidate; each browser address gets its own upstream socket, so the node sees one peer per
 * browser. RTP the node sends towards a browser (SRTP: its header and extensions are in the clear) is recorded by
 * its transport-wide sequence number and then delivered, dropped or held back as {@link Impairment} says at that
 * moment; everything else (STUN, DTLS, RTCP) passes at once. One platform thread; time from {@link System#nanoTime}
 * (the clock the node's transport uses).
 */
final class ImpairedRelay implements AutoCloseable {

    /** What happens to one RTP packet towards a browser. */
    enum Fate {
        DELIVERED, DROPPED, HELD
    }

    /** One RTP packet the node sent, as the relay saw it (the SSRC, payload type and sequence are in the clear). */
    record Sent(long nanos, int transportSequence, int ssrc, int payloadType, int sequence, int bytes, Fate fate,
                long heldNanos) {
    }

    /** The clear header fields of an SRTP packet that carries a transport-wide sequence number. */
    private record Header(int transportSequence, int ssrc, int payloadType, int sequence) {
    }

    /** Decides each RTP packet's fate from the time since the first one and a seeded random source. */
    interface Impairment {
        /** Nanoseconds to hold the packet back (0 delivers it now), or -1 to drop it. */
        long holdNanos(long sinceFirstNanos, SplittableRandom random);
    }

    private final DatagramChannel front;
    private final InetSocketAddress node;
    private final Selector selector;
    private final Impairment impairment;
    private final SplittableRandom random;
    private final Thread thread;
    private final Map<SocketAddress, DatagramChannel> upstreams = new HashMap<>();
    private final PriorityQueue<Held> held = new PriorityQueue<>();
    private final List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
    private volatile int transportCcId;
    private volatile boolean running = true;
    private volatile long firstRtpNanos = -1;
    private long order;

    private record Held(long releaseNanos, long order, ByteBuffer datagram, SocketAddress to)
            implements Comparable<Held> {
        @Override
        public int compareTo(Held o) {
            int c = Long.compare(releaseNanos, o.releaseNanos);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    ImpairedRelay(InetSocketAddress node, Impairment impairment, long seed) {
        this.node = node;
        this.impairment = impairment;
        this.random = new SplittableRandom(seed);
        try {
            selector = Selector.open();
            front = DatagramChannel.open();
            front.bind(new InetSocketAddress(node.getAddress(), 0));
            front.configureBlocking(false);
            front.register(selector, SelectionKey.OP_READ, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the relay's socket", e);
        }
        thread = Thread.ofPlatform().name("impaired-relay").daemon().start(this::run);
    }

    /** The address browsers are told is the node's. */
    InetSocketAddress address() {
        try {
            return (InetSocketAddress) front.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The id of the transport-wide sequence number extension in the node's RTP (from its answer). */
    void transportCcId(int id) {
        this.transportCcId = id;
    }

    /** When the first RTP packet towards a browser passed, or -1. */
    long firstRtpNanos() {
        return firstRtpNanos;
    }

    List<Sent> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        try {
            while (running) {
                long now = System.nanoTime();
                while (!held.isEmpty() && held.peek().releaseNanos() <= now) {
                    Held h = held.poll();
                    front.send(h.datagram(), h.to());
                }
                long waitMillis = held.isEmpty() ? 50 : Math.max(1, (held.peek().releaseNanos() - now) / 1_000_000);
                selector.select(waitMillis);
                for (SelectionKey key : selector.selectedKeys()) {
                    DatagramChannel channel = (DatagramChannel) key.channel();
                    SocketAddress from;
                    while (true) {
                        buffer.clear();
                        from = channel.receive(buffer);
                        if (from == null) {
                            break;
                        }
                        buffer.flip();
                        if (channel == front) {
                            upstream(from).write(buffer);
                        } else {
                            towardsBrowser(buffer, (SocketAddress) key.attachment());
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            if (running) {
                throw new UncheckedIOException("relay failed", e);
            }
        }
    }

    private DatagramChannel upstream(SocketAddress browser) throws IOException {
        DatagramChannel up = upstreams.get(browser);
        if (up == null) {
            up = DatagramChannel.open();
            up.bind(new InetSocketAddress(node.getAddress(), 0));
            up.connect(node);
            up.configureBlocking(false);
            up.register(selector, SelectionKey.OP_READ, browser);
            upstreams.put(browser, up);
        }
        return up;
    }

    private void towardsBrowser(ByteBuffer datagram, SocketAddress browser) throws IOException {
        long now = System.nanoTime();
        Header header = datagram.remaining() > 0 ? header(datagram) : null;
        if (header == null) {
            front.send(datagram, browser);
            return;
        }
        if (firstRtpNanos < 0) {
            firstRtpNanos = now;
        }
        long hold = impairment.holdNanos(now - firstRtpNanos, random);
        int bytes = datagram.remaining();
        if (hold < 0) {
            sent.add(sent(now, header, bytes, Fate.DROPPED, 0));
        } else if (hold == 0) {
            sent.add(sent(now, header, bytes, Fate.DELIVERED, 0));
            front.send(datagram, browser);
        } else {
            sent.add(sent(now, header, bytes, Fate.HELD, hold));
            held.add(new Held(now + hold, order++, ByteBuffer.allocate(bytes).put(datagram).flip(), browser));
        }
    }

    private static Sent sent(long now, Header h, int bytes, Fate fate, long hold) {
        return new Sent(now, h.transportSequence(), h.ssrc(), h.payloadType(), h.sequence(), bytes, fate, hold);
    }

    /** The header of an SRTP packet with a transport-wide sequence number, or null for anything else. */
    private Header header(ByteBuffer datagram) {
        int id = transportCcId;
        if (id == 0) {
            return null;
        }
        byte[] bytes = new byte[datagram.remaining()];
        datagram.duplicate().get(bytes);
        ByteBuf packet = Unpooled.wrappedBuffer(bytes);
        if (PacketKind.of(packet) != PacketKind.RTP) {
            return null;
        }
        // The padding count of an SRTP packet is encrypted (its last byte is the tag): read the header only.
        packet.setByte(0, packet.getByte(0) & ~0x20);
        try {
            RtpPacket rtp = RtpPacket.parse(packet);
            int at = rtp.findExtension(id);
            return at < 0 ? null
                    : new Header(packet.getUnsignedShort(at), rtp.ssrc(), rtp.payloadType(), rtp.sequenceNumber());
        } catch (ProtocolException e) {
            return null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        selector.wakeup();
        thread.join(5_000);
        try {
            for (DatagramChannel up : upstreams.values()) {
                up.close();
            }
            front.close();
            selector.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
