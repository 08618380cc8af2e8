package io.relaymesh.node.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a node process is started with, validated once. Built by the CLI from flags and environment
 * variables; immutable afterwards.
 *
 * @param role           the role of this process
 * @param httpPort       TCP port of the HTTP API, sample pages and health endpoint
 * @param webrtcPort     the one UDP port that carries every WebRTC session
 * @param srtpProfiles   SRTP profiles offered in DTLS, preferred first ({@code aes-gcm}, {@code aes-cm})
 * @param videoCodecs    video codecs accepted in offers ({@code vp8}, {@code vp9}, {@code h264})
 * @param advertiseIps   addresses put into ICE candidates; empty means "detect"
 * @param secret         the cluster secret, or empty when the role may generate one (standalone)
 * @param zone           zone id, a DNS label
 * @param nodeIndex      index of the node within its zone; node id = zone + "-" + index
 * @param clusterPort    UDP port of the cluster overlay
 * @param seeds          members to join through ({@code host:port})
 * @param rtmpPort       TCP port of RTMP ingest
 * @param sipPort        UDP/TCP port of the SIP edge
 * @param natsUrl        NATS server of the event connector, when set
 * @param eventsSubject  NATS subject events are published on
 * @param webhookUrls    webhook sinks of the event connector
 * @param dataDir        where durable state (the connector's queue) lives
 * @param sessionCapacity live sessions a media node offers gateways; 0 takes none through a gateway (a node kept
 *                        for relaying, or cordoned), at most 2^32 - 1 (the gossiped field)
 * @param relayPort      UDP port of a media node's relay (by default the cluster port + 1)
 * @param placementCpuLimit a gateway places no new session on a media node whose process uses this share of its
 *                          machine's CPU (percent, 1..100; 100: by session capacity alone)
 */
public record NodeSettings(
        Role role,
        int httpPort,
        int webrtcPort,
        List<String> srtpProfiles,
        List<String> videoCodecs,
        List<InetAddress> advertiseIps,
        Optional<Secret> secret,
        String zone,
        int nodeIndex,
        int clusterPort,
        List<InetSocketAddress> seeds,
        int rtmpPort,
        int sipPort,
        Optional<String> natsUrl,
        String eventsSubject,
        List<String> webhookUrls,
        Path dataDir,
        long sessionCapacity,
        int relayPort,
        int placementCpuLimit) {

    /** Values of {@code --srtp-profile}. */
    public static final List<String> SRTP_PROFILES = List.of("aes-gcm", "aes-cm");
    /** Values of {@code --video-codec}. */
    public static final List<String> VIDEO_CODECS = List.of("vp8", "vp9", "h264", "av1");

    /** Live sessions a media node offers when {@code --session-capacity} is not given. */
    public static final long DEFAULT_SESSION_CAPACITY = 500;
    /** The largest capacity the cluster can gossip (an unsigned 32-bit field). */
    public static final long MAX_SESSION_CAPACITY = 0xFFFF_FFFFL;
    /** A gateway's {@code --placement-cpu-limit} when not given, percent. */
    public static final int DEFAULT_PLACEMENT_CPU_LIMIT = 60;


    public NodeSettings {
        Objects.requireNonNull(role, "role");
        requirePort("--http-port", httpPort);
        requirePort("--webrtc-port", webrtcPort);
        requirePort("--cluster-port", clusterPort);
        requirePort("--rtmp-port", rtmpPort);
        requirePort("--sip-port", sipPort);
        srtpProfiles = requireSubset("--srtp-profile", srtpProfiles, SRTP_PROFILES);
        videoCodecs = requireSubset("--video-codec", videoCodecs, VIDEO_CODECS);
        advertiseIps = List.copyOf(advertiseIps);
        Objects.requireNonNull(secret, "secret");
        if (!ZoneName.isValid(zone)) {
            throw new IllegalArgumentException("--zone must be a DNS label (lower-case letters, digits and '-', at most 32), got: " + zone);
        }
        if (nodeIndex < 0 || nodeIndex > 65535) {
            throw new IllegalArgumentException("--node-index must be between 0 and 65535, got: " + nodeIndex);
        }
        seeds = List.copyOf(seeds);
        Objects.requireNonNull(natsUrl, "natsUrl");
        if (eventsSubject == null || eventsSubject.isBlank() || eventsSubject.contains(" ")) {
            throw new IllegalArgumentException("--events-subject must be a NATS subject without spaces, got: " + eventsSubject);
        }
        webhookUrls = List.copyOf(webhookUrls);
        Objects.requireNonNull(dataDir, "dataDir");
        if (sessionCapacity < 0 || sessionCapacity > MAX_SESSION_CAPACITY) {
            throw new IllegalArgumentException("--session-capacity must be between 0 and " + MAX_SESSION_CAPACITY
                    + ", got: " + sessionCapacity);
        }
        if (placementCpuLimit < 1 || placementCpuLimit > 100) {
            throw new IllegalArgumentException("--placement-cpu-limit must be a percentage between 1 and 100, got: "
                    + placementCpuLimit);
        }
        requirePort("--relay-port", relayPort);
        if (relayPort == clusterPort) {
            throw new IllegalArgumentException("--relay-port must differ from --cluster-port (both are UDP), got "
                    + relayPort + " for both");
        }
        if (role == Role.MEDIA && relayPort == webrtcPort) {
            throw new IllegalArgumentException("--relay-port must differ from --webrtc-port (both are UDP), got "
                    + relayPort + " for both");
        }
    }

    /** The relay port a media node uses when none is given: the cluster port + 1. */
    public static int defaultRelayPort(int clusterPort) {
        if (clusterPort >= 65535) {
            throw new IllegalArgumentException("--cluster-port " + clusterPort
                    + " leaves no default relay port (cluster port + 1): set --relay-port");
        }
        return clusterPort + 1;
    }

    /** The node's identity in its cluster: zone and index. */
    public String nodeId() {
        return zone + "-" + nodeIndex;
    }

    private static List<String> requireSubset(String flag, List<String> values, List<String> allowed) {
        List<String> out = values.stream().map(v -> v.trim().toLowerCase(java.util.Locale.ROOT)).distinct().toList();
        if (out.isEmpty()) {
            throw new IllegalArgumentException(flag + " needs at least one of " + allowed);
        }
        for (String v : out) {
            if (!allowed.contains(v)) {
                throw new IllegalArgumentException(flag + ": unknown value '" + v + "', use " + String.join(", ", allowed));
            }
        }
        return out;
    }

    private static void requirePort(String flag, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(flag + " must be between 1 and 65535, got: " + port);
        }
    }
}
