package io.relaymesh.node.cluster.wire;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.config.Role;
import io.relaymesh.node.config.ZoneName;
import io.relaymesh.node.protocol.ProtocolException;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a node tells the cluster about itself. Its version is the incarnation of the {@link MemberUpdate} that
 * carries it: a node bumps its incarnation whenever its metadata changes, so newer metadata always wins.
 *
 * <pre>
 * zone (string, 1..32) | index (2) | roles (1, bit i = Role ordinal i)
 * cluster address | HTTP address (or none) | WebRTC address (or none)
 * load ({@link NodeLoad}) | software version (string, 0..32) | RTTs to other zones ({@link ZoneRtts})
 * </pre>
 *
 * @param zone           zone id, a DNS label
 * @param index          index of the node in its zone
 * @param roles          roles the node serves
 * @param clusterAddress where the node's cluster port is reached
 * @param httpAddress    the node's HTTP API, when it has one
 * @param webrtcAddress  the node's WebRTC UDP port, when it has one
 * @param load           current load
 * @param version        software version
 * @param zoneRtts       how far the node is from the other zones, as it measures
 */
public record NodeMetadata(String zone, int index, Set<Role> roles, InetSocketAddress clusterAddress,
                           Optional<InetSocketAddress> httpAddress, Optional<InetSocketAddress> webrtcAddress,
                           NodeLoad load, String version, ZoneRtts zoneRtts) {

    public static final int MAX_ZONE = ZoneName.MAX_LENGTH;
    public static final int MAX_VERSION = 32;
    /** Longest node id: a zone, '-', and a five-digit index. */
    public static final int MAX_NODE_ID = MAX_ZONE + 6;

    private static final Role[] ROLES = Role.values();

    public NodeMetadata {
        if (!ZoneName.isValid(zone)) {
            throw new IllegalArgumentException("zone must be a DNS label of at most 32 characters, got " + zone);
        }
        if (index < 0 || index > 0xFFFF) {
            throw new IllegalArgumentException("index must be 0..65535, got " + index);
        }
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        Fields.requireAddress(clusterAddress, "cluster address");
        httpAddress.ifPresent(a -> Fields.requireAddress(a, "HTTP address"));
        webrtcAddress.ifPresent(a -> Fields.requireAddress(a, "WebRTC address"));
        Objects.requireNonNull(load, "load");
        Fields.requireString(version, 0, MAX_VERSION, "version");
        Objects.requireNonNull(zoneRtts, "zoneRtts");
    }

    /** Metadata of a node that has measured no other zone yet. */
    public NodeMetadata(String zone, int index, Set<Role> roles, InetSocketAddress clusterAddress,
                        Optional<InetSocketAddress> httpAddress, Optional<InetSocketAddress> webrtcAddress,
                        NodeLoad load, String version) {
        this(zone, index, roles, clusterAddress, httpAddress, webrtcAddress, load, version, ZoneRtts.NONE);
    }

    /** The node's identity: zone and index. */
    public String nodeId() {
        return zone + "-" + index;
    }

    public NodeMetadata withLoad(NodeLoad newLoad) {
        return new NodeMetadata(zone, index, roles, clusterAddress, httpAddress, webrtcAddress, newLoad, version,
                zoneRtts);
    }

    public NodeMetadata withZoneRtts(ZoneRtts newZoneRtts) {
        return new NodeMetadata(zone, index, roles, clusterAddress, httpAddress, webrtcAddress, load, version,
                newZoneRtts);
    }

    public NodeMetadata withClusterAddress(InetSocketAddress address) {
        return new NodeMetadata(zone, index, roles, address, httpAddress, webrtcAddress, load, version, zoneRtts);
    }

    public static NodeMetadata parse(ByteBuf in) throws ProtocolException {
        String zone = Fields.readString(in, 1, MAX_ZONE, "zone");
        if (!ZoneName.isValid(zone)) {
            throw new ProtocolException("zone is not a DNS label: " + zone);
        }
        Fields.need(in, 3, "index and roles");
        int index = in.readUnsignedShort();
        int roleBits = in.readUnsignedByte();
        if ((roleBits >>> ROLES.length) != 0) {
            throw new ProtocolException("unknown role bits 0x" + Integer.toHexString(roleBits));
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (Role r : ROLES) {
            if ((roleBits & (1 << r.ordinal())) != 0) {
                roles.add(r);
            }
        }
        InetSocketAddress cluster = Fields.readAddress(in, "cluster address")
                .orElseThrow(() -> new ProtocolException("cluster address missing"));
        Optional<InetSocketAddress> http = Fields.readAddress(in, "HTTP address");
        Optional<InetSocketAddress> webrtc = Fields.readAddress(in, "WebRTC address");
        NodeLoad load = NodeLoad.parse(in);
        String version = Fields.readString(in, 0, MAX_VERSION, "version");
        ZoneRtts zoneRtts = ZoneRtts.parse(in);
        return new NodeMetadata(zone, index, roles, cluster, http, webrtc, load, version, zoneRtts);
    }

    public int encodedLength() {
        return Fields.stringLength(zone) + 3 + Fields.addressLength(Optional.of(clusterAddress))
                + Fields.addressLength(httpAddress) + Fields.addressLength(webrtcAddress) + NodeLoad.ENCODED_LENGTH
                + Fields.stringLength(version) + zoneRtts.encodedLength();
    }

    public void writeTo(ByteBuf out) {
        Fields.writeString(out, zone);
        out.writeShort(index);
        int roleBits = 0;
        for (Role r : roles) {
            roleBits |= 1 << r.ordinal();
        }
        out.writeByte(roleBits);
        Fields.writeAddress(out, Optional.of(clusterAddress));
        Fields.writeAddress(out, httpAddress);
        Fields.writeAddress(out, webrtcAddress);
        load.writeTo(out);
        Fields.writeString(out, version);
        zoneRtts.writeTo(out);
    }
}
