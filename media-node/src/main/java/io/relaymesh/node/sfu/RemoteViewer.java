package io.relaymesh.node.sfu;

/**
 * A remote node's subscription to one local track: a {@link DownTrack} whose "viewer" is the relay link, so the
 * stream leaving this node is rewritten and kept continuous exactly as a viewer's is. Event loop only.
 */
public final class RemoteViewer {

    private final DownTrack down;
    private final Sfu sfu;

    RemoteViewer(DownTrack down, Sfu sfu) {
        this.down = down;
        this.sfu = sfu;
    }

    /** The remote node's viewers need a keyframe (limited to one per 100 ms by the track). */
    public void requestKeyframe() {
        PublishedTrack source = down.source();
        if (source != null) {
            source.requestKeyframe(sfu.nanoTime());
        }
    }

    /** Resends relayed sequence number {@code seq} from the track's cache; false when it cannot. */
    public boolean retransmit(int seq) {
        return down.retransmit(seq, sfu.nanoTime());
    }

    /** True once the track's publisher stopped (or it was detached). */
    public boolean ended() {
        PublishedTrack source = down.source();
        return source == null || source.ended();
    }

    public long packetsSent() {
        return down.packetsSent();
    }

    /** Stops forwarding. */
    public void close() {
        down.close();
    }
}
