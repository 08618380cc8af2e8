package io.relaymesh.node.relay;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the media relay starts with.
 *
 * @param bind      local UDP address of the relay port ({@code --relay-port}, by default the cluster port + 1);
 *                  port 0 picks one (tests)
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

    InetAddress advertisedIp() {
        return advertise.orElse(bind.getAddress());
    }
}
