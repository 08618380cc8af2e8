package io.relaymesh.node.connector;

/**
 * Shape of the durable queue on disk.
 *
 * @param segmentBytes a segment file is closed and a new one started once it would grow past this
 * @param maxBytes     the queue never holds more than this on disk; when an append would exceed it the
 *                     oldest segment is deleted, delivered or not (see docs/EVENTS.md, "When the disk is full")
 * @param fsync        when writes are forced to disk
 */
public record LogSettings(long segmentBytes, long maxBytes, FsyncPolicy fsync) {

    /** 16 MiB segments, at most 1 GiB, fsync before acknowledging. */
    public static final LogSettings DEFAULTS = new LogSettings(16L << 20, 1L << 30, FsyncPolicy.EVERY_BATCH);

    /** Smallest segment: a header and one largest event. */
    static final long MIN_SEGMENT_BYTES = 4096;

    public LogSettings {
        if (segmentBytes < MIN_SEGMENT_BYTES) {
            throw new IllegalArgumentException("segment size must be at least " + MIN_SEGMENT_BYTES + " bytes, got " + segmentBytes);
        }
        if (maxBytes < 2 * segmentBytes) {
            throw new IllegalArgumentException("queue size limit " + maxBytes + " must be at least two segments ("
                    + 2 * segmentBytes + " bytes)");
        }
        if (fsync == null) {
            throw new IllegalArgumentException("fsync policy missing");
        }
    }

    /** Largest record payload one segment can hold. */
    int maxRecordBytes() {
        return (int) Math.min(SegmentLog.MAX_RECORD_BYTES, segmentBytes - SegmentLog.SEGMENT_HEADER_BYTES - SegmentLog.RECORD_HEADER_BYTES);
    }
}
