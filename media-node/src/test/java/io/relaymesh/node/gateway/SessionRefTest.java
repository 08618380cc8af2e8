package io.relaymesh.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relaymesh.node.protocol.ProtocolException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SessionRefTest {

    @Test
    void roundTrips() throws ProtocolException {
        SessionRef ref = new SessionRef("eu-west-12", "a1B2c3");
        assertThat(ref.toString()).isEqualTo("eu-west-12.a1B2c3");
        assertThat(SessionRef.parse(ref.toString())).isEqualTo(ref);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "eu-1", "eu-1.", ".abc", "eu.abc", "EU-1.abc", "eu-1.a/b", "eu-1.a.b",
            "eu-123456.abc", "-eu-1.abc", "eu-1.a b"})
    void rejectsMalformedIdsWithAReason(String text) {
        assertThatThrownBy(() -> SessionRef.parse(text)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("session id");
    }

    @Test
    void rejectsTruncatedIds() {
        String full = "local-3.abcdef";
        for (int n = 0; n < "local-3.".length(); n++) {
            String truncated = full.substring(0, n);
            assertThatThrownBy(() -> SessionRef.parse(truncated)).as(truncated).isInstanceOf(ProtocolException.class);
        }
    }
}
