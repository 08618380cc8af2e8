package io.relaymesh.node.sfu;

/**
 * Reception statistics of one incoming RTP stream as RFC 3550 defines them for receiver reports: extended
 * highest sequence number (appendix A.1), cumulative and fractional loss (A.3) and interarrival jitter (A.8).
 * Also remembers the last sender report, for the LSR/DLSR fields that let the sender compute round-trip time.
 * Event loop only; no allocation.
 */
final class ReceiveStatistics {

    private static final int RTP_SEQ_MOD = 1 << 16;
    private static final int MAX_DROPOUT = 3000;
    private static final int MAX_MISORDER = 100;

    private final int clockRate;
    private boolean started;
    private int maxSeq;
    private int cycles;
    private int baseSeq;
    private int badSeq = RTP_SEQ_MOD + 1;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private double jitter;
    private long lastTransit;
    private boolean haveTransit;
    private long lastSrNtpMiddle;
    private long lastSrArrivalNanos;
    private boolean haveSr;

    ReceiveStatistics(int clockRate) {
        this.clockRate = clockRate;
    }

    /**
     * Accounts a packet.
     *
     * @return true when the packet is in sequence or a tolerable reorder; false for a duplicate-looking jump
     *         that reset the sequence state
     */
    boolean onPacket(int seq, int rtpTimestamp, long arrivalNanos) {
        if (!started) {
            started = true;
            baseSeq = seq;
            maxSeq = seq;
            badSeq = RTP_SEQ_MOD + 1;
            received = 1;
            updateJitter(rtpTimestamp, arrivalNanos);
            return true;
        }
        int delta = (seq - maxSeq) & 0xFFFF;
        if (delta < MAX_DROPOUT) {
            if (seq < maxSeq) {
                cycles += RTP_SEQ_MOD;
            }
            maxSeq = seq;
        } else if (delta <= RTP_SEQ_MOD - MAX_MISORDER) {
            // A very large jump: accept it only when the next packet confirms it (source restarted).
            if (seq == badSeq) {
                baseSeq = seq;
                maxSeq = seq;
                cycles = 0;
                received = 0;
                expectedPrior = 0;
                receivedPrior = 0;
                badSeq = RTP_SEQ_MOD + 1;
            } else {
                badSeq = (seq + 1) & 0xFFFF;
                return false;
            }
        }
        received++;
        updateJitter(rtpTimestamp, arrivalNanos);
        return true;
    }

    private void updateJitter(int rtpTimestamp, long arrivalNanos) {
        long arrival = arrivalNanos * clockRate / 1_000_000_000L;
        long transit = arrival - (rtpTimestamp & 0xFFFFFFFFL);
        if (haveTransit) {
            long d = Math.abs(transit - lastTransit);
            if (d < (long) clockRate * 10) { // ignore timestamp jumps (source switch, long pause)
                jitter += (d - jitter) / 16.0;
            }
        }
        lastTransit = transit;
        haveTransit = true;
    }

    /** Records an incoming sender report: middle 32 bits of its NTP timestamp, and when it arrived. */
    void onSenderReport(long ntpTimestamp, long arrivalNanos) {
        lastSrNtpMiddle = (ntpTimestamp >>> 16) & 0xFFFFFFFFL;
        lastSrArrivalNanos = arrivalNanos;
        haveSr = true;
    }

    boolean started() {
        return started;
    }

    long extendedHighestSeq() {
        return (cycles & 0xFFFFFFFFL) + maxSeq;
    }

    long expected() {
        return extendedHighestSeq() - baseSeq + 1;
    }

    /** Cumulative packets lost, clamped to the 24-bit signed range of a report block. */
    int cumulativeLost() {
        long lost = expected() - received;
        return (int) Math.max(-0x800000, Math.min(0x7FFFFF, lost));
    }

    /** Fraction lost since the previous call, as the 8-bit fixed point value of a report block. */
    int fractionLostSinceLastReport() {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        expectedPrior = expected;
        long receivedInterval = received - receivedPrior;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval == 0 || lostInterval <= 0) {
            return 0;
        }
        return (int) Math.min(255, (lostInterval << 8) / expectedInterval);
    }

    long jitter() {
        return (long) jitter;
    }

    /** LSR field: middle 32 bits of the last SR's NTP timestamp, 0 when none arrived. */
    long lastSr() {
        return haveSr ? lastSrNtpMiddle : 0;
    }

    /** DLSR field: delay since that SR in units of 1/65536 s, 0 when none arrived. */
    long delaySinceLastSr(long nowNanos) {
        if (!haveSr) {
            return 0;
        }
        return ((nowNanos - lastSrArrivalNanos) * 65536L / 1_000_000_000L) & 0xFFFFFFFFL;
    }

    long packetsReceived() {
        return received;
    }
}
