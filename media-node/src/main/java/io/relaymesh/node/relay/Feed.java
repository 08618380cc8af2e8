package io.relaymesh.node.relay;

import io.relaymesh.node.sfu.Cascade;
import io.relaymesh.node.sfu.RelayedTrack;

/**
 * One remote track as this node plays it: the {@link RelayedTrack} published into the local room (it stays there,
 * with the viewers' down tracks on it, while the parent it is received from changes), the current subscription
 * to a parent, and who wants it (local viewers of its room, and child nodes this node serves it to). Event loop
 * only.
 */
final class Feed {

    final TrackDirectory.Located track;
    final String key;
    /** One per layer stream: each has its own numbering on each parent. */
    final SeqSplice[] splices = new SeqSplice[Cascade.MAX_LAYERS];
    /** The local session id of the relayed track; its track id in the room is this plus {@code ":0"}. */
    final String sessionId;
    RelayedTrack relayed;
    /** The current subscription to a parent, null while there is none. */
    Incoming in;
    /** Child subscriptions attached to the relayed track here (this node is an entry for them). */
    int children;
    /** The union of the layers those children demand (bit i: layer index i). */
    int childDemand;
    /** When the last child left: the entry keeps the track a while (a child re-subscribing finds it). */
    long childlessSinceNanos;
    /** No subscription to a parent before this time (the parent refused). */
    long retryAtNanos;
    /** Parent changes so far: the source number of {@link #splice}. */
    int sources;
    long packetsIn;

    Feed(TrackDirectory.Located track, String sessionId) {
        this.track = track;
        this.key = track.key();
        this.sessionId = sessionId;
        for (int i = 0; i < splices.length; i++) {
            splices[i] = new SeqSplice(track.track().clockRate());
        }
    }

    String localTrackId() {
        return sessionId + ":0";
    }
}
