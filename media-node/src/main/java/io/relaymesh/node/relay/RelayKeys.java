package io.relaymesh.node.relay;

import io.relaymesh.node.config.Secret;
import io.relaymesh.node.srtp.SrtpProfile;
import io.relaymesh.node.srtp.SrtpSession;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keys of one direction of one relay link: HKDF-SHA256 (RFC 5869) over the cluster secret with salt
 * {@code "relaymesh relay v1"} and info {@code "media <from>/<fromBoot> > <to>/<toBoot>"}, expanded to an
 * AEAD_AES_128_GCM master key and salt (RFC 7714). Both ends derive the same session; each direction and each
 * pair of process lives (boot ids) has its own key, so a restarted node never repeats an SRTP nonce under a key
 * it used before.
 */
final class RelayKeys {

    static final SrtpProfile PROFILE = SrtpProfile.AEAD_AES_128_GCM;
    private static final byte[] SALT = "relaymesh relay v1".getBytes(StandardCharsets.US_ASCII);

    private RelayKeys() {
    }

    /** The SRTP session protecting media sent by {@code from} to {@code to} (each end makes its own copy). */
    static SrtpSession session(Secret secret, String from, long fromBoot, String to, long toBoot) {
        String info = "media " + from + "/" + Long.toHexString(fromBoot) + " > " + to + "/" + Long.toHexString(toBoot);
        byte[] okm = hkdf(secret.bytes(), info.getBytes(StandardCharsets.UTF_8),
                PROFILE.keyLength() + PROFILE.saltLength());
        return new SrtpSession(PROFILE, Arrays.copyOf(okm, PROFILE.keyLength()),
                Arrays.copyOfRange(okm, PROFILE.keyLength(), okm.length));
    }

    static byte[] hkdf(byte[] ikm, byte[] info, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SALT, "HmacSHA256"));
            byte[] prk = mac.doFinal(ikm);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            byte[] out = new byte[length];
            byte[] block = new byte[0];
            int filled = 0;
            for (int counter = 1; filled < length; counter++) {
                mac.update(block);
                mac.update(info);
                mac.update((byte) counter);
                block = mac.doFinal();
                int n = Math.min(block.length, length - filled);
                System.arraycopy(block, 0, out, filled, n);
                filled += n;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
