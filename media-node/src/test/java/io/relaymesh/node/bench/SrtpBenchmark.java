package io.relaymesh.node.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.srtp.SrtpKeys;
import io.relaymesh.node.srtp.SrtpProfile;
import io.relaymesh.node.srtp.SrtpSession;
import io.relaymesh.node.srtp.SrtpStatus;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SRTP protect and unprotect of one RTP packet with a 1200-byte payload, per profile and buffer kind.
 *
 * <p>Each operation first copies the packet into the reusable buffer (about 1.2 KB of memcpy, the same for both
 * operations), as a forwarding loop would receive it. Unprotect cycles through {@value #PACKETS} packets protected
 * in setup with consecutive sequence numbers, and forgets the SSRC at the end of each cycle so the replay window
 * accepts them again; removing an SSRC recycles its state without allocating. Run with {@code -prof gc} to see that
 * neither operation allocates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class SrtpBenchmark {

    static final int PAYLOAD = 1200;
    static final int PACKETS = 256;
    static final int SSRC = 0x0BADCAFE;

    @Param({"AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM"})
    public SrtpProfile profile;

    @Param({"heap", "direct"})
    public String buffer;

    private SrtpSession sender;
    private SrtpSession receiver;
    private ByteBuf work;
    private byte[] plain;
    private byte[][] wire;
    private int next;
    private int seq;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] material = new byte[profile.keyingMaterialLength()];
        new SplittableRandom(1).nextBytes(material);
        SrtpKeys keys = SrtpKeys.fromKeyingMaterial(profile, material);
        sender = keys.clientWriteSession();
        receiver = keys.clientWriteSession();
        SrtpSession wireSender = keys.clientWriteSession();

        plain = rtpPacket(0);
        work = "heap".equals(buffer) ? Unpooled.buffer(2048) : Unpooled.directBuffer(2048);
        wire = new byte[PACKETS][];
        for (int i = 0; i < PACKETS; i++) {
            work.clear().writeBytes(rtpPacket(i));
            check(wireSender.protectRtp(work));
            wire[i] = new byte[work.readableBytes()];
            work.getBytes(work.readerIndex(), wire[i]);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        work.release();
    }

    @Benchmark
    public SrtpStatus protect() {
        work.clear().writeBytes(plain);
        work.setShort(2, seq++);
        return check(sender.protectRtp(work));
    }

    @Benchmark
    public SrtpStatus unprotect() {
        if (next == PACKETS) {
            next = 0;
            receiver.removeSsrc(SSRC);
        }
        work.clear().writeBytes(wire[next++]);
        return check(receiver.unprotectRtp(work));
    }

    static byte[] rtpPacket(int seq) {
        byte[] p = new byte[12 + PAYLOAD];
        p[0] = (byte) 0x80;
        p[1] = 96;
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        p[8] = (byte) (SSRC >>> 24);
        p[9] = (byte) (SSRC >>> 16);
        p[10] = (byte) (SSRC >>> 8);
        p[11] = (byte) SSRC;
        for (int i = 12; i < p.length; i++) {
            p[i] = (byte) i;
        }
        return p;
    }

    private static SrtpStatus check(SrtpStatus status) {
        if (status != SrtpStatus.OK) {
            throw new IllegalStateException("benchmark packet not processed: " + status);
        }
        return status;
    }
}
