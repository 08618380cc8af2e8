package io.relaymesh.node.sdp;

import java.util.HexFormat;
import java.util.Optional;

/**
 * The H.264 {@code profile-level-id} fmtp parameter (RFC 6184 section 8.1): three bytes, {@code profile_idc},
 * {@code profile-iop} (the constraint_set flags) and {@code level_idc}, written as six hex digits.
 *
 * <p>Offer/answer (RFC 6184 section 8.2.2) requires the answer to use the same <em>profile</em>, which is a
 * combination of profile_idc and constraint flags (Table 5: 42e01f, 4d801f and 58c01f are all Constrained
 * Baseline); the level may be answered lower.
 */
public record H264ProfileLevelId(int profileIdc, int profileIop, int levelIdc) {

    /** RFC 6184 section 8.1: a missing profile-level-id means Baseline, level 1.0. */
    public static final H264ProfileLevelId DEFAULT = new H264ProfileLevelId(0x42, 0x00, 0x0a);

    /** The sub-profiles the node distinguishes. */
    public enum Profile {
        CONSTRAINED_BASELINE, BASELINE, MAIN, EXTENDED, HIGH, CONSTRAINED_HIGH
    }

    /** One row of RFC 6184 Table 5 (plus libwebrtc's Constrained High): profile_idc and an iop bit pattern. */
    private record Pattern(int profileIdc, String iopBits, Profile profile) {
        boolean matches(int idc, int iop) {
            if (idc != profileIdc) {
                return false;
            }
            for (int bit = 0; bit < 8; bit++) {
                char want = iopBits.charAt(bit);
                int have = (iop >> (7 - bit)) & 1;
                if (want != 'x' && want - '0' != have) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final Pattern[] PATTERNS = {
        new Pattern(0x42, "x1xx0000", Profile.CONSTRAINED_BASELINE),
        new Pattern(0x4D, "1xxx0000", Profile.CONSTRAINED_BASELINE),
        new Pattern(0x58, "11xx0000", Profile.CONSTRAINED_BASELINE),
        new Pattern(0x42, "x0xx0000", Profile.BASELINE),
        new Pattern(0x58, "10xx0000", Profile.BASELINE),
        new Pattern(0x4D, "0x0x0000", Profile.MAIN),
        new Pattern(0x58, "00xx0000", Profile.EXTENDED),
        new Pattern(0x64, "00000000", Profile.HIGH),
        new Pattern(0x64, "00001100", Profile.CONSTRAINED_HIGH),
    };

    public static H264ProfileLevelId parse(String hex) throws SdpException {
        if (hex.length() != 6 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new SdpException("bad H264 profile-level-id '" + SdpSyntax.abbreviate(hex)
                    + "' (six hex digits)");
        }
        int v = HexFormat.fromHexDigits(hex);
        return new H264ProfileLevelId(v >> 16, (v >> 8) & 0xFF, v & 0xFF);
    }

    public Optional<Profile> profile() {
        for (Pattern p : PATTERNS) {
            if (p.matches(profileIdc, profileIop)) {
                return Optional.of(p.profile());
            }
        }
        return Optional.empty();
    }

    /**
     * An ordering key for the level: level_idc doubled, with level 1b (level_idc 11 plus constraint_set3 in
     * Baseline/Main/Extended, or level_idc 9) placed between 1.0 and 1.1.
     */
    public int levelRank() {
        boolean lowProfile = profileIdc == 0x42 || profileIdc == 0x4D || profileIdc == 0x58;
        if (levelIdc == 9 || (levelIdc == 11 && lowProfile && (profileIop & 0x10) != 0)) {
            return 21;
        }
        return levelIdc * 2;
    }

    /** These profile bytes with the level of {@code other}, keeping level 1b's special encoding correct. */
    public H264ProfileLevelId withLevelOf(H264ProfileLevelId other) {
        boolean lowProfile = profileIdc == 0x42 || profileIdc == 0x4D || profileIdc == 0x58;
        if (other.levelRank() == 21) {
            return lowProfile ? new H264ProfileLevelId(profileIdc, profileIop | 0x10, 11)
                    : new H264ProfileLevelId(profileIdc, profileIop, 9);
        }
        int iop = lowProfile ? profileIop & ~0x10 : profileIop;
        return new H264ProfileLevelId(profileIdc, iop, other.levelIdc);
    }

    @Override
    public String toString() {
        return HexFormat.of().toHexDigits((byte) profileIdc) + HexFormat.of().toHexDigits((byte) profileIop)
                + HexFormat.of().toHexDigits((byte) levelIdc);
    }
}
