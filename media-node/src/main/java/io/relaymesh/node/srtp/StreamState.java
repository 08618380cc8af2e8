package io.relaymesh.node.srtp;

/**
 * What one session remembers about one SSRC: the RTP index (hence ROC) and replay window in each direction of use,
 * and the SRTCP indices. Instances are preallocated by {@link StreamTable} and recycled, never created per packet.
 */
final class StreamState {

    /** Received SRTP: highest authenticated index (ROC and s_l of RFC 3711 appendix A) and replay bitmap. */
    final ReplayWindow rtpReceived = new ReplayWindow();
    /** Received SRTCP: replay bitmap over the 31-bit SRTCP index. */
    final ReplayWindow rtcpReceived = new ReplayWindow();
    /** Sent SRTP: highest index protected so far, to follow the sequence number across wrap-arounds. */
    boolean rtpSendStarted;
    long rtpSendHighest;
    /** Sent SRTCP: the index the next protected packet carries (libsrtp also starts at 1). */
    int rtcpSendIndex;

    void reset() {
        rtpReceived.reset();
        rtcpReceived.reset();
        rtpSendStarted = false;
        rtpSendHighest = 0;
        rtcpSendIndex = 1;
    }

    /**
     * Estimates the 48-bit index of a packet with sequence number {@code seq} given the highest index seen so far
     * (RFC 3711 section 3.3.1 and appendix A).
     *
     * @return the index, or -1 when it would fall before index 0 (ROC - 1 with ROC = 0)
     */
    static long estimateIndex(long highest, int seq) {
        long roc = highest >>> 16;
        int highestSeq = (int) highest & 0xffff;
        long guess;
        if (highestSeq < 0x8000) {
            guess = seq - highestSeq > 0x8000 ? roc - 1 : roc;
        } else {
            guess = highestSeq - 0x8000 > seq ? roc + 1 : roc;
        }
        return guess < 0 ? -1 : guess << 16 | seq;
    }

    /** The index to protect an outgoing packet with; remembers it when it is the newest. */
    long nextSendIndex(int seq) {
        if (!rtpSendStarted) {
            rtpSendStarted = true;
            rtpSendHighest = seq;
            return seq;
        }
        long index = estimateIndex(rtpSendHighest, seq);
        if (index < 0) {
            // Older than the first packet sent with ROC 0 (a late retransmission): it had ROC 0.
            return seq;
        }
        if (index > rtpSendHighest) {
            rtpSendHighest = index;
        }
        return index;
    }
}
