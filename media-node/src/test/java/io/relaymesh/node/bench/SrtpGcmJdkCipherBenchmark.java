package io.relaymesh.node.bench;

import java.security.GeneralSecurityException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The alternative {@code AesGcm} was measured against: SRTP AEAD_AES_128_GCM on the JDK's {@code AES/GCM/NoPadding}
 * cipher, re-initialised with a new {@link GCMParameterSpec} for every packet (GCM forbids reusing an IV, so a
 * per-packet {@code init} is unavoidable with that API).
 *
 * <p>Same packet as {@link SrtpBenchmark} (12-byte header as AAD, 1200-byte payload), processed in place in a heap
 * array, with the same 1.2 KB copy-in per operation. It leaves out the session bookkeeping (header parsing, SSRC
 * table, replay window: tens of nanoseconds), so it flatters the JDK variant slightly.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class SrtpGcmJdkCipherBenchmark {

    private static final int HEADER = 12;
    private static final int TAG = 16;
    private static final int PACKETS = 256;

    private SecretKey key;
    private byte[] salt;
    private Cipher cipher;
    private byte[] plain;
    private byte[][] wire;
    private final byte[] work = new byte[2048];
    private long index;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
        SplittableRandom random = new SplittableRandom(1);
        byte[] raw = new byte[16];
        random.nextBytes(raw);
        key = new SecretKeySpec(raw, "AES");
        salt = new byte[12];
        random.nextBytes(salt);
        cipher = Cipher.getInstance("AES/GCM/NoPadding");
        plain = SrtpBenchmark.rtpPacket(0);
        wire = new byte[PACKETS][];
        for (int i = 0; i < PACKETS; i++) {
            byte[] p = java.util.Arrays.copyOf(SrtpBenchmark.rtpPacket(i), plain.length + TAG);
            seal(p, i);
            wire[i] = p;
        }
        index = PACKETS;
    }

    @Benchmark
    public int protect() throws GeneralSecurityException {
        System.arraycopy(plain, 0, work, 0, plain.length);
        return seal(work, index++);
    }

    @Benchmark
    public int unprotect() throws GeneralSecurityException {
        if (next == PACKETS) {
            next = 0;
        }
        byte[] p = wire[next];
        System.arraycopy(p, 0, work, 0, p.length);
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, iv(next)));
        next++;
        cipher.updateAAD(work, 0, HEADER);
        return cipher.doFinal(work, HEADER, p.length - HEADER, work, HEADER);
    }

    private int seal(byte[] p, long packetIndex) throws GeneralSecurityException {
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv(packetIndex)));
        cipher.updateAAD(p, 0, HEADER);
        return cipher.doFinal(p, HEADER, plain.length - HEADER, p, HEADER);
    }

    /** RFC 7714 section 8.1: (00 00 | SSRC | ROC | SEQ) XOR salt; the SSRC is fixed, so it is left out here. */
    private byte[] iv(long packetIndex) {
        byte[] iv = salt.clone();
        for (int i = 0; i < 6; i++) {
            iv[6 + i] ^= (byte) (packetIndex >>> (40 - 8 * i));
        }
        return iv;
    }
}
