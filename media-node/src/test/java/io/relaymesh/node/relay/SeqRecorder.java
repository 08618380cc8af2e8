package io.relaymesh.node.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.rtp.RtpPacket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records the (rewritten) sequence numbers of the packets of one payload type a test viewer receives (-1 for a
 * packet that does not parse), and releases every packet. Thread-safe: viewers call it on their event loop.
 */
final class SeqRecorder {

    final List<Integer> seqs = new CopyOnWriteArrayList<>();
    private final int payloadType;

    SeqRecorder(int payloadType) {
        this.payloadType = payloadType;
    }

    void accept(ByteBuf packet) {
        try {
            RtpPacket rtp = new RtpPacket().wrap(packet);
            if (rtp.payloadType() == payloadType) {
                seqs.add(rtp.sequenceNumber());
            }
        } catch (Exception e) {
            seqs.add(-1);
        } finally {
            packet.release();
        }
    }

    /** Every recorded sequence number follows the one before (mod 2^16): nothing lost, nothing repeated. */
    void assertContinuous() {
        for (int i = 1; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).as("sequence number %d of %d", i, seqs.size())
                    .isEqualTo((seqs.get(i - 1) + 1) & 0xFFFF);
        }
    }
}
