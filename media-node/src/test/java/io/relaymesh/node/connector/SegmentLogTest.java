package io.relaymesh.node.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentLogTest {

    /** Small segments so a few hundred records span several files. */
    private static final LogSettings SMALL = new LogSettings(4096, 1 << 20, FsyncPolicy.EVERY_BATCH);

    @TempDir
    Path dir;

    private static byte[] record(int i) {
        return ("event-" + i + "-" + "x".repeat(i % 50)).getBytes(StandardCharsets.UTF_8);
    }

    private static List<byte[]> records(int from, int to) {
        return IntStream.range(from, to).mapToObj(SegmentLogTest::record).toList();
    }

    private static List<String> readAll(SegmentLog log, long from) throws IOException {
        List<String> out = new ArrayList<>();
        long offset = from;
        while (offset < log.endOffset()) {
            SegmentLog.Batch b = log.read(offset, 37);
            for (SegmentLog.LogRecord r : b.records()) {
                assertThat(r.offset()).isEqualTo(from + out.size());
                out.add(new String(r.payload(), StandardCharsets.UTF_8));
            }
            assertThat(b.next()).isGreaterThan(offset);
            offset = b.next();
        }
        return out;
    }

    private static List<String> strings(int from, int to) {
        return records(from, to).stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
    }

    @Test
    void recordsComeBackInOrderAcrossSegments() throws Exception {
        try (SegmentLog log = SegmentLog.open(dir, SMALL, System::nanoTime)) {
            assertThat(log.append(records(0, 100))).isEqualTo(100);
            assertThat(log.append(records(100, 300))).isEqualTo(300);
            assertThat(log.segmentCount()).isGreaterThan(3);
            assertThat(readAll(log, 0)).isEqualTo(strings(0, 300));
            assertThat(readAll(log, 131)).as("from the middle (sparse index)").isEqualTo(strings(131, 300));
            assertThat(log.read(300, 10).records()).isEmpty();
        }
    }

    @Test
    void reopeningKeepsOffsetsAndContinuesAfterThem() throws Exception {
        try (SegmentLog log = SegmentLog.open(dir, SMALL, System::nanoTime)) {
            log.append(records(0, 150));
        }
        try (SegmentLog log = SegmentLog.open(dir, SMALL, System::nanoTime)) {
            assertThat(log.startOffset()).isZero();
            assertThat(log.endOffset()).isEqualTo(150);
            log.append(records(150, 160));
            assertThat(readAll(log, 140)).isEqualTo(strings(140, 160));
        }
    }

    @Test
    void aTornWriteAtTheEndIsCutAndEverythingBeforeItKept() throws Exception {
        try (SegmentLog log = SegmentLog.open(dir, SMALL, System::nanoTime)) {
            log.append(records(0, 20));
        }
        Path last = segmentFiles().getLast();
        long goodSize = Files.size(last);
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            // a record header promising 100 bytes, followed by only 5: the process died mid-write
            ch.write(ByteBuffer.allocate(13).putInt(100).putInt(0).put(new byte[5]).flip());
        }
        try (SegmentLog log = SegmentLog.open(dir, SMALL, System::nanoTime)) {
            assertThat(Files.size(last)).isEqualTo(goodSize);
            log.append(records(20, 25));
            assertThat(readAll(log, 0)).isEqualTo(strings(0, 25));
        }
    }

    @Test
    void aCorruptRecordAtTheEndIsCutOnOpen() throws Exception {
        try (SegmentLog log = SegmentLog.open(dir, SMALL, System::nanoTime)) {
            log.append(records(0, 3));
        }
        Path last = segmentFiles().getLast();
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'#'}), Files.size(last) - 1); // flip the last payload byte
        }
        try (SegmentLog log = SegmentLog.open(dir, SMALL, System::nanoTime)) {
            assertThat(log.endOffset()).isEqualTo(2);
            assertThat(readAll(log, 0)).isEqualTo(strings(0, 2));
        }
    }

    @Test
    void aFullQueueDeletesItsOldestSegmentAndCountsTheEvents() throws Exception {
        LogSettings tiny = new LogSettings(4096, 3 * 4096, FsyncPolicy.EVERY_BATCH);
        try (SegmentLog log = SegmentLog.open(dir, tiny, System::nanoTime)) {
            log.append(records(0, 400));
            assertThat(log.sizeBytes()).isLessThanOrEqualTo(3 * 4096);
            assertThat(log.droppedForSpace()).isPositive();
            assertThat(log.startOffset()).isEqualTo(log.droppedForSpace());
            assertThat(log.endOffset()).isEqualTo(400);
            SegmentLog.Batch b = log.read(0, 5);
            assertThat(b.records().getFirst().offset()).as("a reader behind skips to the oldest kept")
                    .isEqualTo(log.startOffset());
            assertThat(readAll(log, log.startOffset())).isEqualTo(strings((int) log.startOffset(), 400));
        }
    }

    @Test
    void deliveredSegmentsAreDeletedButNeverTheOneBeingWritten() throws Exception {
        try (SegmentLog log = SegmentLog.open(dir, SMALL, System::nanoTime)) {
            log.append(records(0, 200));
            int before = segmentFiles().size();
            log.deleteBefore(120);
            assertThat(segmentFiles().size()).isLessThan(before);
            assertThat(log.startOffset()).isLessThanOrEqualTo(120);
            assertThat(readAll(log, 120)).isEqualTo(strings(120, 200));
            log.deleteBefore(200);
            assertThat(segmentFiles()).hasSize(1);
            assertThat(log.endOffset()).isEqualTo(200);
        }
        try (SegmentLog log = SegmentLog.open(dir, SMALL, System::nanoTime)) {
            assertThat(log.endOffset()).isEqualTo(200);
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefused() throws Exception {
        try (SegmentLog log = SegmentLog.open(dir, SMALL, System::nanoTime)) {
            assertThatThrownBy(() -> SegmentLog.open(dir, SMALL, System::nanoTime))
                    .isInstanceOf(IOException.class).hasMessageContaining("in use");
        }
    }

    @Test
    void aFileThatIsNotASegmentIsRefused() throws Exception {
        Files.write(dir.resolve("00000000000000000000.log"), "not a queue".getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("00000000000000000010.log"), SegmentLog.MAGIC);
        assertThatThrownBy(() -> SegmentLog.open(dir, SMALL, System::nanoTime))
                .isInstanceOf(IOException.class).hasMessageContaining("bad header");
    }

    @Test
    void emptyAndOversizedRecordsAreRefused() throws Exception {
        try (SegmentLog log = SegmentLog.open(dir, SMALL, System::nanoTime)) {
            assertThatThrownBy(() -> log.append(List.of(new byte[0]))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.append(List.of(new byte[4096]))).isInstanceOf(IllegalArgumentException.class);
            assertThat(log.endOffset()).isZero();
        }
    }

    @Test
    void periodicFsyncStillMakesRecordsReadableAndDurableOnClose() throws Exception {
        LogSettings periodic = new LogSettings(4096, 1 << 20, FsyncPolicy.periodic(java.time.Duration.ofHours(1)));
        try (SegmentLog log = SegmentLog.open(dir, periodic, System::nanoTime)) {
            log.append(records(0, 10));
            assertThat(readAll(log, 0)).isEqualTo(strings(0, 10));
        }
        try (SegmentLog log = SegmentLog.open(dir, periodic, System::nanoTime)) {
            assertThat(log.endOffset()).isEqualTo(10);
        }
    }
}
