package io.relaymesh.node.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.relaymesh.node.bwe.BweConfig;
import io.relaymesh.node.srtp.SrtpProfile;
import io.relaymesh.node.srtp.SrtpSession;
import io.relaymesh.node.srtp.SrtpStatus;
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
 * {@link PeerConnection#sendRtp}'s work per packet with transport-cc: copy a 1200-byte packet into a pooled direct
 * buffer (as DownTrack does), stamp the transport-wide sequence number, SRTP-protect, record it for the estimator
 * (history ring, send-rate meter, probe controller), release instead of writing to the socket. {@code layout}:
 * {@code hole} is a forwarded packet whose publisher element the SFU zeroed (filled in place), {@code none} an
 * ingested packet without extensions (a block is inserted and the payload moves). Every 50 packets a probe
 * decision is asked for, as the SFU's padding timer would. Run with {@code -prof gc}: the steady state must
 * allocate 0 B/op. See docs/PERFORMANCE.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled", "-Dio.netty.noUnsafe=false"})
public class StampedSendBenchmark {

    private static final int PAYLOAD = 1200;
    private static final int TCC_ID = 3;

    @Param({"hole", "none"})
    public String layout;

    /** false isolates what transport-cc adds: the same work without SRTP. */
    @Param({"true", "false"})
    public boolean protect;

    private ByteBufAllocator alloc;
    private SrtpSession srtp;
    private SendSideBandwidth sendSide;
    private ByteBuf template;
    private long now;
    private long packets;
    private long failures;

    @Setup(Level.Trial)
    public void setUp() {
        alloc = ByteBufAllocator.DEFAULT;
        SrtpProfile profile = SrtpProfile.AEAD_AES_128_GCM;
        srtp = new SrtpSession(profile, new byte[profile.keyLength()], new byte[profile.saltLength()]);
        sendSide = new SendSideBandwidth(TCC_ID, BweConfig.DEFAULT, new TransportSequenceStamper());
        template = alloc.directBuffer(64 + PAYLOAD);
        template.writeByte(layout.equals("hole") ? 0x90 : 0x80).writeByte(96).writeShort(1).writeInt(2).writeInt(3);
        if (layout.equals("hole")) {
            // mid (id 1, one byte), the zeroed publisher transport-cc element, one padding byte: 2 words
            template.writeShort(0xBEDE).writeShort(2).writeByte(0x10).writeByte('v').writeZero(6);
        }
        template.writeZero(PAYLOAD);
    }

    @Benchmark
    public long send() {
        now += 1_000_000L;
        ByteBuf out = alloc.directBuffer(template.readableBytes() + PeerConnection.SRTP_TAIL_ROOM);
        out.writeBytes(template, template.readerIndex(), template.readableBytes());
        out.setShort(out.readerIndex() + 2, (int) packets); // RTP sequence number: SRTP's index moves on
        int seq = sendSide.stamp(out);
        if ((protect && srtp.protectRtp(out) != SrtpStatus.OK) || seq < 0) {
            failures++;
        }
        sendSide.onSent(seq, out.readableBytes(), now);
        if (++packets % 50 == 0) {
            sendSide.paddingWantedBytes(now);
        }
        out.release();
        return seq;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        template.release();
        if (failures != 0 || packets == 0) {
            throw new IllegalStateException(packets + " sent, " + failures + " failed to stamp or protect");
        }
    }
}
