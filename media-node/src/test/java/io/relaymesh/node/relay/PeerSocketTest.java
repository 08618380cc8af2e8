package io.relaymesh.node.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two connected peer sockets on loopback, on an epoll event loop: what one sends the other reads, in order. */
class PeerSocketTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private final PooledByteBufAllocator allocator = new PooledByteBufAllocator(true);
    private MultiThreadIoEventLoopGroup group;
    private IoEventLoop loop;
    private final List<String> receivedByA = new CopyOnWriteArrayList<>();
    private final List<String> receivedByB = new CopyOnWriteArrayList<>();
    private final RelayCounters counters = new RelayCounters();

    @BeforeEach
    void start() {
        assertThat(Epoll.isAvailable()).as("epoll (Linux): %s", Epoll.unavailabilityCause()).isTrue();
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        loop = (IoEventLoop) group.next();
    }

    @AfterEach
    void stop() throws InterruptedException {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private static InetSocketAddress freeLoopbackPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
        }
    }

    private PeerSocket open(InetSocketAddress local, InetSocketAddress remote, List<String> into) throws Exception {
        return onLoop(() -> PeerSocket.open(loop, local, remote, 1 << 20, 2048, allocator,
                datagram -> into.add(datagram.toString(StandardCharsets.US_ASCII)), counters));
    }

    private ByteBuf text(String s) {
        ByteBuf b = allocator.directBuffer(64);
        b.writeCharSequence(s, StandardCharsets.US_ASCII);
        return b;
    }

    @Test
    void datagramsCrossBothWaysInOrder() throws Exception {
        assertThat(PeerSocket.supported(loop)).isTrue();
        InetSocketAddress addressA = freeLoopbackPort();
        InetSocketAddress addressB = freeLoopbackPort();
        PeerSocket a = open(addressA, addressB, receivedByA);
        PeerSocket b = open(addressB, addressA, receivedByB);

        onLoop(() -> {
            for (int i = 0; i < 200; i++) { // more than one read batch per wake-up
                a.send(text("a" + i));
            }
            b.send(text("from b"));
            return null;
        });

        await().atMost(WAIT).until(() -> receivedByB.size() == 200 && receivedByA.size() == 1);
        for (int i = 0; i < 200; i++) {
            assertThat(receivedByB.get(i)).isEqualTo("a" + i);
        }
        assertThat(receivedByA).containsExactly("from b");
        assertThat(a.sendsDropped()).isZero();
        onLoop(() -> {
            a.close();
            b.close();
            return null;
        });
        assertThat(a.isActive()).isFalse();
    }

    @Test
    void aClosedPeerIsAReadErrorNotAFailureAndTheSocketCarriesOnWhenItComesBack() throws Exception {
        InetSocketAddress addressA = freeLoopbackPort();
        InetSocketAddress addressB = freeLoopbackPort();
        PeerSocket a = open(addressA, addressB, receivedByA);
        PeerSocket b = open(addressB, addressA, receivedByB);
        onLoop(() -> {
            b.close();
            return null;
        });

        // Sent to a closed port: ICMP port unreachable comes back to the connected socket as an error on the
        // next send or read; neither throws nor closes it. Keep sending (one datagram per poll, on the loop) until
        // the error has been reported; the ICMP reply arrives asynchronously.
        await("the unreachable port is reported").atMost(WAIT).pollInterval(Duration.ofMillis(10))
                .until(() -> onLoop(() -> {
                    a.send(text("lost"));
                    return a.sendsDropped() + a.receiveErrors();
                }) > 0);
        long reported = onLoop(() -> a.sendsDropped() + a.receiveErrors());
        assertThat(onLoop(a::isActive)).as("still open after the error").isTrue();
        assertThat(counters.dropped(RelayCounters.Drop.SEND_FAILED) + counters.dropped(RelayCounters.Drop.RECEIVE_ERROR))
                .as("and counted for the relay's metrics").isEqualTo(reported);

        PeerSocket again = open(addressB, addressA, receivedByB);
        onLoop(() -> {
            a.send(text("back"));
            return null;
        });
        await().atMost(WAIT).until(() -> receivedByB.contains("back"));
        onLoop(() -> {
            a.close();
            again.close();
            return null;
        });
    }

    @Test
    void sendingOnAClosedSocketReleasesThePacket() throws Exception {
        PeerSocket a = open(freeLoopbackPort(), freeLoopbackPort(), receivedByA);
        ByteBuf packet = text("late");
        onLoop(() -> {
            a.close();
            a.send(packet);
            return null;
        });
        assertThat(packet.refCnt()).isZero();
        assertThat(a.sendsDropped()).isEqualTo(1);
        assertThat(counters.dropped(RelayCounters.Drop.SEND_FAILED)).isEqualTo(1);
    }
}
