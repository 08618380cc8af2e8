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
 *
 * <p>When full, the oldest waiting datagram makes room for the new one. Datagrams cannot be authenticated
 * before the worker decrypts them, so a burst of forged records ahead of a real one must not be able to
 * shut the real one out: what the peer sent last (a close_notify or alert is sent once, at the end) is kept,
 * while a handshake flight lost either way is retransmitted whole.
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

    /**
     * Queues a datagram, dropping the oldest waiting one when full.
     *
     * @return how many datagrams this call dropped, for the caller to count: 0, or 1 when the queue was full
     *     (the oldest one went) or closed (the offered one went)
     */
    int offer(byte[] datagram) {
        lock.lock();
        try {
            if (closed) {
                return 1;
            }
            int dropped = 0;
            if (queue.size() >= capacity) {
                queue.pollFirst();
                dropped = 1;
            }
            queue.addLast(datagram);
            changed.signal();
            return dropped;
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
