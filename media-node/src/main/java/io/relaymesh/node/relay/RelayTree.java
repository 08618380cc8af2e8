package io.relaymesh.node.relay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Where a node receives a remote track from: the shape of the relay tree of one track.
 *
 * <ul>
 *   <li>In the publisher's zone, and on a node that already serves the track to other nodes (an entry), the
 *       parent is the publisher's node.</li>
 *   <li>In another zone, the parent is the zone's <em>entry</em> for the track: among the zone's live media
 *       nodes nearest to the publisher's zone by measured RTT ({@link #nearest}), the one with the highest
 *       rendezvous weight (highest-random-weight hashing) of the track key. Every node computes the same entry
 *       from the same membership and gossiped RTTs, so the track crosses into the zone once, over one of the
 *       shortest paths, and fans out at the entry. When the entry is the node itself, it subscribes to the
 *       publisher.</li>
 * </ul>
 *
 * <p>Why there are no loops and the depth is at most 2: a node subscribes to something other than the publisher
 * only while it serves no other node (a leaf), and a node that serves another node always subscribes to the
 * publisher. So every path is leaf, entry, publisher or shorter, whatever the nodes' views of the membership
 * are; a leaf that gets a child stops being a leaf and re-parents to the publisher. Two nodes with different
 * views (during a membership change) may both act as entries for a while, costing one extra copy across the
 * zone link until the views agree, never a cycle.
 */
final class RelayTree {

    private RelayTree() {
    }

    /** A zone's node may be the entry for a track while its RTT to the track's zone is within this of the nearest's... */
    static final int NEAR_MICROS = 1_000;
    /** ...or within this fraction of it. */
    static final double NEAR_FRACTION = 0.25;

    /**
     * The nodes of a zone that may be its entry for a track published in another zone, from the RTT to that zone
     * each of them publishes ({@code ZoneRtts}): those within {@link #NEAR_MICROS} or {@link #NEAR_FRACTION} of the
     * nearest. A node that has published none is left out while another has; when none has, all of them qualify.
     * Every node computes this from the same gossiped figures, so they agree on the entry as they do on the hash.
     */
    static List<String> nearest(Map<String, OptionalInt> rttMicrosByNode) {
        long best = Long.MAX_VALUE;
        for (OptionalInt rtt : rttMicrosByNode.values()) {
            if (rtt.isPresent()) {
                best = Math.min(best, rtt.getAsInt());
            }
        }
        if (best == Long.MAX_VALUE) {
            return List.copyOf(rttMicrosByNode.keySet());
        }
        long limit = best + Math.max(NEAR_MICROS, (long) (best * NEAR_FRACTION));
        List<String> near = new ArrayList<>();
        for (Map.Entry<String, OptionalInt> e : rttMicrosByNode.entrySet()) {
            if (e.getValue().isPresent() && e.getValue().getAsInt() <= limit) {
                near.add(e.getKey());
            }
        }
        return near;
    }

    /**
     * The rendezvous winner for {@code trackKey} among {@code nodes} (ids), or null when there is none. Ties (a
     * 64-bit collision) go to the smaller id, so the answer never depends on the order of {@code nodes}.
     */
    static String entry(String trackKey, Collection<String> nodes) {
        String best = null;
        long bestWeight = 0;
        for (String node : nodes) {
            long w = weight(trackKey, node);
            if (best == null || Long.compareUnsigned(w, bestWeight) > 0
                    || (w == bestWeight && node.compareTo(best) < 0)) {
                best = node;
                bestWeight = w;
            }
        }
        return best;
    }

    /** The rendezvous weight of {@code node} for {@code trackKey}: FNV-1a over both, then a 64-bit finaliser. */
    static long weight(String trackKey, String node) {
        long h = 0xcbf29ce484222325L;
        h = fnv(h, trackKey.getBytes(StandardCharsets.UTF_8));
        h = (h ^ 0xFF) * 0x100000001b3L; // a separator no UTF-8 string contains, so ("ab","c") != ("a","bc")
        h = fnv(h, node.getBytes(StandardCharsets.UTF_8));
        // FNV alone mixes the last bytes poorly; the MurmurHash3 finaliser spreads them over all 64 bits.
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static long fnv(long h, byte[] bytes) {
        for (byte b : bytes) {
            h = (h ^ (b & 0xFF)) * 0x100000001b3L;
        }
        return h;
    }
}
