package io.relaymesh.node.cluster.wire;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One gossiped fact about a member: its state at an incarnation, with the metadata that incarnation carries.
 *
 * <pre>
 * state (1) | incarnation (8) | {@link NodeMetadata}
 * </pre>
 *
 * A list of updates (piggybacked on probes, or a full state in a {@link Sync}) is a count byte followed by that
 * many updates.
 *
 * @param state       the member's state
 * @param incarnation only the member itself raises it (to refute a suspicion or to publish new metadata)
 * @param metadata    the member's metadata as of that incarnation
 */
public record MemberUpdate(MemberState state, long incarnation, NodeMetadata metadata) {

    /** Most updates one list may carry. */
    public static final int MAX_LIST = 255;

    public MemberUpdate {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(metadata, "metadata");
        if (incarnation < 0) {
            throw new IllegalArgumentException("incarnation must not be negative");
        }
    }

    public String nodeId() {
        return metadata.nodeId();
    }

    public static MemberUpdate parse(ByteBuf in) throws ProtocolException {
        Fields.need(in, 9, "member update");
        MemberState state = MemberState.of(in.readUnsignedByte());
        long incarnation = in.readLong();
        if (incarnation < 0) {
            throw new ProtocolException("negative incarnation");
        }
        return new MemberUpdate(state, incarnation, NodeMetadata.parse(in));
    }

    public int encodedLength() {
        return 9 + metadata.encodedLength();
    }

    public void writeTo(ByteBuf out) {
        out.writeByte(state.code());
        out.writeLong(incarnation);
        metadata.writeTo(out);
    }

    /** Reads a count byte and that many updates. */
    public static List<MemberUpdate> parseList(ByteBuf in) throws ProtocolException {
        Fields.need(in, 1, "update count");
        int count = in.readUnsignedByte();
        List<MemberUpdate> updates = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            updates.add(parse(in));
        }
        return List.copyOf(updates);
    }

    public static int listLength(List<MemberUpdate> updates) {
        int length = 1;
        for (MemberUpdate u : updates) {
            length += u.encodedLength();
        }
        return length;
    }

    public static void writeList(ByteBuf out, List<MemberUpdate> updates) {
        if (updates.size() > MAX_LIST) {
            throw new IllegalArgumentException("at most " + MAX_LIST + " updates per message");
        }
        out.writeByte(updates.size());
        for (MemberUpdate u : updates) {
            u.writeTo(out);
        }
    }
}
