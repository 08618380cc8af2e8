package io.relaymesh.node.stun;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The STUN parser on arbitrary bytes: it either rejects them with a {@link ProtocolException} or yields a
 * message whose every accessor works; nothing else may escape. Under plain {@code mvn test} Jazzer runs the
 * seed inputs in {@code StunMessageFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class StunMessageFuzzTest {

    private static final byte[] KEY = "fuzz".getBytes(StandardCharsets.UTF_8);

    @FuzzTest(maxDuration = "30s")
    void parseRejectsOrYieldsAUsableMessage(byte[] data) {
        ByteBuf buf = Unpooled.wrappedBuffer(data);
        try {
            StunMessage m = StunMessage.parse(buf);
            assertThat(m.length()).isEqualTo(data.length);
            assertThat(m.transactionId()).hasSize(StunMessage.TRANSACTION_ID_LENGTH);
            m.username();
            m.priority();
            m.tieBreaker();
            m.xorMappedAddress();
            m.errorCode();
            m.errorReason();
            m.verifyFingerprint();
            m.verifyMessageIntegrity(KEY);
            assertThat(StunMessage.looksLikeStun(buf)).isEqualTo((data[0] & 0xFF) <= 3);
        } catch (ProtocolException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        } finally {
            buf.release();
        }
    }

    /** Deterministic mutations of the RFC 5769 vectors so every build explores beyond the seeds. */
    @Test
    void mutatedVectorsNeverEscapeTheParser() {
        SplittableRandom random = new SplittableRandom(5769);
        byte[][] seeds = {StunMessageTest.SAMPLE_REQUEST, StunMessageTest.SAMPLE_IPV4_RESPONSE,
                StunMessageTest.SAMPLE_IPV6_RESPONSE};
        for (int i = 0; i < 20_000; i++) {
            byte[] input = seeds[i % seeds.length].clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                input[random.nextInt(input.length)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) {
                input = Arrays.copyOf(input, random.nextInt(input.length + 8));
            }
            parseRejectsOrYieldsAUsableMessage(input);
        }
    }
}
