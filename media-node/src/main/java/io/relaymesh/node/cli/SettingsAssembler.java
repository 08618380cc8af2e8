package io.relaymesh.node.cli;

import io.relaymesh.node.config.NodeSettings;
import io.relaymesh.node.config.Role;
import io.relaymesh.node.config.Secret;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns parsed option groups into validated {@link NodeSettings}; every error names the flag. */
final class SettingsAssembler {

    /** Ports a role does not use still need a valid value in the settings record. */
    private static final int UNUSED_WEBRTC_PORT = 10000;
    private static final int UNUSED_RTMP_PORT = 1935;
    private static final int UNUSED_SIP_PORT = 5060;

    private SettingsAssembler() {
    }

    static NodeSettings assemble(Role role, CommonOptions common, WebrtcOptions webrtc, RtmpOptions rtmp,
                                 SipOptions sip, ConnectorOptions connector, MediaOptions media,
                                 GatewayOptions gateway) {
        Optional<Secret> secret = blank(common.secret) ? Optional.empty() : Optional.of(Secret.of(common.secret));
        Optional<String> nats = connector == null || blank(connector.natsUrl)
                ? Optional.empty() : Optional.of(validNatsUrl(connector.natsUrl));
        return new NodeSettings(
                role,
                common.httpPort,
                webrtc == null ? UNUSED_WEBRTC_PORT : webrtc.webrtcPort,
                webrtc == null ? NodeSettings.SRTP_PROFILES : webrtc.srtpProfiles,
                webrtc == null ? NodeSettings.VIDEO_CODECS : webrtc.videoCodecs,
                addresses(common.advertiseIps),
                secret,
                common.zone,
                common.nodeIndex,
                common.clusterPort,
                seeds(common.seeds),
                rtmp == null ? UNUSED_RTMP_PORT : rtmp.rtmpPort,
                sip == null ? UNUSED_SIP_PORT : sip.sipPort,
                nats,
                connector == null ? "relaymesh.events" : connector.eventsSubject,
                connector == null ? List.of() : webhooks(connector.webhookUrls),
                common.dataDir,
                media == null ? NodeSettings.DEFAULT_SESSION_CAPACITY : media.sessionCapacity,
                relayPort(common.clusterPort, media),
                gateway == null ? NodeSettings.DEFAULT_PLACEMENT_CPU_LIMIT : gateway.placementCpuLimit);
    }

    /** A media node's relay port: the flag, else the cluster port + 1; roles without a relay get a placeholder. */
    private static int relayPort(int clusterPort, MediaOptions media) {
        if (media != null && media.relayPort != null) {
            return media.relayPort;
        }
        if (media != null) {
            return NodeSettings.defaultRelayPort(clusterPort);
        }
        return clusterPort < 65535 ? clusterPort + 1 : clusterPort - 1;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static List<InetAddress> addresses(List<String> values) {
        List<InetAddress> out = new ArrayList<>();
        for (String value : nonBlank(values)) {
            if (!value.matches("[0-9.]+|[0-9a-fA-F:]+(%\\w+)?")) {
                throw new IllegalArgumentException("--advertise-ip takes an IP address, not a host name: " + value);
            }
            try {
                out.add(InetAddress.getByName(value));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("--advertise-ip: not an IP address: " + value);
            }
        }
        return out;
    }

    /** Seeds stay unresolved: a DNS name (a headless Service) is resolved again at every join attempt. */
    private static List<InetSocketAddress> seeds(List<String> values) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String raw : nonBlank(values)) {
            String value = raw.trim();
            // A node prints its full cluster address as relaymesh://<node-id>@host:port; accept it as is.
            int at = value.lastIndexOf('@');
            if (value.startsWith("relaymesh://") && at > 0) {
                value = value.substring(at + 1);
            }
            int colon = value.lastIndexOf(':');
            if (colon <= 0 || colon == value.length() - 1) {
                throw new IllegalArgumentException("--seeds takes host:port, got: " + raw);
            }
            String host = value.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(value.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--seeds: bad port in " + raw);
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("--seeds: port out of range in " + raw);
            }
            out.add(InetSocketAddress.createUnresolved(host, port));
        }
        return out;
    }

    private static List<String> webhooks(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String value : nonBlank(values)) {
            URI uri;
            try {
                uri = URI.create(value.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--webhook-url: not a URL: " + value);
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("--webhook-url must be http or https: " + value);
            }
            out.add(uri.toString());
        }
        return out;
    }

    private static String validNatsUrl(String value) {
        URI uri;
        try {
            uri = URI.create(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--nats-url: not a URL: " + value);
        }
        if (!List.of("nats", "tls", "ws", "wss").contains(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--nats-url must look like nats://host:4222, got: " + value);
        }
        return uri.toString();
    }

    private static List<String> nonBlank(List<String> values) {
        if (values == null) {
            return List.of();
        }
        return values.stream().filter(v -> v != null && !v.isBlank()).map(String::trim).toList();
    }
}
