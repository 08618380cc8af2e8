package io.relaymesh.node.cluster.wire;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.List;

/**
 * The answer to a {@link Ping}, sent to the prober directly or by the helper of an indirect probe.
 *
 * <pre>
 * probe id (4) | updates (count (1), {@link MemberUpdate}...)
 * </pre>
 *
 * @param probeId the probe id of the ping (or of the indirect probe request) it answers
 * @param updates piggybacked gossip
 */
public record Ack(int probeId, List<MemberUpdate> updates) {

    public static final int FIXED_LENGTH = 4;

    public Ack {
        updates = List.copyOf(updates);
    }

    public static Ack parse(ByteBuf body) throws ProtocolException {
        Fields.need(body, FIXED_LENGTH, "ack");
        int probeId = body.readInt();
        Ack ack = new Ack(probeId, MemberUpdate.parseList(body));
        Envelope.requireConsumed(body, "ack");
        return ack;
    }

    public int encodedLength() {
        return FIXED_LENGTH + MemberUpdate.listLength(updates);
    }

    public void writeTo(ByteBuf out) {
        out.writeInt(probeId);
        MemberUpdate.writeList(out, updates);
    }
}
