package io.relaymesh.node.testing;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.ResourceLeakTracker;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Netty {@link ResourceLeakDetectorFactory} whose detectors keep every leak report (besides logging it, as
 * Netty does), so a test can fail on a leak instead of leaving a line in a log nobody reads.
 *
 * <p>Netty notices a leak only when the garbage collector has cleared an unreleased buffer and some later
 * allocation polls the detector's reference queue. {@link #check(int)} makes both happen, but only when it
 * has to: the detectors count trackers that are still open, and with none open nothing can have leaked since
 * the last check, so the check costs no garbage collection at all.
 */
public final class LeakRecorder extends ResourceLeakDetectorFactory {

    /** How long one round waits for the reference handler to enqueue what a GC cleared. */
    private static final Duration ENQUEUE_WAIT = Duration.ofMillis(200);

    private final Queue<String> reports = new ConcurrentLinkedQueue<>();
    private final List<RecordingDetector<?>> detectors = new CopyOnWriteArrayList<>();

    /** What one check found, and how many garbage collections it forced to find it. */
    public record Check(List<String> leaks, int gcRounds) {
        public Check {
            leaks = List.copyOf(leaks);
        }
    }

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
        return newResourceLeakDetector(resource, samplingInterval);
    }

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
        RecordingDetector<T> detector = new RecordingDetector<>(resource, samplingInterval, reports);
        detectors.add(detector);
        return detector;
    }

    /** True once Netty asked this factory for a detector of {@code resource} (e.g. {@code ByteBuf}). */
    public boolean watches(Class<?> resource) {
        return detectors.stream().anyMatch(d -> d.resource == resource);
    }

    /** Trackers handed out and not yet closed, over every detector. */
    public long outstanding() {
        long sum = 0;
        for (RecordingDetector<?> d : detectors) {
            sum += d.opened.sum() - d.closed.sum() - d.reported.sum();
        }
        return sum;
    }

    /**
     * Returns (and forgets) the leaks reported since the last check. When trackers are still open, first runs
     * up to {@code maxGcRounds} garbage collections, each followed by a poll of every detector, stopping early
     * once a leak is reported or no tracker is open any more.
     */
    public Check check(int maxGcRounds) {
        int rounds = 0;
        while (rounds < maxGcRounds && reports.isEmpty() && outstanding() > 0) {
            rounds++;
            collectGarbage();
            for (RecordingDetector<?> d : detectors) {
                d.poll();
            }
        }
        List<String> found = new ArrayList<>();
        for (String r; (r = reports.poll()) != null; ) {
            found.add(r);
        }
        return new Check(found, rounds);
    }

    /** Throws an {@link AssertionError} listing every leak {@link #check(int)} finds. */
    public void assertNoLeaks(int maxGcRounds, String where) {
        Check check = check(maxGcRounds);
        if (!check.leaks().isEmpty()) {
            throw new AssertionError(check.leaks().size() + " Netty resource leak(s) reported during or before "
                    + where + " (a buffer was garbage collected without release()):\n\n"
                    + String.join("\n\n", check.leaks()));
        }
    }

    /** A System.gc() and a bounded wait until the reference handler has enqueued what it cleared. */
    private static void collectGarbage() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
        System.gc();
        try {
            queue.remove(ENQUEUE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sentinel.clear();
    }

    /** Netty's detector, reporting into the recorder and counting open trackers. */
    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        private final Class<T> resource;
        private final Queue<String> reports;
        private final LongAdder opened = new LongAdder();
        private final LongAdder closed = new LongAdder();
        private final LongAdder reported = new LongAdder();
        /** Something to track and close at once: tracking is what makes Netty poll its reference queue. */
        private final Object probe = new Object();

        RecordingDetector(Class<T> resource, int samplingInterval, Queue<String> reports) {
            super(resource, samplingInterval);
            this.resource = resource;
            this.reports = reports;
        }

        @Override
        public ResourceLeakTracker<T> track(T obj) {
            return counted(super.track(obj));
        }

        @Override
        public ResourceLeakTracker<T> trackForcibly(T obj) {
            return counted(super.trackForcibly(obj));
        }

        @SuppressWarnings("unchecked")
        void poll() {
            T self = (T) probe; // never dereferenced as a T: the detector only keeps a weak reference to it
            ResourceLeakTracker<T> t = super.trackForcibly(self);
            if (t != null) {
                t.close(self);
            }
        }

        private ResourceLeakTracker<T> counted(ResourceLeakTracker<T> tracker) {
            if (tracker == null) {
                return null;
            }
            opened.increment();
            return new CountingTracker<>(tracker, closed);
        }

        /** Reports even when Netty's own logger for leaks is switched off. */
        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            reported.increment();
            reports.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected."
                    + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            reported.increment();
            reports.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected"
                    + " (no access records: run with -Dio.netty.leakDetection.level=paranoid to see where)");
            super.reportUntracedLeak(resourceType);
        }
    }

    /** Counts closes; holds no reference to the tracked object, so it cannot keep a leak alive. */
    private record CountingTracker<T>(ResourceLeakTracker<T> delegate, LongAdder closed) implements ResourceLeakTracker<T> {
        @Override
        public void record() {
            delegate.record();
        }

        @Override
        public void record(Object hint) {
            delegate.record(hint);
        }

        @Override
        public boolean close(T trackedObject) {
            boolean first = delegate.close(trackedObject);
            if (first) {
                closed.increment();
            }
            return first;
        }

        @Override
        public Throwable getCloseStackTraceIfAny() {
            return delegate.getCloseStackTraceIfAny();
        }
    }
}
