package io.relaymesh.node.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SrtpKeysTest {

    /** Material 0, 1, 2, ...: each field's first byte tells where RFC 5764 section 4.2 puts it. */
    private static byte[] countingMaterial(SrtpProfile profile) {
        byte[] material = new byte[profile.keyingMaterialLength()];
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) i;
        }
        return material;
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void splitsKeyingMaterialAsClientKeyServerKeyClientSaltServerSalt(SrtpProfile profile) {
        byte[] m = countingMaterial(profile);
        int k = profile.keyLength();
        int s = profile.saltLength();
        SrtpKeys keys = SrtpKeys.fromKeyingMaterial(profile, m);
        assertThat(keys.clientKey()).isEqualTo(Arrays.copyOfRange(m, 0, k));
        assertThat(keys.serverKey()).isEqualTo(Arrays.copyOfRange(m, k, 2 * k));
        assertThat(keys.clientSalt()).isEqualTo(Arrays.copyOfRange(m, 2 * k, 2 * k + s));
        assertThat(keys.serverSalt()).isEqualTo(Arrays.copyOfRange(m, 2 * k + s, 2 * k + 2 * s));
        assertThat(keys.profile()).isEqualTo(profile);
        assertThat(keys.toString()).doesNotContain("0102");
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void accessorsReturnCopies(SrtpProfile profile) {
        SrtpKeys keys = SrtpKeys.fromKeyingMaterial(profile, countingMaterial(profile));
        keys.clientKey()[0] = 99;
        assertThat(keys.clientKey()[0]).isEqualTo((byte) 0);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void clientAndServerDirectionsUseDifferentKeys(SrtpProfile profile) {
        SrtpKeys keys = SrtpKeys.fromKeyingMaterial(profile, countingMaterial(profile));
        ByteBuf packet = Unpooled.buffer(64).writeBytes(new byte[] {
            (byte) 0x80, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9, 1, 2, 3, 4});
        try {
            assertThat(keys.clientWriteSession().protectRtp(packet)).isEqualTo(SrtpStatus.OK);
            assertThat(keys.serverWriteSession().unprotectRtp(packet.duplicate())).isEqualTo(SrtpStatus.AUTH_FAILED);
            assertThat(keys.clientWriteSession().unprotectRtp(packet)).isEqualTo(SrtpStatus.OK);
        } finally {
            packet.release();
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rejectsMaterialOfTheWrongLength(SrtpProfile profile) {
        assertThatThrownBy(() -> SrtpKeys.fromKeyingMaterial(profile, new byte[profile.keyingMaterialLength() - 1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(profile.rfcName());
    }
}
