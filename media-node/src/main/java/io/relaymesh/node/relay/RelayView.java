package io.relaymesh.node.relay;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The relay as the HTTP API sees it ({@code GET /api/relay}): made before the relay starts (the API's services
 * are fixed at startup), filled once it runs. Any thread.
 */
public final class RelayView {

    private record Source(String self, Supplier<CompletableFuture<List<RelayRoute>>> routes) {
    }

    private volatile Source source;

    /** Shows {@code relay} once it runs. */
    public void set(RelayNode relay) {
        set(relay.self(), relay::routes);
    }

    /** Shows the routes {@code routes} reads, of node {@code self}. */
    public void set(String self, Supplier<CompletableFuture<List<RelayRoute>>> routes) {
        source = new Source(self, routes);
    }

    /** Whether a relay runs here. */
    public boolean running() {
        return source != null;
    }

    /** The tracks relayed through this node, or an empty list while no relay runs. */
    public CompletableFuture<List<RelayRoute>> routes() {
        Source s = source;
        return s == null ? CompletableFuture.completedFuture(List.of()) : s.routes().get();
    }

    /** This node's id in the cluster, or null while no relay runs. */
    public String self() {
        Source s = source;
        return s == null ? null : s.self();
    }
}
