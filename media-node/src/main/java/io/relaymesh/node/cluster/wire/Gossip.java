package io.relaymesh.node.cluster.wire;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.List;

/**
 * Membership updates pushed to a few random members per gossip round, so news spreads faster than probes
 * alone would carry it.
 *
 * <pre>
 * updates (count (1), {@link MemberUpdate}...)
 * </pre>
 *
 * @param updates the updates
 */
public record Gossip(List<MemberUpdate> updates) {

    public Gossip {
        updates = List.copyOf(updates);
    }

    public static Gossip parse(ByteBuf body) throws ProtocolException {
        Gossip gossip = new Gossip(MemberUpdate.parseList(body));
        Envelope.requireConsumed(body, "gossip");
        return gossip;
    }

    public int encodedLength() {
        return MemberUpdate.listLength(updates);
    }

    public void writeTo(ByteBuf out) {
        MemberUpdate.writeList(out, updates);
    }
}
