package io.relaymesh.node.dtls;

import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

import java.io.IOException;
import java.security.SecureRandom;

/** Bouncy Castle's crypto with record ciphers that discard undecodable records (see {@link DiscardingRecordCipher}). */
final class DtlsCrypto extends BcTlsCrypto {

    DtlsCrypto(SecureRandom random) {
        super(random);
    }

    @Override
    public TlsCipher createCipher(TlsCryptoParameters parameters, int encryptionAlgorithm, int macAlgorithm)
            throws IOException {
        return new DiscardingRecordCipher(super.createCipher(parameters, encryptionAlgorithm, macAlgorithm));
    }
}
