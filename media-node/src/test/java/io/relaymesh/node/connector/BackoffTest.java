package io.relaymesh.node.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));

    @Test
    void doublesWithinTwentyPercentAndStopsAtTheMaximum() {
        SplittableRandom random = new SplittableRandom(11);
        long[] nominal = {100, 200, 400, 800, 1600, 2000, 2000};
        for (int failures = 1; failures <= nominal.length; failures++) {
            long millis = backoff.delay(failures, random).toMillis();
            assertThat(millis).as("after %d failures", failures)
                    .isBetween(Math.round(nominal[failures - 1] * 0.8), Math.round(nominal[failures - 1] * 1.2));
        }
        assertThat(backoff.delay(10_000, random)).isLessThanOrEqualTo(Duration.ofMillis(2400));
    }

    @Test
    void rejectsAMaximumBelowTheStart() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
