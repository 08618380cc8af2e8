package io.relaymesh.node.connector;

import java.time.Duration;
import java.util.Objects;

/**
 * When the durable queue forces its writes to the disk.
 *
 * <p>{@link #EVERY_BATCH} (the default): an event is acknowledged to the emitter only after the batch it was
 * written in is fsync'd, so neither a killed process nor a power cut loses it. {@link #periodic} fsyncs at
 * most once per interval: a killed process still loses nothing (the data is in the page cache), a power cut
 * may lose the last interval.
 *
 * @param interval zero for every batch
 */
public record FsyncPolicy(Duration interval) {

    public static final FsyncPolicy EVERY_BATCH = new FsyncPolicy(Duration.ZERO);

    public FsyncPolicy {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("fsync interval must not be negative: " + interval);
        }
    }

    public static FsyncPolicy periodic(Duration interval) {
        return new FsyncPolicy(interval);
    }

    boolean everyBatch() {
        return interval.isZero();
    }
}
