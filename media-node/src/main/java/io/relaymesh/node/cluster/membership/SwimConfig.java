package io.relaymesh.node.cluster.membership;

import java.time.Duration;
import java.util.Objects;

/**
 * The knobs of the SWIM protocol. {@link #DEFAULTS} are tuned for a LAN or one cloud region, so that every
 * member knows of a crashed node within 3 s (the math is in docs/CLUSTER.md):
 * <pre>
 * detection  &lt;= time until some member probes the dead node   (a few probe intervals, geometric tail)
 *             + probe interval        (direct and indirect probes fail -&gt; SUSPECT)
 *             + gossip of the suspicion  (fan-out 3 every gossip interval: about log3(N) rounds)
 *             + suspicion timeout     (each member declares DEAD on its own timer)
 * </pre>
 *
 * @param probeInterval        one member probed per interval; a probe unanswered by its end makes the target SUSPECT
 * @param probeTimeout         wait for a direct ack before asking {@code indirectProbes} members to probe
 * @param indirectProbes       members asked to probe on our behalf (k in the SWIM paper)
 * @param suspicionTimeout     how long a SUSPECT member has to refute before it is declared DEAD
 * @param gossipInterval       how often pending updates are pushed to random members
 * @param gossipFanout         members per gossip round
 * @param retransmitMultiplier each update is sent multiplier * ceil(log10(N + 1)) times
 * @param syncInterval         full-state push-pull with one random member
 * @param joinRetryInterval    while alone, seeds are contacted this often
 * @param deadRetention        DEAD and LEFT members stay listed (as tombstones) this long
 * @param gossipToDeadTime     members declared DEAD still get gossip this long, so a wrongly declared one
 *                             learns of it and refutes
 * @param maxMessageAge        messages whose sequence (µs since the epoch) is older than this are stale
 * @param maxClockSkew         messages dated further in the future than this are rejected
 * @param maxMembers           bound on the member table
 */
public record SwimConfig(Duration probeInterval, Duration probeTimeout, int indirectProbes, Duration suspicionTimeout,
                         Duration gossipInterval, int gossipFanout, int retransmitMultiplier, Duration syncInterval,
                         Duration joinRetryInterval, Duration deadRetention, Duration gossipToDeadTime,
                         Duration maxMessageAge, Duration maxClockSkew, int maxMembers) {

    public static final SwimConfig DEFAULTS = new SwimConfig(
            Duration.ofMillis(250), Duration.ofMillis(120), 3, Duration.ofMillis(1000),
            Duration.ofMillis(150), 3, 4, Duration.ofSeconds(10),
            Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(5),
            Duration.ofSeconds(30), Duration.ofSeconds(60), 1024);

    public SwimConfig {
        positive("probeInterval", probeInterval);
        positive("probeTimeout", probeTimeout);
        if (probeTimeout.compareTo(probeInterval) >= 0) {
            throw new IllegalArgumentException("probeTimeout must be shorter than probeInterval");
        }
        positive("suspicionTimeout", suspicionTimeout);
        positive("gossipInterval", gossipInterval);
        positive("syncInterval", syncInterval);
        positive("joinRetryInterval", joinRetryInterval);
        positive("deadRetention", deadRetention);
        positive("gossipToDeadTime", gossipToDeadTime);
        positive("maxMessageAge", maxMessageAge);
        positive("maxClockSkew", maxClockSkew);
        if (indirectProbes < 0 || indirectProbes > 16) {
            throw new IllegalArgumentException("indirectProbes must be 0..16");
        }
        if (gossipFanout < 1 || gossipFanout > 16) {
            throw new IllegalArgumentException("gossipFanout must be 1..16");
        }
        if (retransmitMultiplier < 1 || retransmitMultiplier > 32) {
            throw new IllegalArgumentException("retransmitMultiplier must be 1..32");
        }
        if (maxMembers < 2 || maxMembers > 65536) {
            throw new IllegalArgumentException("maxMembers must be 2..65536");
        }
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
