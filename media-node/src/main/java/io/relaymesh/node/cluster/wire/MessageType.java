package io.relaymesh.node.cluster.wire;

import io.relaymesh.node.protocol.ProtocolException;

/** The kinds of cluster message, by their code in the {@link Envelope}'s type byte. */
public enum MessageType {
    /** Direct probe: "are you alive?"; answered by {@link #ACK}. */
    PING(1),
    /** Indirect probe: "please ping this member for me". */
    PING_REQ(2),
    /** Answer to a probe, direct or relayed by an indirect-probe helper. */
    ACK(3),
    /** Full-state push (and pull, when a reply is asked for): joins and anti-entropy. */
    SYNC(4),
    /** Membership updates only, sent to a few random members each gossip round. */
    GOSSIP(5),
    /** A datagram of a higher layer (directory, relay) on a numbered channel. */
    APP(6);

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static MessageType of(int code) throws ProtocolException {
        for (MessageType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new ProtocolException("unknown cluster message type " + code);
    }
}
