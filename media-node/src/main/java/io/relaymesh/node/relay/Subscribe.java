package io.relaymesh.node.relay;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
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
 * family (1: 4 or 6) | address (4 or 16) | port (2) | room (str) | track id (str)
 * </pre>
 *
 * @param channel       chosen by the subscriber, unique there; becomes the relayed stream's SSRC
 * @param parentBoot    the parent's boot id the subscriber knows (from its announcements): a parent that
 *                      restarted ignores requests meant for its previous life (the link keys are bound to it)
 * @param publisherBoot the boot id of the track's publishing node; with room and track id it names the track
 *                      anywhere in the cluster (equal to {@code parentBoot} when the parent is the publisher)
 */
record Subscribe(int channel, long subscriberBoot, long parentBoot, long publisherBoot, InetSocketAddress relayAddress,
                 String room, String trackId) {

    Subscribe {
        if (relayAddress.getAddress() == null) {
            throw new IllegalArgumentException("relay address must be resolved: " + relayAddress);
        }
        WireFields.requireString(room, "room");
        WireFields.requireString(trackId, "track id");
    }

    int encodedLength() {
        return 1 + 4 + 8 + 8 + 8 + 1 + relayAddress.getAddress().getAddress().length + 2
                + WireFields.stringLength(room) + WireFields.stringLength(trackId);
    }

    void writeTo(ByteBuf out) {
        out.writeByte(RelayMessageType.SUBSCRIBE);
        out.writeInt(channel);
        out.writeLong(subscriberBoot);
        out.writeLong(parentBoot);
        out.writeLong(publisherBoot);
        byte[] ip = relayAddress.getAddress().getAddress();
        out.writeByte(relayAddress.getAddress() instanceof Inet4Address ? 4 : 6);
        out.writeBytes(ip);
        out.writeShort(relayAddress.getPort());
        WireFields.writeString(out, room);
        WireFields.writeString(out, trackId);
    }

    static Subscribe parse(ByteBuf in) throws ProtocolException {
        WireFields.need(in, 29, "subscribe header");
        int type = in.readUnsignedByte();
        if (type != RelayMessageType.SUBSCRIBE) {
            throw new ProtocolException("not a subscribe: type " + type);
        }
        int channel = in.readInt();
        long subscriberBoot = in.readLong();
        long parentBoot = in.readLong();
        long publisherBoot = in.readLong();
        InetSocketAddress relayAddress = WireFields.readAddress(in);
        String room = WireFields.readString(in, "room");
        String trackId = WireFields.readString(in, "track id");
        WireFields.requireEnd(in, "subscribe");
        return new Subscribe(channel, subscriberBoot, parentBoot, publisherBoot, relayAddress, room, trackId);
    }
}
