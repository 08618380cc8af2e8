package io.relaymesh.node.events;

import io.relaymesh.node.gateway.Route;
import io.relaymesh.node.gateway.RouteListener;
import java.util.Locale;

/** The gateway's placement decisions as {@code session.routed} events. */
public final class RoutingEvents implements RouteListener {

    private final EventEmitter emitter;

    public RoutingEvents(EventEmitter emitter) {
        this.emitter = emitter;
    }

    @Override
    public void routed(Route route) {
        emitter.emit(route.room(), route.peer().orElse(null), route.sessionId().orElse(null),
                new EventData.SessionRouted(route.node().orElse(null), route.routingMillis(),
                        route.failure().orElse(null), route.endpoint().name().toLowerCase(Locale.ROOT),
                        route.requestedZone(), route.nodeZone().orElse(null),
                        route.reason().map(r -> r.wireName()).orElse(null)));
    }
}
