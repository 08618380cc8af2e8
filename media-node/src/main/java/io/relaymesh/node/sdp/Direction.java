package io.relaymesh.node.sdp;

import java.util.Optional;

/** Media direction attributes (RFC 8866 section 6.7), from the point of view of the description's author. */
public enum Direction {
    SEND_RECV("sendrecv"),
    SEND_ONLY("sendonly"),
    RECV_ONLY("recvonly"),
    INACTIVE("inactive");

    private final String sdpName;

    Direction(String sdpName) {
        this.sdpName = sdpName;
    }

    public String sdpName() {
        return sdpName;
    }

    public boolean sends() {
        return this == SEND_RECV || this == SEND_ONLY;
    }

    public boolean receives() {
        return this == SEND_RECV || this == RECV_ONLY;
    }

    /** The direction seen from the other side: sendonly and recvonly swap. */
    public Direction reversed() {
        return switch (this) {
            case SEND_ONLY -> RECV_ONLY;
            case RECV_ONLY -> SEND_ONLY;
            default -> this;
        };
    }

    public static Direction of(boolean sends, boolean receives) {
        if (sends) {
            return receives ? SEND_RECV : SEND_ONLY;
        }
        return receives ? RECV_ONLY : INACTIVE;
    }

    public static Optional<Direction> fromSdp(String name) {
        for (Direction d : values()) {
            if (d.sdpName.equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
