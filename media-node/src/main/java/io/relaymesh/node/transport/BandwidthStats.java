package io.relaymesh.node.transport;

import io.relaymesh.node.bwe.BandwidthUsage;

/**
 * What the send-side bandwidth estimation of one connection knows, for stats APIs (a snapshot; rates in bits per
 * second, -1 where there is nothing yet).
 *
 * @param estimateBps        what {@link PeerConnection#sendEstimateBps()} answers: the estimator's target bounded
 *                           by the latest REMB, REMB alone without transport-cc
 * @param delayBasedBps      the delay-based (trendline, AIMD) estimate; -1 without transport-cc feedback
 * @param lossBasedBps       the loss-based bound; -1 without transport-cc feedback
 * @param acknowledgedBps    what the peer acknowledged receiving recently; -1 without transport-cc feedback
 * @param rembBps            the latest REMB from the peer, -1 if it never sent one
 * @param sendRateBps        what the node sent to the peer over the last 500 ms, media and padding
 * @param probeResultBps     the highest rate a probe cluster demonstrated, -1 before any
 * @param lossFraction       packets reported lost over the last completed loss window (0..1)
 * @param feedbackRttMicros  smallest recent time from sending a packet to receiving the feedback that
 *                           acknowledged it: the round trip plus how long the peer held the feedback back (up to
 *                           its feedback interval), so an upper bound of the RTT; -1 before any
 * @param usage              the over-use detector's verdict on the path's queue
 * @param transportCc        whether transport-cc was negotiated (else the estimate is REMB only)
 * @param feedbackReports    transport-cc feedback packets received and used
 * @param malformedFeedback  transport-cc and REMB packets that failed to parse and were dropped
 * @param probes             probe clusters started
 */
public record BandwidthStats(long estimateBps, long delayBasedBps, long lossBasedBps, long acknowledgedBps,
                             long rembBps, long sendRateBps, long probeResultBps, double lossFraction,
                             long feedbackRttMicros, BandwidthUsage usage, boolean transportCc, long feedbackReports,
                             long malformedFeedback, long probes) {

    /** Before the connection is on a transport: nothing known. */
    static BandwidthStats none(boolean transportCc) {
        return new BandwidthStats(-1, -1, -1, -1, -1, 0, -1, 0, -1, BandwidthUsage.NORMAL, transportCc, 0, 0, 0);
    }
}
