package io.relaymesh.node.sfu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtp.RtpPacket;
import io.relaymesh.node.srtp.SrtpProfile;
import io.relaymesh.node.srtp.SrtpSession;
import io.relaymesh.node.srtp.SrtpStatus;
import java.util.List;
import java.util.Map;
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
 * The per-packet forwarding step: one publisher packet (1200-byte VP8 payload, three header extensions)
 * through {@link PublishedTrack#onRtp} to N viewers, each copying it into a pooled direct buffer, rewriting
 * SSRC, payload type, sequence number, timestamp and extension ids, and SRTP-protecting it with its own
 * session. The socket write is replaced by releasing the buffer. Run with {@code -prof gc}: the steady state
 * must allocate 0 B/op. See docs/PERFORMANCE.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// The settings the node itself applies at start (Main.packetPathDefaults): no leak sampling (it records a stack
// trace for 1 buffer in 128), and Netty's Unsafe copies, which Netty 4.2 leaves off on JDK 25+ (without them,
// Netty's getBytes from a direct buffer into an array allocates a ByteBuffer duplicate per call).
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled", "-Dio.netty.noUnsafe=false"})
public class ForwardingBenchmark {

    private static final int PUB_PT = 96;
    private static final int PUB_SSRC = 0x0BADCAFE;
    private static final int VIEWER_PT = 100;
    private static final int PAYLOAD = 1200;
    private static final long PACKET_INTERVAL_NANOS = 1_000_000L;

    @Param({"1", "10"})
    public int viewers;

    @Param({"AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM"})
    public SrtpProfile profile;

    private ByteBufAllocator alloc;
    private PublishedTrack track;
    private ProtectAndRelease[] sinks;
    private ByteBuf in;
    private final RtpPacket view = new RtpPacket();
    private int seq;
    private int ts;
    private long now;

    @Setup(Level.Trial)
    public void setUp() throws ProtocolException {
        alloc = ByteBufAllocator.DEFAULT; // what the transport's channels use
        SplittableRandom random = new SplittableRandom(7);
        MediaSpec publisherMedia = new MediaSpec("0", MediaKind.VIDEO,
                List.of(new CodecSpec(PUB_PT, MediaCodec.VP8, 90_000, 97)), RtpFixtures.PUBLISHER_EXTENSIONS,
                true, true, false);
        MediaSpec viewerMedia = new MediaSpec("0", MediaKind.VIDEO,
                List.of(new CodecSpec(VIEWER_PT, MediaCodec.VP8, 90_000, 101)),
                Map.of(RtpFixtures.MID, 1, RtpFixtures.ABS_SEND_TIME, 5), true, true, false);
        Publisher publisher = new Publisher(null, "pub", new Room("bench", SfuListener.NONE), "peer", List.of(publisherMedia), 1);
        track = new PublishedTrack("pub:0", publisher, publisherMedia, publisherMedia.codecs().getFirst(), PUB_SSRC,
                1);
        sinks = new ProtectAndRelease[viewers];
        for (int i = 0; i < viewers; i++) {
            byte[] key = new byte[profile.keyLength()];
            byte[] salt = new byte[profile.saltLength()];
            random.nextBytes(key);
            random.nextBytes(salt);
            sinks[i] = new ProtectAndRelease(new SrtpSession(profile, key, salt));
            new DownTrack(sinks[i], viewerMedia, 0x7000_0000 + i, 0x7100_0000 + i, random.nextInt(1 << 16),
                    random.nextInt(), alloc).switchTo(track, 0);
        }
        seq = random.nextInt(1 << 16);
        ts = random.nextInt();
        in = RtpFixtures.vp8(alloc, PUB_PT, seq, ts, PUB_SSRC, true, true, PAYLOAD);
        forward(); // the keyframe every viewer starts at
        in.setByte(in.readerIndex() + RtpFixtures.EXTENSION_BLOCK + RtpPacket.FIXED_HEADER_LENGTH + 4, 0x11);
    }

    @Benchmark
    public int forward() throws ProtocolException {
        seq = (seq + 1) & 0xFFFF;
        ts += 3000;
        now += PACKET_INTERVAL_NANOS;
        RtpPacket rtp = view.wrap(in);
        rtp.setSequenceNumber(seq);
        rtp.setTimestamp(ts);
        track.onRtp(rtp, now);
        return seq;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (ProtectAndRelease s : sinks) {
            if (s.failures != 0 || s.sent == 0) {
                throw new IllegalStateException("viewer sink: " + s.sent + " protected, " + s.failures + " failed");
            }
        }
        track.end();
        in.release();
    }

    /** Stands in for the viewer's connection: protect as {@code PeerConnection.sendRtp} does, then drop. */
    private static final class ProtectAndRelease implements RtpSink {
        private final SrtpSession srtp;
        long sent;
        long failures;

        ProtectAndRelease(SrtpSession srtp) {
            this.srtp = srtp;
        }

        @Override
        public void sendRtp(ByteBuf packet) {
            if (srtp.protectRtp(packet) == SrtpStatus.OK) {
                sent++;
            } else {
                failures++;
            }
            packet.release();
        }
    }
}
