package io.relaymesh.node.cluster.membership;

import java.time.Duration;

/**
 * How far this node trusts its own timers (the local health multiplier of Lifeguard, the SWIM extension): a node
 * starved of CPU answers late and reads others' answers late, and with SWIM's short timeouts it would accuse healthy
 * members and declare them dead. Evidence that this node itself is slow raises its score: another member suspected
 * it (it had to refute), or its own probe timer fired late by more than the probe timeout. A probe answered in time
 * lowers it. The probe interval, the probe timeout and the suspicion timeout this node applies are multiplied by
 * {@code score + 1}, so a starved node waits longer before it suspects or condemns anyone, while a healthy node (score
 * 0) keeps the configured timings and the 3 s detection. A failed probe does not count against this node: the target
 * may be the one that died. Protocol thread only.
 */
final class LocalHealth {

    /** Timeouts stretch at most {@code MAX_SCORE + 1} times. */
    static final int MAX_SCORE = 7;

    private int score;

    /** Another member suspected this node: it was too slow to answer. */
    void refuted() {
        score = Math.min(MAX_SCORE, score + 1);
    }

    /** A timer of this node fired late: it is not getting the CPU it needs. */
    void lateTimer() {
        score = Math.min(MAX_SCORE, score + 1);
    }

    /** One of this node's probes was answered directly in time. */
    void probeAnswered() {
        score = Math.max(0, score - 1);
    }

    int score() {
        return score;
    }

    /** {@code timeout} as this node applies it now, in nanoseconds. */
    long scale(Duration timeout) {
        return timeout.toNanos() * (score + 1);
    }
}
