package io.relaymesh.node.relay;

/**
 * The first byte of every relay control message (cluster application channel {@link RelayNode#CONTROL_CHANNEL}).
 */
final class RelayMessageType {

    /** {@link TrackAnnouncement}: live tracks of the sender. */
    static final int ANNOUNCE = 1;
    /** {@link Subscribe}: send me this track on this channel (repeated as a keepalive). */
    static final int SUBSCRIBE = 2;
    /** {@link ChannelSignal}: stop sending this channel. */
    static final int UNSUBSCRIBE = 3;
    /** {@link ChannelSignal}: my viewers need a keyframe on this channel. */
    static final int KEYFRAME = 4;
    /** {@link ChannelSignal}: resend these sequence numbers of this channel. */
    static final int NACK = 5;
    /** {@link ChannelSignal}: the track of this channel ended (or never existed here). */
    static final int ENDED = 6;
    /** {@link ChannelSignal}: the parent's answer to each SUBSCRIBE: this channel is still served. */
    static final int ALIVE = 7;

    private RelayMessageType() {
    }
}
