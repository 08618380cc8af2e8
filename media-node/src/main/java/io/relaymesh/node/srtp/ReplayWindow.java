package io.relaymesh.node.srtp;

/**
 * The sliding replay window of RFC 3711 section 3.3.2 over packet indices, {@value #SIZE} packets wide.
 *
 * <p>Bit {@code k} of the 128-bit bitmap ({@code recent} holds k = 0..63, {@code older} k = 64..127) records
 * whether index {@code highest - k} was accepted. Checking ({@link #isReplay}) happens before authentication and
 * changes nothing; only an authenticated packet is {@link #accept}ed, so forged packets cannot move the window.
 */
final class ReplayWindow {

    static final int SIZE = 128;

    private boolean started;
    private long highest;
    private long recent;
    private long older;

    boolean started() {
        return started;
    }

    long highest() {
        return highest;
    }

    boolean isReplay(long index) {
        if (!started || index > highest) {
            return false;
        }
        long behind = highest - index;
        if (behind >= SIZE) {
            return true;
        }
        return behind < 64 ? (recent >>> behind & 1) != 0 : (older >>> (behind - 64) & 1) != 0;
    }

    void accept(long index) {
        if (!started) {
            started = true;
            highest = index;
            recent = 1;
            older = 0;
            return;
        }
        if (index > highest) {
            long shift = index - highest;
            if (shift >= SIZE) {
                recent = 0;
                older = 0;
            } else if (shift >= 64) {
                older = recent << (shift - 64);
                recent = 0;
            } else {
                older = (older << shift) | (recent >>> (64 - shift));
                recent <<= shift;
            }
            recent |= 1;
            highest = index;
            return;
        }
        long behind = highest - index;
        if (behind < 64) {
            recent |= 1L << behind;
        } else if (behind < SIZE) {
            older |= 1L << (behind - 64);
        }
    }

    void reset() {
        started = false;
        highest = 0;
        recent = 0;
        older = 0;
    }
}
