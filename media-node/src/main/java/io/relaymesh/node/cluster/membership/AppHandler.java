package io.relaymesh.node.cluster.membership;

import io.netty.buffer.ByteBuf;

/** Receives the authenticated application datagrams of one channel, on the protocol thread. */
@FunctionalInterface
public interface AppHandler {
    /** {@code payload} is valid only during the call (retain or copy it to keep it). */
    void onMessage(String senderId, ByteBuf payload);
}
