package io.relaymesh.node.connector;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's durable queue: an append-only log of records split into segment files, each record
 * addressed by its offset (0, 1, 2, ... across segments and restarts). Sinks read from their own
 * acknowledged offset; segments every sink has passed are deleted.
 *
 * <p>Files in the directory: {@code <base offset, 20 digits>.log} segments and a {@code lock} file held while
 * open (one process per directory). A segment starts with the 8-byte magic {@code RMEQLOG1}, then records:
 * <pre>
 * +--------------------------------+--------------------------------+---------------------+
 * | payload length (u32, 1..2^20)  | CRC-32C of the payload (u32)   | payload ...         |
 * +--------------------------------+--------------------------------+---------------------+
 * </pre>
 * Recovery on open: the last segment is read through and cut at the first record that is incomplete or fails
 * its CRC (a write torn by a crash); everything before it is kept. Thread-safe: one lock guards the segment
 * list, appends and reads (events come at tens per second, not per packet).
 */
public final class SegmentLog implements AutoCloseable {

    static final byte[] MAGIC = {'R', 'M', 'E', 'Q', 'L', 'O', 'G', '1'};
    static final int SEGMENT_HEADER_BYTES = MAGIC.length;
    static final int RECORD_HEADER_BYTES = 8;
    static final int MAX_RECORD_BYTES = 1 << 20;
    /** A read position is remembered every this many records of a segment. */
    private static final int INDEX_EVERY = 64;
    private static final String SUFFIX = ".log";

    private static final Logger LOG = LoggerFactory.getLogger(SegmentLog.class);

    private final Path dir;
    private final LogSettings settings;
    private final LongSupplier nanoTime;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final List<Segment> segments = new ArrayList<>();
    private long totalBytes;
    private long droppedForSpace;
    private long droppedCorrupt;
    private long lastSyncNanos;
    private boolean unsynced;
    private boolean closed;

    /** A read: records from the requested offset, and the offset to read next. */
    public record Batch(List<LogRecord> records, long next) {
    }

    /** One record and its offset. */
    public record LogRecord(long offset, byte[] payload) {
    }

    private SegmentLog(Path dir, LogSettings settings, LongSupplier nanoTime, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.settings = settings;
        this.nanoTime = nanoTime;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.lastSyncNanos = nanoTime.getAsLong();
    }

    /** Opens (creating if needed) the log in {@code dir}, recovering from a crash. */
    public static SegmentLog open(Path dir, LogSettings settings, LongSupplier nanoTime) throws IOException {
        Files.createDirectories(dir);
        FileChannel lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("event queue " + dir + " is in use by another process (see its 'lock' file)");
        }
        SegmentLog log = new SegmentLog(dir, settings, nanoTime, lockChannel, lock);
        try {
            log.recover();
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
        return log;
    }

