package io.relaymesh.node.rtmp.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The chunk decoder on arbitrary bytes, fed in arbitrary pieces: it yields messages, waits for more, or refuses
 * with a {@link ProtocolException}; nothing else escapes, no buffer leaks, and it never holds more than its
 * limits. Under plain {@code mvn test} Jazzer runs the seeds; {@code JAZZER_FUZZ=1} fuzzes for real (30 s).
 */
class ChunkDecoderFuzzTest {

    private static final ChunkDecoder.Limits LIMITS = new ChunkDecoder.Limits(64 * 1024, 8, 128 * 1024);

    @FuzzTest(maxDuration = "30s")
    void decodeRefusesOrYieldsMessagesWithinTheLimits(byte[] data) {
        ChunkDecoder decoder = new ChunkDecoder(ByteBufAllocator.DEFAULT, LIMITS);
        List<RtmpMessage> out = new ArrayList<>();
        ByteBuf in = Unpooled.buffer();
        try {
            int at = 0;
            int piece = data.length == 0 ? 1 : 1 + (data[0] & 0x3F);
            while (at < data.length) {
                int n = Math.min(piece, data.length - at);
                in.writeBytes(data, at, n);
                at += n;
                decoder.decode(in, out);
                in.discardReadBytes();
            }
            for (RtmpMessage m : out) {
                assertThat(m.payload().readableBytes()).isLessThanOrEqualTo(LIMITS.maxMessageLength());
            }
        } catch (ProtocolException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        } finally {
            out.forEach(RtmpMessage::release);
            decoder.release();
            in.release();
        }
    }

    /** Deterministic mutations of a real publisher's first chunks, so every build explores beyond the seeds. */
    @Test
    void mutatedChunkStreamsNeverEscapeTheDecoder() {
        ChunkEncoder encoder = new ChunkEncoder();
        ByteBuf wire = Unpooled.buffer();
        ByteBuf payload = Unpooled.buffer();
        byte[] seed;
        try {
            payload.writeBytes(new byte[300]);
            encoder.write(wire, 3, RtmpMessage.COMMAND_AMF0, 0, 0, payload.slice(0, 40));
            encoder.write(wire, 6, RtmpMessage.VIDEO, 1, 0xFFFFFFL + 5, payload);
            encoder.write(wire, 4, RtmpMessage.AUDIO, 1, 7, payload.slice(0, 9));
            seed = new byte[wire.readableBytes()];
            wire.readBytes(seed);
        } finally {
            wire.release();
            payload.release();
        }
        SplittableRandom random = new SplittableRandom(1935);
        for (int i = 0; i < 5_000; i++) {
            byte[] input = seed.clone();
            int flips = 1 + random.nextInt(6);
            for (int f = 0; f < flips; f++) {
                input[random.nextInt(input.length)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) {
                input = Arrays.copyOf(input, random.nextInt(input.length + 16));
            }
            decodeRefusesOrYieldsMessagesWithinTheLimits(input);
        }
    }
}
