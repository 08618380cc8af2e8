package io.relaymesh.node.events;

import java.time.Clock;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Event ids: UUID version 7 (RFC 9562 section 5.7), a 48-bit Unix millisecond timestamp followed by random
 * bits, so ids are unique across nodes and restarts and roughly sort by time. Thread-safe when the random
 * generator is.
 */
public final class EventIds {

    private static final long VERSION_7 = 0x7000L;
    private static final long VARIANT_RFC = 0x8000_0000_0000_0000L;
    private static final long RANDOM_62_BITS = 0x3FFF_FFFF_FFFF_FFFFL;

    private final Clock clock;
    private final RandomGenerator random;

    public EventIds(Clock clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
    }

    public String next() {
        long millis = clock.millis() & 0xFFFF_FFFF_FFFFL;
        long high = (millis << 16) | VERSION_7 | (random.nextLong() & 0x0FFF);
        long low = VARIANT_RFC | (random.nextLong() & RANDOM_62_BITS);
        return new UUID(high, low).toString();
    }
}
