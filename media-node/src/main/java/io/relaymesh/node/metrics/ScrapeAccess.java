package io.relaymesh.node.metrics;

import io.relaymesh.node.config.Secret;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;

/**
 * Who may read {@code /metrics} and the dashboard's data: a caller that presents the cluster secret as
 * {@code Authorization: Bearer <secret>} (Prometheus: {@code authorization.credentials_file}), or, without any
 * credential, a caller on the node's own machine (loopback or one of its addresses: a sidecar, an operator's
 * {@code curl}, the dashboard opened on the node). A credential that is presented must be right, wherever the
 * call comes from.
 */
public final class ScrapeAccess {

    /** The answer, with the reason when refused. */
    public enum Decision {
        ALLOWED,
        WRONG_SECRET,
        NEEDS_SECRET
    }

    private final Secret secret;

    public ScrapeAccess(Secret secret) {
        this.secret = secret;
    }

    /**
     * @param remote     the caller's address (null when unknown)
     * @param credential the bearer credential, or null when the request carried no Authorization header
     */
    public Decision decide(InetAddress remote, String credential) {
        if (credential != null) {
            return secret.matches(credential) ? Decision.ALLOWED : Decision.WRONG_SECRET;
        }
        return fromThisMachine(remote) ? Decision.ALLOWED : Decision.NEEDS_SECRET;
    }

    static boolean fromThisMachine(InetAddress remote) {
        if (remote == null) {
            return false;
        }
        if (remote.isLoopbackAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(remote) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
