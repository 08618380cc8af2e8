package io.relaymesh.node.cluster.membership;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.cluster.wire.ClusterKey;
import io.relaymesh.node.cluster.wire.Envelope;
import io.relaymesh.node.cluster.wire.MessageType;
import io.relaymesh.node.config.Secret;
import java.util.function.Consumer;

/** Hand-made cluster datagrams, framed and signed as a peer would send them. */
final class Datagrams {

    private Datagrams() {
    }

    /** One message whose body {@code body} writes; signed with the key derived from {@code secret}. */
    static byte[] message(Secret secret, MessageType type, long sequence, String sender, String destination,
                          Consumer<ByteBuf> body) {
        ByteBuf buf = Unpooled.buffer();
        try {
            int lengthIndex = Envelope.begin(buf, type, sequence, sender, destination);
            body.accept(buf);
            Envelope.finish(buf, 0, lengthIndex, ClusterKey.derive(secret));
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }
}
