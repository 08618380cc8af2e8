package io.relaymesh.node.srtp;

import java.util.Arrays;
import java.util.Objects;

/**
 * The two SRTP master keys and salts a DTLS handshake exports (RFC 5764 section 4.2).
 *
 * <p>The exported keying material is laid out as
 * <pre>
 * client_write_SRTP_master_key | server_write_SRTP_master_key |
 * client_write_SRTP_master_salt | server_write_SRTP_master_salt
 * </pre>
 * The DTLS client protects what it sends with the client key and salt; the server with the server ones. Accessors
 * return copies so a caller cannot change another session's keys.
 */
public final class SrtpKeys {

    private final SrtpProfile profile;
    private final byte[] clientKey;
    private final byte[] serverKey;
    private final byte[] clientSalt;
    private final byte[] serverSalt;

    private SrtpKeys(SrtpProfile profile, byte[] clientKey, byte[] serverKey, byte[] clientSalt, byte[] serverSalt) {
        this.profile = profile;
        this.clientKey = clientKey;
        this.serverKey = serverKey;
        this.clientSalt = clientSalt;
        this.serverSalt = serverSalt;
    }

    /**
     * Splits DTLS-exported keying material ({@code EXTRACTOR-dtls_srtp}).
     *
     * @throws IllegalArgumentException when {@code material} is not {@link SrtpProfile#keyingMaterialLength()} long
     */
    public static SrtpKeys fromKeyingMaterial(SrtpProfile profile, byte[] material) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(material, "material");
        if (material.length != profile.keyingMaterialLength()) {
            throw new IllegalArgumentException(profile.rfcName() + " needs " + profile.keyingMaterialLength()
                    + " bytes of keying material, got " + material.length);
        }
        int key = profile.keyLength();
        int salt = profile.saltLength();
        return new SrtpKeys(profile,
                Arrays.copyOfRange(material, 0, key),
                Arrays.copyOfRange(material, key, 2 * key),
                Arrays.copyOfRange(material, 2 * key, 2 * key + salt),
                Arrays.copyOfRange(material, 2 * key + salt, 2 * key + 2 * salt));
    }

    public SrtpProfile profile() {
        return profile;
    }

    public byte[] clientKey() {
        return clientKey.clone();
    }

    public byte[] clientSalt() {
        return clientSalt.clone();
    }

    public byte[] serverKey() {
        return serverKey.clone();
    }

    public byte[] serverSalt() {
        return serverSalt.clone();
    }

    /** The session protecting (or unprotecting) what the DTLS client sends. */
    public SrtpSession clientWriteSession() {
        return new SrtpSession(profile, clientKey, clientSalt);
    }

    /** The session protecting (or unprotecting) what the DTLS server sends. */
    public SrtpSession serverWriteSession() {
        return new SrtpSession(profile, serverKey, serverSalt);
    }

    @Override
    public String toString() {
        return "SrtpKeys[" + profile.rfcName() + ", keys redacted]";
    }
}
