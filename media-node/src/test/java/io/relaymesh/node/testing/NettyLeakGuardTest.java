package io.relaymesh.node.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.ResourceLeakTracker;
import org.junit.jupiter.api.Test;

/**
 * The leak guard fails on a leak and costs nothing without one. The deliberate leaks here go to a recorder of
 * their own, not to the JVM-wide one, so they cannot fail the suite; the last test shows that the JVM-wide
 * recorder is the one Netty's allocators actually report to.
 */
class NettyLeakGuardTest {

    @Test
    void aBufferGarbageCollectedWithoutReleaseFailsTheCheckWithItsAccessRecords() {
        LeakRecorder recorder = new LeakRecorder();
        ResourceLeakDetector<ByteBuf> detector = recorder.newResourceLeakDetector(ByteBuf.class, 1);
        leakOneBuffer(detector);

        AssertionError failure = assertThrows(AssertionError.class,
                () -> recorder.assertNoLeaks(NettyLeakGuard.GC_ROUNDS, "the deliberate leak"));

        assertThat(failure.getMessage())
                .startsWith("1 Netty resource leak(s) reported during or before the deliberate leak")
                .contains("LEAK: ByteBuf.release() was not called")
                .contains("written by leakOneBuffer")
                .contains("leakOneBuffer"); // the access record's stack trace points at the leaking code
        assertThat(recorder.outstanding()).as("the leaked tracker is accounted for once reported").isZero();
        assertThat(recorder.check(NettyLeakGuard.GC_ROUNDS).leaks()).as("a leak is reported once").isEmpty();
    }

    @Test
    void releasedBuffersNeedNoGarbageCollectionToPass() {
        LeakRecorder recorder = new LeakRecorder();
        ResourceLeakDetector<ByteBuf> detector = recorder.newResourceLeakDetector(ByteBuf.class, 1);
        for (int i = 0; i < 100; i++) {
            ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4});
            ResourceLeakTracker<ByteBuf> tracker = detector.trackForcibly(buf);
            buf.readInt();
            tracker.close(buf);
            buf.release();
        }

        LeakRecorder.Check check = recorder.check(NettyLeakGuard.GC_ROUNDS);

        assertThat(check.leaks()).isEmpty();
        assertThat(check.gcRounds()).as("no tracker open, so no GC forced").isZero();
    }

    @Test
    void anUnreleasedButReachableBufferIsNotALeak() {
        LeakRecorder recorder = new LeakRecorder();
        ResourceLeakDetector<ByteBuf> detector = recorder.newResourceLeakDetector(ByteBuf.class, 1);
        ByteBuf kept = Unpooled.wrappedBuffer(new byte[] {1});
        ResourceLeakTracker<ByteBuf> tracker = detector.trackForcibly(kept);

        LeakRecorder.Check check = recorder.check(NettyLeakGuard.GC_ROUNDS);

        assertThat(check.leaks()).isEmpty();
        assertThat(check.gcRounds()).as("bounded").isEqualTo(NettyLeakGuard.GC_ROUNDS);
        tracker.close(kept);
        kept.release();
        assertThat(recorder.outstanding()).isZero();
    }

    @Test
    void nettysAllocatorsReportToTheGuard() {
        assertThat(ResourceLeakDetectorFactory.instance()).isSameAs(NettyLeakGuard.recorder());
        assertThat(NettyLeakGuard.recorder().watches(ByteBuf.class)).isTrue();
        ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(16);
        try {
            assertThat(buf.getClass().getSimpleName()).as("a buffer wrapped by the leak detector").contains("LeakAware");
        } finally {
            buf.release();
        }
    }

    /** Allocates, uses and drops a buffer without closing its tracker: what a missing release() looks like to Netty. */
    private static void leakOneBuffer(ResourceLeakDetector<ByteBuf> detector) {
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4});
        ResourceLeakTracker<ByteBuf> tracker = detector.trackForcibly(buf);
        tracker.record("written by leakOneBuffer");
        buf.readByte();
    }
}
