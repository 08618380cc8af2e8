package io.relaymesh.node.transport;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtcp.TransportCc;
import io.relaymesh.node.rtp.RtpPacket;

/**
 * The node-receives leg of transport-cc: records when each transport-wide sequence number arrived and reports
 * them back to the sender as {@link TransportCc} feedback, which is what lets a browser's own estimator raise its
 * send rate (Chromium only sends its upper simulcast layers once that estimate allows them).
 *
 * <p>Arrivals live in a fixed ring of {@link #WINDOW} slots indexed by the unwrapped sequence number, so recording
 * allocates nothing. {@link #nextFeedback} reports every sequence number from the first not yet reported up to the
 * highest received, at most {@link #MAX_STATUSES} per packet (a 500-status feedback stays under 1200 bytes even
 * with every delta large); missing ones are reported lost. A packet arriving after its number was reported is not
 * reported again. A jump of more than the window (a sender restart) starts over from the new number. Building a
 * feedback packet allocates its arrival array and the packet (a few per 50 ms tick, never per RTP packet).
 */
final class ArrivalFeedback {

    static final int WINDOW = 1 << 13;
    private static final int MASK = WINDOW - 1;
    static final int MAX_STATUSES = 500;

    private final int extensionId;
    private final int senderSsrc;
    private final RtpPacket view = new RtpPacket();
    private final long[] arrivals = new long[WINDOW];
    private final long[] sequences = new long[WINDOW];
    private boolean started;
    private long nextToReport;
    private long highest;
    private int mediaSsrc;
    private int feedbackCount;
    private long recorded;
    private long late;

    ArrivalFeedback(int extensionId, int senderSsrc) {
        this.extensionId = extensionId;
        this.senderSsrc = senderSsrc;
        java.util.Arrays.fill(sequences, -1);
    }

    /** Records the arrival of a decrypted RTP packet (ignored when it carries no transport-wide number). */
    void onRtp(ByteBuf packet, long nowMicros) {
        int at;
        try {
            at = view.wrap(packet).findExtension(extensionId);
        } catch (ProtocolException e) {
            return; // the media handler counts malformed RTP
        }
        if (at < 0 || view.extensionLength(extensionId) != TransportSequenceStamper.SEQUENCE_LENGTH) {
            return;
        }
        mediaSsrc = view.ssrc();
        record(packet.getUnsignedShort(at), nowMicros);
    }

    void record(int sequence, long nowMicros) {
        long seq;
        if (!started) {
            started = true;
            seq = sequence;
            nextToReport = seq;
            highest = seq;
        } else {
            seq = highest + (short) (sequence - (int) (highest & 0xFFFF));
            if (seq - nextToReport >= WINDOW) {
                nextToReport = seq; // far ahead: what lay between is beyond reporting
            }
        }
        if (seq < nextToReport) {
            late++;
            return;
        }
        int slot = (int) (seq & MASK);
        sequences[slot] = seq;
        arrivals[slot] = nowMicros;
        highest = Math.max(highest, seq);
        recorded++;
    }

    /** The next feedback packet to send, or null when everything received has been reported. */
    TransportCc nextFeedback() {
        while (started && nextToReport <= highest) {
            int count = (int) Math.min(highest - nextToReport + 1, MAX_STATUSES);
            long[] window = new long[count];
            boolean any = false;
            for (int i = 0; i < count; i++) {
                long seq = nextToReport + i;
                int slot = (int) (seq & MASK);
                window[i] = sequences[slot] == seq ? arrivals[slot] : -1;
                any |= window[i] >= 0;
            }
            long base = nextToReport;
            nextToReport += count;
            if (!any) {
                continue; // a stretch of losses longer than one packet's worth: nothing to time them against
            }
            try {
                return TransportCc.forArrivals(senderSsrc, mediaSsrc, (int) (base & 0xFFFF),
                        feedbackCount++ & 0xFF, window);
            } catch (IllegalArgumentException e) {
                // two arrivals more than 8 s apart within one window: the sender's history is stale anyway
                feedbackCount--;
            }
        }
        return null;
    }

    /** Transport-wide numbers recorded. */
    long recorded() {
        return recorded;
    }

    /** Packets that arrived after their number had been reported (lost). */
    long late() {
        return late;
    }
}
