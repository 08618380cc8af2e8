package io.relaymesh.node.relay;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The relay as the HTTP API sees it: made before the relay starts (the API's services are fixed at startup),
 * filled once it runs. Any thread.
 */
public final class RelayView {

    private volatile RelayNode relay;

    /** Set once the relay runs. */
    public void set(RelayNode relay) {
        this.relay = relay;
    }

    /** Whether the relay runs (a media node once started). */
    public boolean running() {
        return relay != null;
    }

    /** The tracks relayed through this node, or an empty list while it does not run. */
    public CompletableFuture<List<RelayRoute>> routes() {
        RelayNode r = relay;
        return r == null ? CompletableFuture.completedFuture(List.of()) : r.routes();
    }

    /** This node's id in the cluster, or null while the relay does not run. */
    public String self() {
        RelayNode r = relay;
        return r == null ? null : r.self();
    }
}
