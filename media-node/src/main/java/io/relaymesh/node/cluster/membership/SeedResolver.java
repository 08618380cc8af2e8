package io.relaymesh.node.cluster.membership;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns the configured seeds into addresses, again at every join attempt: a DNS name (a Kubernetes headless
 * Service) may resolve to several members, and to different ones over time. Resolution may block, so it runs
 * off the protocol thread and hands the result back on it.
 */
@FunctionalInterface
public interface SeedResolver {
    void resolve(Consumer<List<InetSocketAddress>> onProtocolThread);

    SeedResolver NONE = consumer -> consumer.accept(List.of());
}
