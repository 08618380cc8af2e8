package io.relaymesh.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.relaymesh.node.config.Secret;
import io.relaymesh.node.metrics.ScrapeAccess.Decision;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ScrapeAccessTest {

    private static final Secret SECRET = Secret.of("scrape-access-test-secret-0123456789abcdef");
    /** TEST-NET-1 (RFC 5737): never an address of this machine. */
    private static final InetAddress ELSEWHERE = address(192, 0, 2, 7);

    private final ScrapeAccess access = new ScrapeAccess(SECRET);

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anotherMachineNeedsTheSecret() {
        assertThat(access.decide(ELSEWHERE, null)).isEqualTo(Decision.NEEDS_SECRET);
        assertThat(access.decide(null, null)).isEqualTo(Decision.NEEDS_SECRET);
    }

    @Test
    void anotherMachineWithTheSecretIsAllowed() {
        assertThat(access.decide(ELSEWHERE, SECRET.reveal())).isEqualTo(Decision.ALLOWED);
    }

    @Test
    void theNodesOwnMachineNeedsNoCredential() {
        assertThat(access.decide(InetAddress.getLoopbackAddress(), null)).isEqualTo(Decision.ALLOWED);
        assertThat(access.decide(address(127, 8, 9, 10), null)).isEqualTo(Decision.ALLOWED);
    }

    @Test
    void aPresentedCredentialMustBeRightEvenFromTheNodesOwnMachine() {
        assertThat(access.decide(InetAddress.getLoopbackAddress(), "guess")).isEqualTo(Decision.WRONG_SECRET);
        assertThat(access.decide(InetAddress.getLoopbackAddress(), "")).isEqualTo(Decision.WRONG_SECRET);
        assertThat(access.decide(ELSEWHERE, SECRET.reveal() + "x")).isEqualTo(Decision.WRONG_SECRET);
    }
}
