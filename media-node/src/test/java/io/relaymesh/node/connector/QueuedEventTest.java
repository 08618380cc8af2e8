package io.relaymesh.node.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relaymesh.node.protocol.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QueuedEventTest {

    private static final QueuedEvent EVENT = new QueuedEvent("abc", "{\"v\":1}".getBytes(StandardCharsets.UTF_8));

    @Test
    void goldenBytes() {
        assertThat(EVENT.encode()).containsExactly(
                0x00, 0x03,          // id length 3
                'a', 'b', 'c',       // id
                '{', '"', 'v', '"', ':', '1', '}'); // JSON to the end
        assertThat(EVENT.encodedLength()).isEqualTo(12);
    }

    @Test
    void roundTripFromANonZeroOffset() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(7 + EVENT.encodedLength());
        b.position(7);
        EVENT.writeTo(b);
        b.position(7);
        assertThat(QueuedEvent.parse(b)).isEqualTo(EVENT);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void truncatedInputIsRejectedWithAReason(int length) {
        ByteBuffer b = ByteBuffer.wrap(EVENT.encode(), 0, length);
        assertThatThrownBy(() -> QueuedEvent.parse(b)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("queued event");
    }

    @Test
    void zeroIdLengthIsRejected() {
        assertThatThrownBy(() -> QueuedEvent.parse(ByteBuffer.wrap(new byte[] {0, 0, '{', '}'})))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("id length 0");
    }

    @Test
    void oversizedIdIsRefusedWhenBuilt() {
        assertThatThrownBy(() -> new QueuedEvent("x".repeat(256), new byte[] {'{', '}'}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
