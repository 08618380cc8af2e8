package io.relaymesh.node.cluster.membership;

/**
 * Runs tasks later on the thread that owns the protocol: Netty's event loop in a node, a virtual-time event
 * queue in the simulated network tests. Tasks are never cancelled; each one checks whether it still applies.
 */
@FunctionalInterface
public interface Scheduler {
    void schedule(long delayNanos, Runnable task);
}
