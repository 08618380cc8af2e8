package io.relaymesh.node.sfu;

/** A track source for tests that drive a {@link PublishedTrack} directly: peer "publisher", keyframe requests ignored. */
final class SilentSource implements TrackSource {

    static final TrackSource PUBLISHER = new SilentSource();

    private SilentSource() {
    }

    @Override
    public String peer() {
        return "publisher";
    }

    @Override
    public void sendKeyframeRequest(PublishedTrack track) {
        // nothing answers: the tests feed keyframes themselves
    }
}
