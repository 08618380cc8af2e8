package io.relaymesh.node.connector;

import io.relaymesh.node.protocol.ProtocolException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the queue to one destination on a thread of its own: reads from the destination's acknowledged
 * offset, delivers each event in order, retries a failed one with backoff before moving on (so events stay in
 * order), and stores the new offset after every batch and before every wait. A crash between delivery and
 * storing the offset redelivers a few events; their ids let consumers drop the duplicates.
 */
final class DeliveryWorker {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);
    private static final int BATCH = 256;

    private final SegmentLog log;
    private final AckFile ackFile;
    private final EventDestination destination;
    private final Backoff backoff;
    private final RandomGenerator random;
    private final Runnable onProgress;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile long acked;
    private long stored = -1;
    private Thread thread;

    DeliveryWorker(SegmentLog log, AckFile ackFile, EventDestination destination, Backoff backoff,
                   RandomGenerator random, Runnable onProgress) throws IOException {
        this.log = log;
        this.ackFile = ackFile;
        this.destination = destination;
        this.backoff = backoff;
        this.random = random;
        this.onProgress = onProgress;
        this.acked = ackFile.read();
        this.stored = acked;
    }

    void start() {
        thread = Thread.ofPlatform().daemon().name("relaymesh-deliver-" + destination.name()).start(this::run);
    }

    private void run() {
        long offset = acked;
        try {
            while (!stopping()) {
                SegmentLog.Batch batch = log.read(offset, BATCH);
                long first = batch.records().isEmpty() ? batch.next() : batch.records().getFirst().offset();
                if (first > offset) {
                    LOG.warn("{}: events {}..{} are no longer in the queue (deleted when it was full), skipping them",
                            destination.name(), offset, first - 1);
                }
                if (batch.records().isEmpty()) {
                    offset = batch.next();
                    store(offset);
                    log.awaitRecord(offset, 500, TimeUnit.MILLISECONDS);
                    continue;
                }
                for (SegmentLog.LogRecord record : batch.records()) {
                    QueuedEvent event;
                    try {
                        event = QueuedEvent.parse(ByteBuffer.wrap(record.payload()));
                    } catch (ProtocolException e) {
                        LOG.error("{}: skipping unreadable event at offset {}: {}", destination.name(),
                                record.offset(), e.getMessage());
                        offset = record.offset() + 1;
                        continue;
                    }
                    if (!deliver(event, record.offset())) {
                        return;
                    }
                    offset = record.offset() + 1;
                    acked = offset;
                    delivered.incrementAndGet();
                }
                offset = batch.next();
                store(offset);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.error("{}: event queue failed, delivery stopped: {}", destination.name(), e.toString());
        } finally {
            try {
                store(acked);
            } catch (IOException e) {
                LOG.warn("{}: storing the delivered offset: {}", destination.name(), e.toString());
            }
        }
    }

    /** Delivers one event, retrying until it succeeds; false when stopped first. */
    private boolean deliver(QueuedEvent event, long offset) throws IOException, InterruptedException {
        int failed = 0;
        while (!stopping()) {
            try {
                destination.deliver(event);
                if (failed > 0) {
                    LOG.info("{}: delivering again after {} failed attempts (event {}, offset {})",
                            destination.name(), failed, event.id(), offset);
                }
                return true;
            } catch (DeliveryException e) {
                failed++;
                failures.incrementAndGet();
                Duration wait = backoff.delay(failed, random);
                if (failed == 1) {
                    LOG.warn("{}: delivery failed, retrying with backoff: {}", destination.name(), e.getMessage());
                } else {
                    LOG.debug("{}: attempt {} failed, next in {} ms: {}", destination.name(), failed,
                            wait.toMillis(), e.getMessage());
                }
                store(offset);
                if (stop.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    return false;
                }
            }
        }
        return false;
    }

    private void store(long offset) throws IOException {
        if (offset != stored) {
            ackFile.write(offset);
            stored = offset;
            acked = offset;
            onProgress.run();
        }
    }

    private boolean stopping() {
        return stop.getCount() == 0;
    }

    /** First record this destination has not delivered. */
    long acked() {
        return acked;
    }

    long delivered() {
        return delivered.get();
    }

    long failures() {
        return failures.get();
    }

    String name() {
        return destination.name();
    }

    /**
     * Stops after the current attempt (not interrupted: an interrupt would close the file channel that stores
     * the offset); waits for the thread.
     */
    void stop(Duration wait) throws InterruptedException {
        stop.countDown();
        if (thread != null) {
            thread.join(wait.toMillis());
        }
        destination.close();
    }
}
