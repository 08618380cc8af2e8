package io.relaymesh.node.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.rtp.RtpHeaderWriter;
import io.relaymesh.node.srtp.SrtpSession;
import io.relaymesh.node.srtp.SrtpStatus;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Relay link keys: HKDF as RFC 5869 defines it, one key per direction and per pair of process lives. */
class RelayKeysTest {

    private static final Secret SECRET = Secret.of("relay-keys-test-secret-0123456789abcdef");

    private static ByteBuf packet(int ssrc) {
        ByteBuf b = Unpooled.buffer(12 + 20 + 16);
        RtpHeaderWriter.writeHeader(b, 96, true, 1, 3000, ssrc);
        b.writeBytes("twenty bytes payload".getBytes(StandardCharsets.US_ASCII));
        return b;
    }

    @Test
    void hkdfMatchesTheRfc5869Construction() throws Exception {
        // Independent of RelayKeys: HMAC chain by hand for a 2-block output.
        byte[] ikm = "ikm".getBytes(StandardCharsets.US_ASCII);
        byte[] info = "info".getBytes(StandardCharsets.US_ASCII);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("relaymesh relay v1".getBytes(StandardCharsets.US_ASCII),
                "HmacSHA256"));
        byte[] prk = mac.doFinal(ikm);
        mac.init(new javax.crypto.spec.SecretKeySpec(prk, "HmacSHA256"));
        mac.update(info);
        mac.update((byte) 1);
        byte[] t1 = mac.doFinal();
        mac.update(t1);
        mac.update(info);
        mac.update((byte) 2);
        byte[] t2 = mac.doFinal();
        byte[] out = RelayKeys.hkdf(ikm, info, 40);
        assertThat(HexFormat.of().formatHex(out)).isEqualTo(HexFormat.of().formatHex(t1)
                + HexFormat.of().formatHex(t2).substring(0, 16));
    }

    @Test
    void bothEndsDeriveTheSameSessionForOneDirectionOnly() {
        SrtpSession aSends = RelayKeys.session(SECRET, "eu-0", 1, "eu-1", 2);
        SrtpSession bReceives = RelayKeys.session(SECRET, "eu-0", 1, "eu-1", 2);
        SrtpSession reverse = RelayKeys.session(SECRET, "eu-1", 2, "eu-0", 1);
        SrtpSession restarted = RelayKeys.session(SECRET, "eu-0", 3, "eu-1", 2);
        SrtpSession otherCluster = RelayKeys.session(Secret.of("another-cluster-secret-0123456789abcdef"), "eu-0", 1,
                "eu-1", 2);

        ByteBuf p = packet(0x1001);
        assertThat(aSends.protectRtp(p)).isEqualTo(SrtpStatus.OK);
        for (SrtpSession wrong : new SrtpSession[] {reverse, restarted, otherCluster}) {
            ByteBuf copy = p.copy();
            assertThat(wrong.unprotectRtp(copy)).isNotEqualTo(SrtpStatus.OK);
        }
        assertThat(bReceives.unprotectRtp(p)).isEqualTo(SrtpStatus.OK);
        assertThat(p.toString(12, 20, StandardCharsets.US_ASCII)).isEqualTo("twenty bytes payload");
    }

    @Test
    void aReplayedDatagramIsRejected() {
        SrtpSession send = RelayKeys.session(SECRET, "eu-0", 1, "eu-1", 2);
        SrtpSession receive = RelayKeys.session(SECRET, "eu-0", 1, "eu-1", 2);
        ByteBuf p = packet(0x1001);
        send.protectRtp(p);
        ByteBuf replay = p.copy();
        assertThat(receive.unprotectRtp(p)).isEqualTo(SrtpStatus.OK);
        assertThat(receive.unprotectRtp(replay)).isNotEqualTo(SrtpStatus.OK);
    }
}
