package io.relaymesh.node.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExtensionMappingTest {

    private static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    private static final String ABS = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    private static final String AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";

    @Test
    void theSameUriMapsToTheViewersId() {
        byte[] table = ExtensionMapping.between(Map.of(MID, 4, ABS, 2), Map.of(MID, 1, ABS, 2));

        assertThat(table).hasSize(ExtensionMapping.TABLE_SIZE);
        assertThat(table[4]).isEqualTo((byte) 1);
        assertThat(table[2]).isEqualTo((byte) 2);
        assertThat(count(table)).isEqualTo(2);
    }

    @Test
    void urisTheViewerDidNotNegotiateOrThatAreDroppedMapToZero() {
        byte[] table = ExtensionMapping.between(Map.of(MID, 4, ABS, 2, DownTrack.TRANSPORT_CC, 3),
                Map.of(MID, 1, DownTrack.TRANSPORT_CC, 3), DownTrack.TRANSPORT_CC);

        assertThat(table[2]).as("viewer lacks abs-send-time").isZero();
        assertThat(table[3]).as("transport-cc is never forwarded").isZero();
        assertThat(count(table)).isEqualTo(1);
    }

    @Test
    void aOneByteIdIsNeverMappedToATwoByteOnlyId() {
        byte[] table = ExtensionMapping.between(Map.of(MID, 4, ABS, 200, AUDIO_LEVEL, 20),
                Map.of(MID, 30, ABS, 7, AUDIO_LEVEL, 250));

        assertThat(table[4]).as("id 30 cannot be written in a one-byte element").isZero();
        assertThat(table[200]).isEqualTo((byte) 7);
        assertThat(table[20] & 0xFF).isEqualTo(250);
    }

    @Test
    void outOfRangeIdsAreIgnored() {
        byte[] table = ExtensionMapping.between(Map.of(MID, 0, ABS, 256, AUDIO_LEVEL, -1), Map.of(MID, 1, ABS, 2,
                AUDIO_LEVEL, 3));

        assertThat(count(table)).isZero();
    }

    private static int count(byte[] table) {
        int n = 0;
        for (byte b : table) {
            n += b != 0 ? 1 : 0;
        }
        return n;
    }
}
