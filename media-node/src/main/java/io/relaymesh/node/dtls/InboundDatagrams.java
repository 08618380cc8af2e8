package io.relaymesh.node.dtls;

import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded hand-off from the event loop (producer, never blocks) to the endpoint's worker thread
 * (consumer, blocks with a timeout). Closing wakes the consumer at once, which is how an endpoint stops its
 * thread without interrupting it.
 */
final class InboundDatagrams {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<byte[]> queue;
    private final int capacity;
    private boolean closed;

    InboundDatagrams(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.queue = new ArrayDeque<>(capacity);
    }

    /** Queues a datagram; {@code false} when full or closed (the caller counts the drop). */
    boolean offer(byte[] datagram) {
        lock.lock();
        try {
            if (closed || queue.size() >= capacity) {
                return false;
            }
            queue.addLast(datagram);
            changed.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the next datagram, waiting up to {@code waitMillis} ({@code 0} waits until one arrives or the queue
     * closes).
     *
     * @return the datagram, or {@code null} when the wait ran out
     * @throws InterruptedIOException when the queue is closed or the thread was interrupted
     */
    byte[] poll(long waitMillis) throws InterruptedIOException {
        long remaining = TimeUnit.MILLISECONDS.toNanos(waitMillis);
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new InterruptedIOException("DTLS endpoint closed");
                }
                byte[] next = queue.pollFirst();
                if (next != null) {
                    return next;
                }
                if (waitMillis <= 0) {
                    changed.await();
                } else {
                    if (remaining <= 0) {
                        return null;
                    }
                    remaining = changed.awaitNanos(remaining);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a DTLS datagram");
        } finally {
            lock.unlock();
        }
    }

    /** Drops everything queued and wakes the consumer; later offers are refused. Idempotent. */
    void close() {
        lock.lock();
        try {
            closed = true;
            queue.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }
}
