package io.relaymesh.node.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SequenceNumbersTest {

    @ParameterizedTest(name = "{0} - {1} = {2}")
    @CsvSource({
        "1, 0, 1",
        "0, 65535, 1",
        "65535, 0, -1",
        "100, 65500, 136",
        "32767, 0, 32767",
        "32768, 0, -32768",
        "5, 5, 0"})
    void distanceIsTheShortestWayAroundTheCircle(int a, int b, int expected) {
        assertThat(SequenceNumbers.distance(a, b)).isEqualTo(expected);
        assertThat(SequenceNumbers.isNewer(a, b)).isEqualTo(expected > 0);
    }

    @Test
    void halfTheCircleApartNeitherIsNewer() {
        assertThat(SequenceNumbers.isNewer(32768, 0)).isFalse();
        assertThat(SequenceNumbers.isNewer(0, 32768)).isFalse();
    }

    @Test
    void addAndForwardDistanceWrap() {
        assertThat(SequenceNumbers.add(65535, 1)).isZero();
        assertThat(SequenceNumbers.add(0, -1)).isEqualTo(65535);
        assertThat(SequenceNumbers.forwardDistance(65530, 4)).isEqualTo(10);
        assertThat(SequenceNumbers.forwardDistance(4, 65530)).isEqualTo(65526);
    }

    @Test
    void unwrappingCountsCyclesAndPlacesLatePacketsInTheirCycle() {
        ExtendedSequenceNumber ext = new ExtendedSequenceNumber();
        assertThat(ext.highest()).isEqualTo(-1);
        assertThat(ext.unwrap(65534)).isEqualTo(65534);
        assertThat(ext.unwrap(65535)).isEqualTo(65535);
        assertThat(ext.unwrap(0)).isEqualTo(65536);
        assertThat(ext.unwrap(65535)).isEqualTo(65535); // late duplicate: before the wrap
        assertThat(ext.unwrap(2)).isEqualTo(65538);
        assertThat(ext.unwrap(1)).isEqualTo(65537); // reordered
        assertThat(ext.highest()).isEqualTo(65538);
        assertThat(ext.cycles()).isEqualTo(1);
    }

    @Test
    void unwrappingFollowsManyCyclesInLargeSteps() {
        ExtendedSequenceNumber ext = new ExtendedSequenceNumber();
        int seq = 0;
        long expected = 0;
        for (int i = 0; i < 100; i++) {
            assertThat(ext.unwrap(seq)).isEqualTo(expected);
            seq = SequenceNumbers.add(seq, 30000);
            expected += 30000;
        }
        assertThat(ext.cycles()).isEqualTo((int) ((99 * 30000L) >> 16));
    }

    @Test
    void aLatePacketFromBeforeTheFirstAcrossAWrapIsNegativeAndResetForgets() {
        ExtendedSequenceNumber ext = new ExtendedSequenceNumber();
        ext.unwrap(2);
        assertThat(ext.unwrap(65535)).isEqualTo(-1);
        assertThat(ext.highest()).isEqualTo(2);
        ext.reset();
        assertThat(ext.unwrap(65535)).isEqualTo(65535);
    }
}