    private void recover() throws IOException {
        List<Long> bases = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (name.endsWith(SUFFIX) && name.length() == 20 + SUFFIX.length()) {
                    try {
                        bases.add(Long.parseLong(name.substring(0, 20)));
                    } catch (NumberFormatException e) {
                        LOG.warn("ignoring {} in the event queue: not a segment name", p);
                    }
                }
            }
        }
        bases.sort(Long::compare);
        for (int i = 0; i < bases.size(); i++) {
            long base = bases.get(i);
            Segment s = new Segment(base, segmentPath(base));
            s.size = Files.size(s.path);
            if (i + 1 < bases.size()) {
                s.count = bases.get(i + 1) - base;
                requireMagic(s);
            }
            segments.add(s);
            totalBytes += s.size;
        }
        if (segments.isEmpty()) {
            createSegment(0);
            return;
        }
        Segment last = segments.getLast();
        last.channel = FileChannel.open(last.path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (last.size < SEGMENT_HEADER_BYTES) {
            // Created but its header never reached the disk: start it again.
            totalBytes -= last.size;
            last.channel.truncate(0);
            last.channel.write(ByteBuffer.wrap(MAGIC), 0);
            last.channel.force(true);
            last.size = SEGMENT_HEADER_BYTES;
            totalBytes += last.size;
        } else {
            requireMagic(last);
        }
        long validEnd = last.scan(true);
        if (validEnd < last.size) {
            LOG.warn("event queue: cut {} bytes of a torn write at the end of {} (kept {} events in it)",
                    last.size - validEnd, last.path, last.count);
            last.channel.truncate(validEnd);
            last.channel.force(true);
            totalBytes -= last.size - validEnd;
            last.size = validEnd;
        }
        LOG.info("event queue {}: offsets {}..{} in {} segments, {} bytes", dir, startOffset(), endOffset(),
                segments.size(), totalBytes);
    }

    private void requireMagic(Segment s) throws IOException {
        byte[] head = new byte[SEGMENT_HEADER_BYTES];
        try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.wrap(head);
            while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
                // keep reading
            }
        }
        if (!Arrays.equals(head, MAGIC)) {
            throw new IOException(s.path + " is not an event queue segment (bad header)");
        }
    }

    /**
     * Appends {@code payloads} in order and, under the every-batch policy, forces them to disk before
     * returning: a record is durable once this returns.
     *
     * @return the offset after the last appended record
     */
    public synchronized long append(List<byte[]> payloads) throws IOException {
        requireOpen();
        for (byte[] p : payloads) {
            if (p.length == 0 || p.length > settings.maxRecordBytes()) {
                throw new IllegalArgumentException("event of " + p.length + " bytes: must be 1.."
                        + settings.maxRecordBytes());
            }
        }
        for (byte[] p : payloads) {
            int need = RECORD_HEADER_BYTES + p.length;
            Segment active = segments.getLast();
            if (active.size + need > settings.segmentBytes() && active.count > 0) {
                roll();
            }
            makeRoom(need);
            segments.getLast().append(p);
            totalBytes += need;
        }
        if (!payloads.isEmpty()) {
            unsynced = true;
            if (settings.fsync().everyBatch()) {
                sync();
            } else {
                syncIfDue();
            }
            notifyAll();
        }
        return endOffset();
    }

    /** Forces written records to disk when the periodic policy's interval has passed. */
    public synchronized void syncIfDue() throws IOException {
        if (unsynced && nanoTime.getAsLong() - lastSyncNanos >= settings.fsync().interval().toNanos()) {
            sync();
        }
    }

    private void sync() throws IOException {
        segments.getLast().channel.force(false);
        lastSyncNanos = nanoTime.getAsLong();
        unsynced = false;
    }

    private void roll() throws IOException {
        Segment old = segments.getLast();
        old.channel.force(false);
        createSegment(old.base + old.count);
    }

    private void createSegment(long base) throws IOException {
        Segment s = new Segment(base, segmentPath(base));
        s.channel = FileChannel.open(s.path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        s.channel.write(ByteBuffer.wrap(MAGIC), 0);
        s.channel.force(true);
        s.size = SEGMENT_HEADER_BYTES;
        s.indexBuilt = true;
        segments.add(s);
        totalBytes += s.size;
        syncDirectory();
    }

    private void syncDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /** Deletes the oldest segments, delivered or not, until {@code need} more bytes fit under the limit. */
    private void makeRoom(int need) throws IOException {
        while (totalBytes + need > settings.maxBytes() && segments.size() > 1) {
            Segment oldest = segments.removeFirst();
            droppedForSpace += oldest.count;
            totalBytes -= oldest.size;
            oldest.delete();
            LOG.warn("event queue {} is full ({} bytes): deleted the oldest segment, {} events (offsets {}..{}) "
                    + "that not every sink had delivered", dir, settings.maxBytes(), oldest.count, oldest.base,
                    oldest.base + oldest.count - 1);
        }
    }

    /**
     * Reads up to {@code max} records starting at {@code from} (or at the oldest record kept, when older ones
     * were deleted), all from one segment.
     */
    public synchronized Batch read(long from, int max) throws IOException {
        requireOpen();
        long offset = Math.max(from, startOffset());
        if (offset >= endOffset() || max <= 0) {
            return new Batch(List.of(), offset);
        }
        Segment s = segmentOf(offset);
        try {
            return s.read(offset, max);
        } catch (CorruptRecordException e) {
            long next = s == segments.getLast() ? endOffset() : s.base + s.count;
            droppedCorrupt += next - e.offset;
            LOG.error("event queue {}: {}; skipping {} events (offsets {}..{})", dir, e.getMessage(),
                    next - e.offset, e.offset, next - 1);
            return new Batch(e.before, next);
        }
    }

    /**
     * Every intact record in the segments of {@code dir}, read without taking the lock or repairing anything:
     * for inspecting a queue that a running process owns (each segment is read up to its first incomplete
     * record, which may be one being written).
     */
    public static List<LogRecord> inspect(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches("[0-9]{20}\\.log")).sorted().toList();
        }
        List<LogRecord> out = new ArrayList<>();
        for (Path file : files) {
            long offset = Long.parseLong(file.getFileName().toString().substring(0, 20));
            byte[] bytes = Files.readAllBytes(file);
            ByteBuffer b = ByteBuffer.wrap(bytes);
            if (bytes.length < SEGMENT_HEADER_BYTES || !Arrays.equals(Arrays.copyOf(bytes, SEGMENT_HEADER_BYTES), MAGIC)) {
                continue;
            }
            int position = SEGMENT_HEADER_BYTES;
            while (position + RECORD_HEADER_BYTES <= bytes.length) {
                int length = b.getInt(position);
                if (length <= 0 || length > bytes.length - position - RECORD_HEADER_BYTES) {
                    break;
                }
                byte[] payload = Arrays.copyOfRange(bytes, position + RECORD_HEADER_BYTES, position + RECORD_HEADER_BYTES + length);
                if (crc(payload) != b.getInt(position + 4)) {
                    break;
                }
                out.add(new LogRecord(offset++, payload));
                position += RECORD_HEADER_BYTES + length;
            }
        }
        return out;
    }

    /** Waits until a record at {@code offset} exists, the timeout passes, or the log closes. */
    public synchronized boolean awaitRecord(long offset, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!closed && endOffset() <= offset) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return endOffset() > offset;
    }

    /** Deletes whole segments whose records are all below {@code offset} (never the segment being written). */
    public synchronized void deleteBefore(long offset) throws IOException {
        while (segments.size() > 1 && segments.getFirst().base + segments.getFirst().count <= offset) {
            Segment s = segments.removeFirst();
            totalBytes -= s.size;
            s.delete();
        }
    }

    public synchronized long startOffset() {
        return segments.getFirst().base;
    }

    public synchronized long endOffset() {
        Segment last = segments.getLast();
        return last.base + last.count;
    }

    public synchronized long sizeBytes() {
        return totalBytes;
    }

    public synchronized int segmentCount() {
        return segments.size();
    }

    /** Events deleted undelivered because the queue reached its size limit. */
    public synchronized long droppedForSpace() {
        return droppedForSpace;
    }

    /** Events skipped because their bytes on disk were damaged. */
    public synchronized long droppedCorrupt() {
        return droppedCorrupt;
    }

    /** Largest record {@link #append} takes. */
    public int maxRecordBytes() {
        return settings.maxRecordBytes();
    }

    public Path directory() {
        return dir;
    }

    private Segment segmentOf(long offset) {
        for (int i = segments.size() - 1; i >= 0; i--) {
            if (segments.get(i).base <= offset) {
                return segments.get(i);
            }
        }
        throw new IllegalStateException("offset " + offset + " below the log start " + startOffset());
    }

    private Path segmentPath(long base) {
        return dir.resolve(String.format("%020d%s", base, SUFFIX));
    }

    private void requireOpen() throws IOException {
        if (closed) {
            throw new IOException("event queue " + dir + " is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Segment s : segments) {
            try {
                if (s.channel != null) {
                    if (s == segments.getLast() && unsynced) {
                        s.channel.force(false);
                    }
                    s.channel.close();
                }
            } catch (IOException e) {
                LOG.warn("closing {}: {}", s.path, e.toString());
            }
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.warn("releasing the event queue lock: {}", e.toString());
        }
        notifyAll();
    }

    /** A record failed its length or CRC check while being read. */
    private static final class CorruptRecordException extends IOException {
        final long offset;
        final List<LogRecord> before;

        CorruptRecordException(String message, long offset, List<LogRecord> before) {
            super(message);
            this.offset = offset;
            this.before = before;
        }
    }

    /** One segment file: its base offset, record count, size, and sparse read index. Guarded by the log. */
    private final class Segment {
        final long base;
        final Path path;
        FileChannel channel;
        long count;
        long size;
        /** index[i] = file position of record base + i * INDEX_EVERY, for the records that exist. */
        long[] index = new long[16];
        int indexed;
        boolean indexBuilt;

        Segment(long base, Path path) {
            this.base = base;
            this.path = path;
        }

        void indexAppend(long position) {
            if (indexed == index.length) {
                index = Arrays.copyOf(index, indexed * 2);
            }
            index[indexed++] = position;
        }

        void append(byte[] payload) throws IOException {
            if (count % INDEX_EVERY == 0) {
                indexAppend(size);
            }
            ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER_BYTES);
            header.putInt(payload.length).putInt(crc(payload)).flip();
            ByteBuffer body = ByteBuffer.wrap(payload);
            long position = size;
            while (header.hasRemaining()) {
                position += channel.write(header, position);
            }
            while (body.hasRemaining()) {
                position += channel.write(body, position);
            }
            size = position;
            count++;
        }

        FileChannel reader() throws IOException {
            if (channel == null) {
                channel = FileChannel.open(path, StandardOpenOption.READ);
            }
            return channel;
        }

        /**
         * Reads the records through, building the index; with {@code verify}, checks every CRC and counts the
         * records. Returns the end of the last good record.
         */
        long scan(boolean verify) throws IOException {
            FileChannel ch = reader();
            indexed = 0;
            long position = SEGMENT_HEADER_BYTES;
            long n = 0;
            ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER_BYTES);
            while (verify || n < count) {
                if (position + RECORD_HEADER_BYTES > size) {
                    break;
                }
                header.clear();
                readFully(ch, header, position);
                int length = header.getInt(0);
                if (length <= 0 || length > MAX_RECORD_BYTES || position + RECORD_HEADER_BYTES + length > size) {
                    break;
                }
                if (verify) {
                    ByteBuffer body = ByteBuffer.allocate(length);
                    readFully(ch, body, position + RECORD_HEADER_BYTES);
                    if (crc(body.array()) != header.getInt(4)) {
                        break;
                    }
                }
                if (n % INDEX_EVERY == 0) {
                    indexAppend(position);
                }
                position += RECORD_HEADER_BYTES + length;
                n++;
            }
            if (verify) {
                count = n;
            }
            indexBuilt = true;
            return position;
        }

        Batch read(long from, int max) throws IOException {
            if (!indexBuilt) {
                scan(false);
            }
            FileChannel ch = reader();
            long relative = from - base;
            long position = index[(int) (relative / INDEX_EVERY)];
            long offset = base + relative / INDEX_EVERY * INDEX_EVERY;
            ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER_BYTES);
            List<LogRecord> out = new ArrayList<>(Math.min(max, 64));
            long end = base + count;
            while (offset < end && out.size() < max) {
                header.clear();
                if (position + RECORD_HEADER_BYTES > size) {
                    throw new CorruptRecordException("record " + offset + " in " + path + " is missing", offset, out);
                }
                readFully(ch, header, position);
                int length = header.getInt(0);
                if (length <= 0 || length > MAX_RECORD_BYTES || position + RECORD_HEADER_BYTES + length > size) {
                    throw new CorruptRecordException("record " + offset + " in " + path + " has a bad length "
                            + length, offset, out);
                }
                if (offset >= from) {
                    byte[] payload = new byte[length];
                    readFully(ch, ByteBuffer.wrap(payload), position + RECORD_HEADER_BYTES);
                    if (crc(payload) != header.getInt(4)) {
                        throw new CorruptRecordException("record " + offset + " in " + path + " fails its CRC",
                                offset, out);
                    }
                    out.add(new LogRecord(offset, payload));
                }
                position += RECORD_HEADER_BYTES + length;
                offset++;
            }
            return new Batch(out, offset);
        }

        void delete() throws IOException {
            if (channel != null) {
                channel.close();
                channel = null;
            }
            Files.deleteIfExists(path);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer into, long position) throws IOException {
        long p = position;
        while (into.hasRemaining()) {
            int n = ch.read(into, p);
            if (n < 0) {
                throw new IOException("unexpected end of file at " + p);
            }
            p += n;
        }
    }

    static int crc(byte[] bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes, 0, bytes.length);
        return (int) c.getValue();
    }
}
