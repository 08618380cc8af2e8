package io.relaymesh.node.relay;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the media relay starts with.
 *
 * @param bind      local UDP address of the relay port; the proposed default is the cluster port + 1 on the
 *                  cluster's bind address ({@link #nextTo}); port 0 picks one (tests)
 * @param advertise the IP other nodes send media to; required when {@code bind} is the wildcard
 * @param linger    how long a room's subscriptions stay after its last local viewer left (a viewer reloading the
 *                  page does not cost a resubscription and a keyframe)
 */
public record RelaySettings(InetSocketAddress bind, Optional<InetAddress> advertise, Duration linger) {

    public static final Duration DEFAULT_LINGER = Duration.ofSeconds(2);

    public RelaySettings {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(advertise, "advertise");
        Objects.requireNonNull(linger, "linger");
        if (bind.getAddress() == null || (bind.getAddress().isAnyLocalAddress() && advertise.isEmpty())) {
            throw new IllegalArgumentException("the relay port is bound to every address: say which one other "
                    + "nodes use");
        }
        if (linger.isNegative()) {
            throw new IllegalArgumentException("linger must not be negative: " + linger);
        }
    }

    /** The default: cluster port + 1 on the same address. */
    public static RelaySettings nextTo(InetSocketAddress clusterBind, Optional<InetAddress> advertise) {
        if (clusterBind.getPort() == 0 || clusterBind.getPort() == 65535) {
            throw new IllegalArgumentException("cannot derive the relay port from cluster port " + clusterBind.getPort());
        }
        return new RelaySettings(new InetSocketAddress(clusterBind.getAddress(), clusterBind.getPort() + 1), advertise,
                DEFAULT_LINGER);
    }

    InetAddress advertisedIp() {
        return advertise.orElse(bind.getAddress());
    }
}
