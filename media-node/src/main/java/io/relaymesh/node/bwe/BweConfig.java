package io.relaymesh.node.bwe;

/**
 * Bounds of a {@link SendSideEstimator}, in bits per second.
 *
 * @param initialBitrate where the estimate starts before any feedback
 * @param minBitrate the estimate never goes below this (audio and the lowest layer must still flow)
 * @param maxBitrate the estimate never goes above this
 */
public record BweConfig(long initialBitrate, long minBitrate, long maxBitrate) {

    public static final BweConfig DEFAULT = new BweConfig(300_000, 30_000, 20_000_000);

    public BweConfig {
        if (minBitrate <= 0 || minBitrate > initialBitrate || initialBitrate > maxBitrate) {
            throw new IllegalArgumentException("bitrates must satisfy 0 < min <= initial <= max, got "
                    + minBitrate + ", " + initialBitrate + ", " + maxBitrate);
        }
    }
}
