package io.relaymesh.node.relay;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.sfu.Cascade.TrackDescription;
import io.relaymesh.node.sfu.MediaKind;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * ANNOUNCE: some of the live tracks published on the sending node, refreshed periodically. Each entry stands
 * alone (a receiver keeps it for {@link TrackDirectory#ENTRY_TTL_NANOS} after the last announcement), so a node
 * with many tracks splits them over several messages and nothing is reassembled.
 *
 * <pre>
 * type = 1 (1) | boot id (8) | family (1: 4 or 6) | relay address (4 or 16) | relay port (2) | count (1) |
 * count x entry
 * entry: room (str) | track id (str) | peer (str) | kind (1: 0 audio, 1 video) | codec (str) |
 *        clock rate (4) | payload type (1, 0..127)
 * str:   length (1, 1..128) | UTF-8 bytes
 * </pre>
 *
 * @param bootId       random per process of the sender: relay keys are bound to it, so a restarted node never
 *                     reuses a key with the same SRTP indexes
 * @param relayAddress the sender's relay address: where its relayed media comes from, so a child connects its
 *                     socket to it before the first packet
 */
record TrackAnnouncement(long bootId, InetSocketAddress relayAddress, List<TrackDescription> tracks) {

    /** Encoded size limit, well inside a cluster datagram. */
    static final int MAX_LENGTH = 1100;
    static final int MAX_TRACKS = 255;

    TrackAnnouncement {
        if (relayAddress.getAddress() == null) {
            throw new IllegalArgumentException("relay address must be resolved: " + relayAddress);
        }
        tracks = List.copyOf(tracks);
        if (tracks.size() > MAX_TRACKS) {
            throw new IllegalArgumentException("at most " + MAX_TRACKS + " tracks per announcement");
        }
    }

    static int entryLength(TrackDescription t) {
        return WireFields.stringLength(t.room()) + WireFields.stringLength(t.trackId())
                + WireFields.stringLength(t.peer()) + 1 + WireFields.stringLength(t.codec()) + 4 + 1;
    }

    /** Whether {@code t} can be announced at all (field lengths, payload type). */
    static boolean announceable(TrackDescription t) {
        try {
            WireFields.requireString(t.room(), "room");
            WireFields.requireString(t.trackId(), "track id");
            WireFields.requireString(t.peer(), "peer");
            WireFields.requireString(t.codec(), "codec");
        } catch (IllegalArgumentException e) {
            return false;
        }
        return t.payloadType() >= 0 && t.payloadType() <= 127;
    }

    /** Splits {@code tracks} (each {@link #announceable}) into announcements of at most {@link #MAX_LENGTH}. */
    static List<TrackAnnouncement> split(long bootId, InetSocketAddress relayAddress, List<TrackDescription> tracks) {
        List<TrackAnnouncement> out = new ArrayList<>();
        List<TrackDescription> current = new ArrayList<>();
        int header = headerLength(relayAddress);
        int length = header;
        for (TrackDescription t : tracks) {
            int entry = entryLength(t);
            if (!current.isEmpty() && (length + entry > MAX_LENGTH || current.size() == MAX_TRACKS)) {
                out.add(new TrackAnnouncement(bootId, relayAddress, current));
                current = new ArrayList<>();
                length = header;
            }
            current.add(t);
            length += entry;
        }
        if (!current.isEmpty() || out.isEmpty()) {
            out.add(new TrackAnnouncement(bootId, relayAddress, current));
        }
        return out;
    }

    private static int headerLength(InetSocketAddress relayAddress) {
        return 1 + 8 + 1 + relayAddress.getAddress().getAddress().length + 2 + 1;
    }

    int encodedLength() {
        int length = headerLength(relayAddress);
        for (TrackDescription t : tracks) {
            length += entryLength(t);
        }
        return length;
    }

    void writeTo(ByteBuf out) {
        out.writeByte(RelayMessageType.ANNOUNCE);
        out.writeLong(bootId);
        out.writeByte(relayAddress.getAddress() instanceof Inet4Address ? 4 : 6);
        out.writeBytes(relayAddress.getAddress().getAddress());
        out.writeShort(relayAddress.getPort());
        out.writeByte(tracks.size());
        for (TrackDescription t : tracks) {
            WireFields.writeString(out, t.room());
            WireFields.writeString(out, t.trackId());
            WireFields.writeString(out, t.peer());
            out.writeByte(t.kind() == MediaKind.VIDEO ? 1 : 0);
            WireFields.writeString(out, t.codec());
            out.writeInt(t.clockRate());
            out.writeByte(t.payloadType());
        }
    }

    /** Parses the readable bytes (type byte included). */
    static TrackAnnouncement parse(ByteBuf in) throws ProtocolException {
        WireFields.need(in, 10, "announcement header");
        int type = in.readUnsignedByte();
        if (type != RelayMessageType.ANNOUNCE) {
            throw new ProtocolException("not an announcement: type " + type);
        }
        long bootId = in.readLong();
        InetSocketAddress relayAddress = WireFields.readAddress(in);
        WireFields.need(in, 1, "track count");
        int count = in.readUnsignedByte();
        List<TrackDescription> tracks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String room = WireFields.readString(in, "room");
            String trackId = WireFields.readString(in, "track id");
            String peer = WireFields.readString(in, "peer");
            WireFields.need(in, 1, "kind");
            int kind = in.readUnsignedByte();
            if (kind > 1) {
                throw new ProtocolException("unknown kind " + kind);
            }
            String codec = WireFields.readString(in, "codec");
            WireFields.need(in, 5, "clock rate and payload type");
            int clockRate = in.readInt();
            if (clockRate <= 0) {
                throw new ProtocolException("clock rate " + Integer.toUnsignedString(clockRate) + " is not positive");
            }
            int pt = in.readUnsignedByte();
            if (pt > 127) {
                throw new ProtocolException("payload type " + pt + " above 127");
            }
            tracks.add(new TrackDescription(room, trackId, peer, kind == 1 ? MediaKind.VIDEO : MediaKind.AUDIO, codec,
                    clockRate, pt));
        }
        WireFields.requireEnd(in, "announcement");
        return new TrackAnnouncement(bootId, relayAddress, tracks);
    }
}
