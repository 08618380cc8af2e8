package io.relaymesh.node.relay;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relaymesh.node.sfu.Cascade;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The relay port is shared only between the relay's own sockets (SO_REUSEPORT), never with another relay. */
class RelayPortTest {

    @Test
    void aSecondRelayOnTheSamePortIsRefused() throws Exception {
        try (LoopbackMediaNode node = new LoopbackMediaNode(0)) {
            assertThatThrownBy(() -> RelayNode.start(node.cluster, new Cascade(node.sfu), LoopbackMediaNode.SECRET,
                    new RelaySettings(node.relay.relayAddress(), Optional.empty(), Duration.ZERO)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot bind the relay UDP port");
        }
    }
}
