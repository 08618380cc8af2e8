package io.relaymesh.node.relay;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.sfu.Cascade;
import java.net.Inet4Address;
import java.net.InetSocketAddress;

/**
 * SUBSCRIBE: the subscriber asks its parent (the publishing node, or its zone's entry for the track) for one
 * track on one channel, sent to its relay address. Repeated every {@link RelayNode#KEEPALIVE_NANOS} while wanted
 * (the parent answers each with ALIVE); the parent drops a subscription not refreshed within
 * {@link RelayNode#SUBSCRIPTION_TIMEOUT_NANOS} (the subscriber died or moved on).
 *
 * <pre>
 * type = 2 (1) | channel (4) | subscriber boot id (8) | parent boot id (8) | publisher boot id (8) |
 * demand (1: layer mask 0..7) | family (1: 4 or 6) | address (4 or 16) | port (2) | room (str) | track id (str)
 * </pre>
 *
 * Sent again at once when the demand changes: the parent applies the demand of every SUBSCRIBE it gets.
 *
 * @param channel       chosen by the subscriber, unique there, top two bits clear; each layer's stream has the
 *                      channel with its layer index in those bits as SSRC ({@link Cascade#layerSsrc})
 * @param parentBoot    the parent's boot id the subscriber knows (from its announcements): a parent that
 *                      restarted ignores requests meant for its previous life (the link keys are bound to it)
 * @param publisherBoot the boot id of the track's publishing node; with room and track id it names the track
 *                      anywhere in the cluster (equal to {@code parentBoot} when the parent is the publisher)
 * @param demand        the layers the subscriber needs (bit i: layer index i); the parent also sends the layer it
 *                      ranks lowest, whatever the demand
 */
record Subscribe(int channel, long subscriberBoot, long parentBoot, long publisherBoot, int demand,
                 InetSocketAddress relayAddress, String room, String trackId) {

    Subscribe {
        if ((channel & ~Cascade.CHANNEL_MASK) != 0) {
            throw new IllegalArgumentException("channel " + Integer.toHexString(channel) + " uses the layer bits");
        }
        if ((demand & ~Cascade.ALL_LAYERS) != 0) {
            throw new IllegalArgumentException("demand names unknown layers: " + Integer.toHexString(demand));
        }
        if (relayAddress.getAddress() == null) {
            throw new IllegalArgumentException("relay address must be resolved: " + relayAddress);
        }
        WireFields.requireString(room, "room");
        WireFields.requireString(trackId, "track id");
    }

    int encodedLength() {
        return 1 + 4 + 8 + 8 + 8 + 1 + 1 + relayAddress.getAddress().getAddress().length + 2
                + WireFields.stringLength(room) + WireFields.stringLength(trackId);
    }

    void writeTo(ByteBuf out) {
        out.writeByte(RelayMessageType.SUBSCRIBE);
        out.writeInt(channel);
        out.writeLong(subscriberBoot);
        out.writeLong(parentBoot);
        out.writeLong(publisherBoot);
        out.writeByte(demand);
        byte[] ip = relayAddress.getAddress().getAddress();
        out.writeByte(relayAddress.getAddress() instanceof Inet4Address ? 4 : 6);
        out.writeBytes(ip);
        out.writeShort(relayAddress.getPort());
        WireFields.writeString(out, room);
        WireFields.writeString(out, trackId);
    }

    static Subscribe parse(ByteBuf in) throws ProtocolException {
        WireFields.need(in, 30, "subscribe header");
        int type = in.readUnsignedByte();
        if (type != RelayMessageType.SUBSCRIBE) {
            throw new ProtocolException("not a subscribe: type " + type);
        }
        int channel = in.readInt();
        if ((channel & ~Cascade.CHANNEL_MASK) != 0) {
            throw new ProtocolException("channel " + Integer.toHexString(channel) + " uses the layer bits");
        }
        long subscriberBoot = in.readLong();
        long parentBoot = in.readLong();
        long publisherBoot = in.readLong();
        int demand = in.readUnsignedByte();
        if ((demand & ~Cascade.ALL_LAYERS) != 0) {
            throw new ProtocolException("demand 0x" + Integer.toHexString(demand) + " names unknown layers");
        }
        InetSocketAddress relayAddress = WireFields.readAddress(in);
        String room = WireFields.readString(in, "room");
        String trackId = WireFields.readString(in, "track id");
        WireFields.requireEnd(in, "subscribe");
        return new Subscribe(channel, subscriberBoot, parentBoot, publisherBoot, demand, relayAddress, room, trackId);
    }
}
