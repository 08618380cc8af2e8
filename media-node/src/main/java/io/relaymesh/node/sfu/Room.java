package io.relaymesh.node.sfu;

import java.util.ArrayList;
import java.util.List;

/**
 * Publishers, their tracks and the viewers of one room. A viewer plays, per kind, the most recently published
 * live track; when that track ends, its viewers continue with the previous one still live, or wait for the
 * next one, without renegotiating. Event loop only.
 */
final class Room {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Room.class);

    private final String name;
    private final SfuListener listener;
    /** Live sessions per peer: a peer joins with its first session and leaves with its last. */
    private final java.util.Map<String, Integer> presence = new java.util.HashMap<>();
    private final List<Publisher> publishers = new ArrayList<>();
    private final List<PublishedTrack> tracks = new ArrayList<>();
    private final List<Subscriber> subscribers = new ArrayList<>();

    Room(String name, SfuListener listener) {
        this.name = name;
        this.listener = listener;
    }

    void join(String peer) {
        if (presence.merge(peer, 1, Integer::sum) == 1) {
            listener.peerJoined(name, peer);
        }
    }

    void leave(String peer) {
        Integer left = presence.computeIfPresent(peer, (p, n) -> n == 1 ? null : n - 1);
        if (left == null) {
            listener.peerLeft(name, peer);
        }
    }

    String name() {
        return name;
    }

    void addPublisher(Publisher publisher) {
        publishers.add(publisher);
    }

    void removePublisher(Publisher publisher) {
        publishers.remove(publisher);
    }

    void addTrack(PublishedTrack track, long now) {
        tracks.add(track);
        LOG.info("room {}: {} track {} published ({}, SSRC {})", name, track.kind(), track.id(),
                track.codec().codec(), Integer.toUnsignedString(track.ssrc()));
        listener.trackStarted(info(track));
        for (Subscriber s : subscribers) {
            for (DownTrack d : s.downTracks()) {
                if (d.kind() == track.kind()) {
                    d.switchTo(track, now);
                }
            }
        }
    }

    void removeTrack(PublishedTrack track, long now) {
        if (!tracks.remove(track)) {
            return;
        }
        listener.trackEnded(info(track));
        PublishedTrack replacement = latest(track.kind());
        for (Subscriber s : subscribers) {
            for (DownTrack d : s.downTracks()) {
                if (d.source() == track) {
                    d.switchTo(replacement, now);
                    if (replacement == null) {
                        s.streamEnded(d); // nothing else to play: tell the viewer its stream ended
                    }
                }
            }
        }
    }

    void addSubscriber(Subscriber subscriber, long now) {
        subscribers.add(subscriber);
        for (DownTrack d : subscriber.downTracks()) {
            d.switchTo(latest(d.kind()), now);
        }
    }

    void removeSubscriber(Subscriber subscriber) {
        subscribers.remove(subscriber);
    }

    private SfuListener.TrackInfo info(PublishedTrack t) {
        return new SfuListener.TrackInfo(t.id(), name, t.source().peer(), t.sessionId(), t.kind(),
                t.codec().codec().name());
    }

    boolean hasPeers() {
        return !presence.isEmpty();
    }

    private PublishedTrack latest(MediaKind kind) {
        for (int i = tracks.size() - 1; i >= 0; i--) {
            if (tracks.get(i).kind() == kind && !tracks.get(i).ended()) {
                return tracks.get(i);
            }
        }
        return null;
    }

    List<Publisher> publishers() {
        return publishers;
    }

    List<PublishedTrack> tracks() {
        return tracks;
    }

    List<Subscriber> subscribers() {
        return subscribers;
    }

    boolean isEmpty() {
        return publishers.isEmpty() && subscribers.isEmpty() && tracks.isEmpty() && presence.isEmpty();
    }
}
