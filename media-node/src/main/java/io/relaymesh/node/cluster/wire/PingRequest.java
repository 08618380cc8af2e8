package io.relaymesh.node.cluster.wire;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * An indirect probe: the receiver pings {@code target} itself and, when the target answers, sends an
 * {@link Ack} with this probe id back to the requester.
 *
 * <pre>
 * probe id (4) | target node id (string) | target cluster address | updates
 * </pre>
 *
 * @param probeId       the requester's probe id
 * @param targetId      the member to probe
 * @param targetAddress where to reach it
 * @param updates       piggybacked gossip
 */
public record PingRequest(int probeId, String targetId, InetSocketAddress targetAddress, List<MemberUpdate> updates) {

    public PingRequest {
        Fields.requireString(targetId, 1, NodeMetadata.MAX_NODE_ID, "target id");
        Fields.requireAddress(targetAddress, "target address");
        updates = List.copyOf(updates);
    }

    public static PingRequest parse(ByteBuf body) throws ProtocolException {
        Fields.need(body, 4, "ping request");
        int probeId = body.readInt();
        String target = Fields.readString(body, 1, NodeMetadata.MAX_NODE_ID, "target id");
        InetSocketAddress address = Fields.readAddress(body, "target address")
                .orElseThrow(() -> new ProtocolException("ping request without a target address"));
        PingRequest request = new PingRequest(probeId, target, address, MemberUpdate.parseList(body));
        Envelope.requireConsumed(body, "ping request");
        return request;
    }

    public int encodedLength() {
        return 4 + Fields.stringLength(targetId) + Fields.addressLength(Optional.of(targetAddress))
                + MemberUpdate.listLength(updates);
    }

    public void writeTo(ByteBuf out) {
        out.writeInt(probeId);
        Fields.writeString(out, targetId);
        Fields.writeAddress(out, Optional.of(targetAddress));
        MemberUpdate.writeList(out, updates);
    }
}
