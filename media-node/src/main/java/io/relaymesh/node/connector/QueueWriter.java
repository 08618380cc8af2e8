package io.relaymesh.node.connector;

import io.relaymesh.node.events.Event;
import io.relaymesh.node.events.EventSink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emitter's side of the connector: {@link #accept} only offers the event to a bounded in-memory queue
 * (never blocks the media event loop); a writer thread serializes events and appends them to the durable log
 * in batches, one fsync per batch. An event is acknowledged (safe from a crash) once its batch is appended.
 */
final class QueueWriter implements EventSink {

    private static final Logger LOG = LoggerFactory.getLogger(QueueWriter.class);
    private static final int BATCH = 1024;
    private static final long RETRY_MILLIS = 1000;

    private final SegmentLog log;
    private final ArrayBlockingQueue<Event> pending;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private volatile boolean closing;
    private Thread thread;

    QueueWriter(SegmentLog log, int capacity) {
        this.log = log;
        this.pending = new ArrayBlockingQueue<>(capacity);
    }

    void start() {
        thread = Thread.ofPlatform().daemon().name("relaymesh-event-queue").start(this::run);
    }

    @Override
    public void accept(Event event) {
        if (closing || !pending.offer(event)) {
            long n = dropped.incrementAndGet();
            if (Long.bitCount(n) == 1) { // 1, 2, 4, 8, ...: a full queue does not flood the log
                LOG.warn("event queue: dropped {} events so far ({}): {}", n,
                        closing ? "connector stopped" : "writer behind", event.type());
            }
        }
    }

    private void run() {
        List<Event> batch = new ArrayList<>(BATCH);
        List<byte[]> records = new ArrayList<>(BATCH);
        while (!(closing && pending.isEmpty())) {
            try {
                Event first = pending.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    log.syncIfDue();
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch, BATCH - 1);
                for (Event e : batch) {
                    byte[] record = new QueuedEvent(e.id(), e.toJsonBytes()).encode();
                    if (record.length > log.maxRecordBytes()) {
                        dropped.incrementAndGet();
                        LOG.error("event queue: dropped {} event {} of {} bytes (limit {})", e.type(), e.id(),
                                record.length, log.maxRecordBytes());
                        continue;
                    }
                    records.add(record);
                }
                appendUntilDone(records);
                written.addAndGet(records.size());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException e) {
                LOG.error("event queue: {}", e.toString());
            } finally {
                batch.clear();
                records.clear();
            }
        }
    }

    /** A full or failing disk must not lose the batch in hand: retry it until it is written or we stop. */
    private void appendUntilDone(List<byte[]> records) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                log.append(records);
                return;
            } catch (IOException e) {
                if (attempt == 1) {
                    LOG.error("event queue: cannot append {} events, retrying every {} ms: {}", records.size(),
                            RETRY_MILLIS, e.toString());
                }
                if (closing && attempt > 3) {
                    dropped.addAndGet(records.size());
                    LOG.error("event queue: giving up on {} events at shutdown", records.size());
                    return;
                }
                Thread.sleep(RETRY_MILLIS);
            }
        }
    }

    long dropped() {
        return dropped.get();
    }

    long written() {
        return written.get();
    }

    int pending() {
        return pending.size();
    }

    /** Refuses new events, writes the ones already accepted, and waits for the writer thread. */
    void close() throws InterruptedException {
        closing = true;
        if (thread != null) {
            thread.join(10_000);
        }
    }
}
