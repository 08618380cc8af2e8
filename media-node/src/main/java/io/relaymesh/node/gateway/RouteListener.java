package io.relaymesh.node.gateway;

/**
 * Hears every placement decision of a {@link SessionRouter}: each session a media node accepted (it answered
 * 201) and each offer no node took (the gateway answered 503). Offers a node refused on their merits (400, 401,
 * 403) are not routes. Called on an HTTP client thread: must not block.
 */
@FunctionalInterface
public interface RouteListener {

    RouteListener NONE = route -> { };

    void routed(Route route);
}
