package io.relaymesh.node.relay;

import java.util.List;

/**
 * Where one track's relay tree passes through this node: whom this node receives it from and whom it sends it
 * to ({@code GET /api/relay}).
 *
 * @param track      the track key: {@code <publisher node>/<publisher boot id, hex>/<room>/<track id>}, the same
 *                   on every node (what the zone entry is hashed from)
 * @param room       room name
 * @param publisher  the node whose publisher (or ingest) produces the track
 * @param parent     the node this node receives the track from now; null for its own tracks, or while it is
 *                   (re)subscribing
 * @param children   nodes this node sends the track to, sorted
 * @param packetsIn  relayed packets received for the track (0 for its own tracks)
 * @param packetsOut packets sent for the track to all children together
 */
public record RelayRoute(String track, String room, String publisher, String parent, List<String> children,
                         long packetsIn, long packetsOut) {

    public RelayRoute {
        children = List.copyOf(children);
    }
}
