package io.relaymesh.node.http;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** The node's lifecycle as health checks and load balancers see it. */
public final class NodeStatus {

    /** Lifecycle states. */
    public enum State {
        STARTING,
        READY,
        DRAINING,
        STOPPED
    }

    private final String nodeId;
    private final String version;
    private final Instant startedAt;
    private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);

    public NodeStatus(String nodeId, String version, Instant startedAt) {
        this.nodeId = nodeId;
        this.version = version;
        this.startedAt = startedAt;
    }

    public State state() {
        return state.get();
    }

    public void set(State next) {
        state.set(next);
    }

    public String nodeId() {
        return nodeId;
    }

    public String version() {
        return version;
    }

    public Instant startedAt() {
        return startedAt;
    }
}
