package io.relaymesh.node.cluster.wire;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.List;

/**
 * Part of a sender's full membership state (push); when {@code replyWanted}, the receiver answers with its own
 * full state (pull). A full state larger than one datagram travels as several syncs: every update stands on its
 * own, so parts need no reassembly.
 *
 * <pre>
 * flags (1: bit 0 = reply wanted) | updates
 * </pre>
 *
 * @param replyWanted whether the receiver should push its state back
 * @param updates     members as the sender sees them
 */
public record Sync(boolean replyWanted, List<MemberUpdate> updates) {

    static final int REPLY_WANTED = 0x01;

    public Sync {
        updates = List.copyOf(updates);
    }

    public static Sync parse(ByteBuf body) throws ProtocolException {
        Fields.need(body, 1, "sync flags");
        int flags = body.readUnsignedByte();
        if ((flags & ~REPLY_WANTED) != 0) {
            throw new ProtocolException("sync: unknown flags 0x" + Integer.toHexString(flags));
        }
        Sync sync = new Sync((flags & REPLY_WANTED) != 0, MemberUpdate.parseList(body));
        Envelope.requireConsumed(body, "sync");
        return sync;
    }

    public int encodedLength() {
        return 1 + MemberUpdate.listLength(updates);
    }

    public void writeTo(ByteBuf out) {
        out.writeByte(replyWanted ? REPLY_WANTED : 0);
        MemberUpdate.writeList(out, updates);
    }
}
