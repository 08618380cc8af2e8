package io.relaymesh.node.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6184 Table 5 profile classification and level ordering. */
class H264ProfileLevelIdTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "42e01f, CONSTRAINED_BASELINE", "42c01f, CONSTRAINED_BASELINE", "42401f, CONSTRAINED_BASELINE",
        "4d801f, CONSTRAINED_BASELINE", "58c01f, CONSTRAINED_BASELINE",
        "42001f, BASELINE", "42a01f, BASELINE", "58801f, BASELINE",
        "4d001f, MAIN", "4d401f, MAIN", "58001f, EXTENDED",
        "64001f, HIGH", "640c1f, CONSTRAINED_HIGH", "640c34, CONSTRAINED_HIGH"})
    void classifiesProfiles(String hex, H264ProfileLevelId.Profile profile) throws SdpException {
        H264ProfileLevelId id = H264ProfileLevelId.parse(hex);
        assertThat(id.profile()).contains(profile);
        assertThat(id).hasToString(hex);
    }

    @ParameterizedTest
    @ValueSource(strings = {"f4001f", "6e001f", "640800", "42081f"})
    void unknownCombinationsHaveNoProfile(String hex) throws SdpException {
        assertThat(H264ProfileLevelId.parse(hex).profile()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "42e01", "42e01f0", "42g01f", "+2e01f"})
    void rejectsMalformedIds(String hex) {
        assertThatThrownBy(() -> H264ProfileLevelId.parse(hex)).isInstanceOf(SdpException.class)
                .hasMessageContaining("bad H264 profile-level-id");
    }

    @ParameterizedTest(name = "{0} < {1}")
    @CsvSource({"42e00a, 42f00b", "42f00b, 42e00b", "640009, 64000b", "42e01f, 42e020", "640c1f, 640c33"})
    void ordersLevelsWithLevel1bBetween1And11(String lower, String higher) throws SdpException {
        assertThat(H264ProfileLevelId.parse(lower).levelRank()).isLessThan(H264ProfileLevelId.parse(higher).levelRank());
    }

    @ParameterizedTest(name = "{0} at the level of {1} is {2}")
    @CsvSource({"42e01f, 42e00b, 42e00b", "42e01f, 42f00b, 42f00b", "640c1f, 42f00b, 640c09", "42f00b, 42e01f, 42e01f"})
    void movesToAnotherLevelKeepingTheProfile(String id, String level, String expected) throws SdpException {
        assertThat(H264ProfileLevelId.parse(id).withLevelOf(H264ProfileLevelId.parse(level))).hasToString(expected);
    }
}
