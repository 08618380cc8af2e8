package io.relaymesh.node.connector;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Delays between delivery attempts: doubling from {@code initial} up to {@code max}, each spread by up to
 * +-20 % so sinks that failed together do not retry in lockstep.
 */
public record Backoff(Duration initial, Duration max) {

    /** 200 ms doubling to 5 s: a local connector retries cheaply, and an outage ends with events within 5 s. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
    }

    /** Delay before attempt number {@code failures + 1}, after {@code failures} failed ones (1 or more). */
    public Duration delay(int failures, RandomGenerator random) {
        int doublings = Math.min(Math.max(failures - 1, 0), 30);
        long millis = Math.min(max.toMillis(), initial.toMillis() << Math.min(doublings, 20));
        double spread = 0.8 + 0.4 * random.nextDouble();
        return Duration.ofMillis(Math.max(1, Math.round(millis * spread)));
    }
}
