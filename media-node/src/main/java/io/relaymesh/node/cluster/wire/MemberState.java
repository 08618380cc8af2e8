package io.relaymesh.node.cluster.wire;

import io.relaymesh.node.protocol.ProtocolException;

/** A member's state as SWIM sees it, with its code on the wire. */
public enum MemberState {
    /** Answering probes, directly or through other members. */
    ALIVE(0),
    /** A probe failed; declared {@link #DEAD} unless it refutes within the suspicion timeout. */
    SUSPECT(1),
    /** Failed: did not refute a suspicion in time. */
    DEAD(2),
    /** Left on purpose (graceful shutdown); treated like {@link #DEAD}. */
    LEFT(3);

    private final int code;

    MemberState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** ALIVE or SUSPECT: still a member that can take work. */
    public boolean isUp() {
        return this == ALIVE || this == SUSPECT;
    }

    public static MemberState of(int code) throws ProtocolException {
        for (MemberState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new ProtocolException("unknown member state " + code);
    }
}
