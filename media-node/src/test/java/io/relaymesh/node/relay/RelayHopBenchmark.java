package io.relaymesh.node.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtp.RtpHeaderWriter;
import io.relaymesh.node.rtp.RtpPacket;
import io.relaymesh.node.sfu.Ingest;
import io.relaymesh.node.sfu.SinkViewer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one relay hop costs: two media nodes in this JVM on loopback (the wiring of {@code RelayNodeTest}), an
 * ingest publishing H264 on node A, the relay carrying it to node B, and one viewer on B whose packets come back
 * to the benchmark thread through a bounded queue.
 * <ul>
 *   <li>{@link #oneHop} (sample time): one packet handed to A's ingest until B's viewer has it: the ingest
 *       hand-off to A's event loop, A's SFU and relay send (encrypt, UDP), B's relay receive (decrypt), B's SFU
 *       forwarding to the viewer, and waking the benchmark thread.</li>
 *   <li>{@link #burst} (throughput): {@value #BURST} packets sent at once, complete when all arrived at B;
 *       one op is one packet, so ops/s is the packets per second one relay link carries.</li>
 * </ul>
 * Both check that the viewer's sequence numbers are continuous, so a lost packet fails the run instead of
 * flattering it. Run with {@code -prof gc} for the bytes allocated per relayed packet. See docs/PERFORMANCE.md.
 */
@State(Scope.Thread)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
// The settings the node applies to itself at start (Main.packetPathDefaults); see ForwardingBenchmark.
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled", "-Dio.netty.noUnsafe=false"})
public class RelayHopBenchmark {

    static final int BURST = 100;

    private static final String ROOM = "bench";
    private static final int H264_PT = 96;
    private static final int VIEWER_PT = 102;
    private static final int VIEWER_SSRC = 0x100;
    private static final int PAYLOAD = 1200;
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private LoopbackMediaNode a;
    private LoopbackMediaNode b;
    private Ingest ingest;
    private AutoCloseable watching;
    private SinkViewer viewer;
    private Arrivals arrivals;
    private final RtpPacket view = new RtpPacket(); // used on B's event loop only
    private int seq;
    private int expectedViewerSeq;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        a = new LoopbackMediaNode(0);
        b = new LoopbackMediaNode(1, a.cluster.clusterAddress());
        LoopbackMediaNode.joined(a, b);
        ingest = a.publishH264(ROOM, H264_PT);
        watching = b.relay.watch(ROOM);
        arrivals = new Arrivals(4 * BURST);
        viewer = b.viewer(ROOM, VIEWER_PT, VIEWER_SSRC, this::onViewerPacket);
        a.awaitSubscriptionsOut(1);
        ingest.send(0, frame(++seq, true)); // the viewer starts on a keyframe
        expectedViewerSeq = arrivals.take(TIMEOUT_NANOS);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        RelayStats fromA = a.stats();
        RelayStats onB = b.stats();
        System.out.printf("%nrelay link A->B: %d packets out, %d in; dropped on B: %d%n",
                fromA.link("lo-1").packetsOut(), onB.link("lo-0").packetsIn(), onB.dropped());
        viewer.close().join();
        watching.close();
        b.close();
        a.close();
    }

    /** One packet through one relay hop, ingest to viewer. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int oneHop() {
        ingest.send(0, frame(++seq, false));
        return next();
    }

    /** {@value #BURST} packets sent at once, until the last arrived at the viewer. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BURST)
    public int burst() {
        for (int i = 0; i < BURST; i++) {
            ingest.send(0, frame(++seq, false));
        }
        int last = 0;
        for (int i = 0; i < BURST; i++) {
            last = next();
        }
        return last;
    }

    private int next() {
        int got = arrivals.take(TIMEOUT_NANOS);
        expectedViewerSeq = (expectedViewerSeq + 1) & 0xFFFF;
        if (got != expectedViewerSeq) {
            throw new IllegalStateException("viewer on B got sequence number " + got + ", expected "
                    + expectedViewerSeq + ": a packet was lost or reordered on the relay hop");
        }
        return got;
    }

    /** On B's event loop: hands the packet's (rewritten) sequence number to the benchmark thread. */
    private void onViewerPacket(ByteBuf packet) {
        try {
            RtpPacket rtp = view.wrap(packet);
            if (rtp.payloadType() == VIEWER_PT) {
                arrivals.offer(rtp.sequenceNumber());
            }
        } catch (ProtocolException e) {
            arrivals.offer(-1);
        } finally {
            packet.release();
        }
    }

    /** A one-packet H264 frame with a {@value #PAYLOAD}-byte payload: IDR (NAL 5) or not (NAL 1). */
    private static ByteBuf frame(int seq, boolean keyframe) {
        ByteBuf b = ByteBufAllocator.DEFAULT.directBuffer(12 + PAYLOAD);
        RtpHeaderWriter.writeHeader(b, H264_PT, true, seq & 0xFFFF, seq * 3000, 0x1234);
        b.writeByte(keyframe ? 0x65 : 0x41).writeZero(PAYLOAD - 1);
        return b;
    }

    /**
     * A bounded single-producer single-consumer queue of ints that allocates nothing: the producer (B's event
     * loop) never blocks (a full queue is reported to the consumer), the consumer spins briefly, then parks.
     */
    static final class Arrivals {

        private static final int SPINS = 2_000;

        private final int[] ring;
        private final int mask;
        private final AtomicLong written = new AtomicLong();
        private final AtomicLong read = new AtomicLong();
        private volatile Thread waiter;
        private volatile boolean overflowed;

        Arrivals(int minCapacity) {
            ring = new int[Integer.highestOneBit(minCapacity - 1) << 1];
            mask = ring.length - 1;
        }

        void offer(int value) {
            long w = written.get();
            if (w - read.get() == ring.length) {
                overflowed = true;
            } else {
                ring[(int) (w & mask)] = value;
                written.set(w + 1); // volatile: ordered before reading waiter, as the consumer's check is after
            }
            Thread t = waiter;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }

        int take(long timeoutNanos) {
            long r = read.get();
            long deadline = System.nanoTime() + timeoutNanos;
            int spins = 0;
            while (written.get() == r) {
                if (overflowed) {
                    throw new IllegalStateException("more than " + ring.length + " packets waiting");
                }
                if (spins < SPINS) {
                    spins++;
                    Thread.onSpinWait();
                    continue;
                }
                waiter = Thread.currentThread();
                if (written.get() == r) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        waiter = null;
                        throw new IllegalStateException("no packet at the viewer on B within "
                                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
                    }
                    LockSupport.parkNanos(this, left);
                }
                waiter = null;
            }
            int value = ring[(int) (r & mask)];
            read.set(r + 1);
            return value;
        }
    }
}
