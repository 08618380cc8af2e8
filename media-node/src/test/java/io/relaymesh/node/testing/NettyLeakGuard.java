package io.relaymesh.node.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reports a resource leak during it: Netty's leak detector only logs. Registered
 * for every test of the module through {@code META-INF/services/org.junit.jupiter.api.extension.Extension}
 * and {@code junit.jupiter.extensions.autodetection.enabled=true} in {@code junit-platform.properties}.
 *
 * <p>Checked once per test class, not per test: a check forces garbage collection only while tracked buffers
 * are still unreleased, and then at most {@link #GC_ROUNDS} times. A leak is reported in the class during
 * which the garbage collector found it, which is usually, not always, the class that leaked it.
 *
 * <p>The recorder is process-wide because Netty's detector factory is: {@code AbstractByteBuf} takes its
 * detector from the factory once, when the class is initialized, so the factory must be installed before the
 * first buffer of the JVM is allocated. JUnit instantiates auto-detected extensions before it runs any test,
 * and {@link #beforeAll} checks that this was early enough.
 */
public final class NettyLeakGuard implements BeforeAllCallback, AfterAllCallback {

    /** Garbage collections one check may force (each one costs a full GC of the test JVM). */
    static final int GC_ROUNDS = 2;

    private static final LeakRecorder RECORDER = install();

    private static LeakRecorder install() {
        LeakRecorder recorder = new LeakRecorder();
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(recorder);
        return recorder;
    }

    /** The recorder Netty reports to in this JVM. */
    public static LeakRecorder recorder() {
        return RECORDER;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Unpooled.buffer(1).release(); // initializes AbstractByteBuf, which asks the factory for its detector
        if (!RECORDER.watches(ByteBuf.class)) {
            throw new ExtensionConfigurationException("Netty's ByteBuf leak detector was created before "
                    + NettyLeakGuard.class.getSimpleName() + " installed its factory: leaks would go unnoticed");
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        RECORDER.assertNoLeaks(GC_ROUNDS, context.getDisplayName());
    }
}
