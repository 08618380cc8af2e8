package io.relaymesh.node.relay;

import io.relaymesh.node.sfu.Cascade.TrackDescription;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Which node publishes which track, as a view derived from the announcements of live members: an entry lives
 * while its node keeps announcing it (every {@link RelayNode#ANNOUNCE_NANOS}) and vanishes
 * {@link #ENTRY_TTL_NANOS} after the last announcement, or at once when its node is declared dead or leaves.
 * Event loop only.
 */
final class TrackDirectory {

    /** An entry not re-announced for this long is gone (its track ended, or the announcements were lost). */
    static final long ENTRY_TTL_NANOS = 3_500_000_000L;
    /** Bounds what one node may put into the directory. */
    static final int MAX_TRACKS_PER_NODE = 1024;

    /** A track and the node (process life) that publishes it. */
    record Located(String node, long bootId, TrackDescription track) {
        String key() {
            return keyOf(node, bootId, track.room(), track.trackId());
        }
    }

    /** A track's key, the same on every node: {@code <node>/<boot id, hex>/<room>/<track id>}. */
    static String keyOf(String node, long bootId, String room, String trackId) {
        return node + "/" + Long.toHexString(bootId) + "/" + room + "/" + trackId;
    }

    private record Entry(Located located, long expiresAtNanos) {
    }

    private final Map<String, Map<String, Entry>> byNode = new HashMap<>();
    private final Map<String, Long> boots = new HashMap<>();
    private final Map<String, InetSocketAddress> relays = new HashMap<>();

    void onAnnouncement(String node, TrackAnnouncement announcement, long nowNanos) {
        Long previousBoot = boots.put(node, announcement.bootId());
        relays.put(node, announcement.relayAddress());
        Map<String, Entry> entries = byNode.computeIfAbsent(node, n -> new HashMap<>());
        if (previousBoot != null && previousBoot != announcement.bootId()) {
            entries.clear(); // the node restarted: its previous life's tracks are gone
        }
        for (TrackDescription t : announcement.tracks()) {
            Located located = new Located(node, announcement.bootId(), t);
            if (entries.size() < MAX_TRACKS_PER_NODE || entries.containsKey(located.key())) {
                entries.put(located.key(), new Entry(located, nowNanos + ENTRY_TTL_NANOS));
            }
        }
    }

    /** Forgets everything {@code node} announced (it is dead or left). */
    void remove(String node) {
        byNode.remove(node);
        boots.remove(node);
        relays.remove(node);
    }

    void expire(long nowNanos) {
        for (Iterator<Map<String, Entry>> nodes = byNode.values().iterator(); nodes.hasNext(); ) {
            Map<String, Entry> entries = nodes.next();
            entries.values().removeIf(e -> nowNanos - e.expiresAtNanos() > 0);
        }
    }

    /** The relay address {@code node} announced last, or null. */
    InetSocketAddress relayOf(String node) {
        return relays.get(node);
    }

    /** The boot id {@code node} announced last, or null. */
    Long bootOf(String node) {
        return boots.get(node);
    }

    /** Live tracks of {@code room} published on other nodes than {@code self}. */
    List<Located> tracksIn(String room, String self) {
        List<Located> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, Entry>> node : byNode.entrySet()) {
            if (node.getKey().equals(self)) {
                continue;
            }
            for (Entry e : node.getValue().values()) {
                if (e.located().track().room().equals(room)) {
                    out.add(e.located());
                }
            }
        }
        return out;
    }

    /** The live entry of track {@code trackId} of {@code room} published by process life {@code bootId}, or null. */
    Located find(long bootId, String room, String trackId) {
        for (Map.Entry<String, Long> boot : boots.entrySet()) {
            if (boot.getValue() == bootId) {
                Map<String, Entry> entries = byNode.get(boot.getKey());
                Entry e = entries == null ? null : entries.get(keyOf(boot.getKey(), bootId, room, trackId));
                return e == null ? null : e.located();
            }
        }
        return null;
    }

    /** Whether the track with key {@code key} ({@link Located#key()}) is live. */
    boolean contains(String key) {
        int slash = key.indexOf('/');
        Map<String, Entry> entries = slash < 0 ? null : byNode.get(key.substring(0, slash));
        return entries != null && entries.containsKey(key);
    }

    /** Every live entry, for diagnostics. */
    List<Located> all() {
        List<Located> out = new ArrayList<>();
        for (Map<String, Entry> entries : byNode.values()) {
            for (Entry e : entries.values()) {
                out.add(e.located());
            }
        }
        return out;
    }
}
