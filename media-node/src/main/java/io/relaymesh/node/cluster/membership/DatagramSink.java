package io.relaymesh.node.cluster.membership;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;

/** Where the protocol's datagrams go: the UDP channel, or the simulated network. */
@FunctionalInterface
public interface DatagramSink {
    /** Sends {@code datagram}; ownership passes to the sink. */
    void send(ByteBuf datagram, InetSocketAddress to);
}
