package io.relaymesh.node.cluster.wire;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.List;

/**
 * A direct probe; the receiver answers with an {@link Ack} carrying the same probe id.
 *
 * <pre>
 * probe id (4) | updates (count (1), {@link MemberUpdate}...)
 * </pre>
 *
 * @param probeId chosen by the prober to match the answer
 * @param updates piggybacked gossip
 */
public record Ping(int probeId, List<MemberUpdate> updates) {

    public static final int FIXED_LENGTH = 4;

    public Ping {
        updates = List.copyOf(updates);
    }

    public static Ping parse(ByteBuf body) throws ProtocolException {
        Fields.need(body, FIXED_LENGTH, "ping");
        int probeId = body.readInt();
        Ping ping = new Ping(probeId, MemberUpdate.parseList(body));
        Envelope.requireConsumed(body, "ping");
        return ping;
    }

    public int encodedLength() {
        return FIXED_LENGTH + MemberUpdate.listLength(updates);
    }

    public void writeTo(ByteBuf out) {
        out.writeInt(probeId);
        MemberUpdate.writeList(out, updates);
    }
}
