package io.relaymesh.node.rtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.bwe.BandwidthUsage;
import io.relaymesh.node.bwe.BweConfig;
import io.relaymesh.node.bwe.SendSideEstimator;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtcp.ChromiumCapture.Chunk;
import io.relaymesh.node.rtcp.ChromiumCapture.Fate;
import io.relaymesh.node.rtcp.ChromiumCapture.Feedback;
import io.relaymesh.node.rtcp.ChromiumCapture.Sent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LongSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link TransportCc} against feedback a real Chromium viewer wrote ({@link ChromiumCapture}): every packet parses,
 * agrees with what happened to the RTP packets it reports, writes back as Chromium wrote it (or differs only where
 * libwebrtc's encoder chooses otherwise, explained below), is rejected when cut short, and drives the send-side
 * estimator to a sane estimate.
 */
class ChromiumTransportCcTest {

    /** libwebrtc's RTCP sender SSRC of an endpoint that only receives (it has no SSRC of its own to send from). */
    private static final int RECEIVE_ONLY_SSRC = 0xFA17FA17;
    private static final int PADDING_BIT = 0x20;

    static Stream<Feedback> vectors() {
        return ChromiumCapture.FEEDBACK_PACKETS.stream();
    }

    @Test
    void theCaptureCoversEveryEncodingChoice() throws ProtocolException {
        List<Feedback> all = ChromiumCapture.FEEDBACK_PACKETS;
        assertThat(all).hasSizeGreaterThanOrEqualTo(20);
        assertThat(all).extracting(Feedback::window).contains("start", "steady");
        Map<String, Integer> seen = new HashMap<>();
        for (Feedback f : all) {
            for (Chunk c : ChromiumCapture.chunks(f.bytes())) {
                seen.merge(c.kind() == Chunk.Kind.RUN ? "run of symbol " + c.symbol(0) : c.kind().name(), 1,
                        Integer::sum);
            }
            seen.merge((f.bytes()[0] & PADDING_BIT) != 0 ? "padding bit" : "no padding", 1, Integer::sum);
            TransportCc cc = TransportCc.parse(Unpooled.wrappedBuffer(f.bytes()));
            for (int i = 0; i < cc.packetStatusCount(); i++) {
                if (cc.status(i) == TransportCc.LARGE_DELTA) {
                    seen.merge(cc.deltaMicros(i) < 0 ? "negative large delta" : "positive large delta", 1,
                            Integer::sum);
                }
            }
        }
        assertThat(seen).as("what the captured packets contain").containsKeys("run of symbol " + TransportCc.SMALL_DELTA,
                "run of symbol " + TransportCc.NOT_RECEIVED, "ONE_BIT_VECTOR", "TWO_BIT_VECTOR", "padding bit",
                "no padding", "negative large delta", "positive large delta");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void parsesAtAnOffsetIntoTheStatusesItsChunksSay(Feedback f) throws ProtocolException {
        ByteBuf buf = Unpooled.buffer();
        buf.writeZero(5).writeBytes(f.bytes());
        TransportCc cc = TransportCc.parse(buf, 5);

        assertThat(cc.senderSsrc()).isEqualTo(RECEIVE_ONLY_SSRC);
        int i = 0;
        int deltaBytes = 0;
        for (Chunk chunk : ChromiumCapture.chunks(f.bytes())) {
            for (int k = 0; k < chunk.statuses(); k++, i++) {
                assertThat(cc.status(i)).as("status %d", i).isEqualTo(chunk.symbol(k));
                deltaBytes += chunk.symbol(k); // a symbol's value is its delta's size in bytes
            }
        }
        assertThat(i).isEqualTo(cc.packetStatusCount());
        int chunkBytes = 2 * ChromiumCapture.chunks(f.bytes()).size();
        int padding = (f.bytes()[0] & PADDING_BIT) != 0 ? f.bytes()[f.bytes().length - 1]
                : (4 - (20 + chunkBytes + deltaBytes) % 4) % 4;
        assertThat(20 + chunkBytes + deltaBytes + padding).as("header, chunks, deltas and padding")
                .isEqualTo(f.bytes().length);
        for (int s = 0; s < cc.packetStatusCount(); s++) {
            long delta = cc.deltaMicros(s);
            switch (cc.status(s)) {
                case TransportCc.NOT_RECEIVED -> assertThat(delta).isZero();
                case TransportCc.SMALL_DELTA -> assertThat(delta).isBetween(0L, 255 * 250L);
                default -> assertThat(delta < 0 || delta > 255 * 250L)
                        .as("large delta %d µs is one a byte cannot hold", delta).isTrue();
            }
        }
    }

    /**
     * Each reported packet was sent, and its status is what the relay did to it: dropped packets are not received;
     * delivered ones are, unless they repeat an RTP packet the viewer already had (its SRTP replay check discards
     * those before its feedback sees them). Held packets are reported lost until they arrive.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void statusesAgreeWithWhatHappenedToEachPacket(Feedback f) throws ProtocolException {
        TransportCc cc = TransportCc.parse(Unpooled.wrappedBuffer(f.bytes()));
        for (int i = 0; i < cc.packetStatusCount(); i++) {
            int sequence = (cc.baseSequence() + i) & 0xFFFF;
            Sent sent = ChromiumCapture.SENT_BY_SEQUENCE.get(sequence);
            assertThat(sent).as("packet %d was sent", sequence).isNotNull();
            assertThat(sent.sentMicros()).as("sent before the feedback about it").isLessThan(f.receivedMicros());
            if (sent.fate() == Fate.DROPPED || ChromiumCapture.REPEATS.contains(sequence)) {
                assertThat(cc.received(i)).as("packet %d (%s)", sequence, sent).isFalse();
            } else if (sent.fate() == Fate.DELIVERED) {
                assertThat(cc.received(i)).as("packet %d (%s)", sequence, sent).isTrue();
            }
        }
    }

    /**
     * The reference time (64 ms units) and the deltas (250 µs) place each arrival on Chromium's clock. The node
     * received each feedback some tens of ms after the last arrival it reports, over the whole 24 s capture: a wrong
     * unit or a lost sign would drift by seconds.
     */
    @Test
    void arrivalsKeepStepWithTheNodesClock() throws ProtocolException {
        LongSummaryStatistics lag = new LongSummaryStatistics();
        for (Feedback f : ChromiumCapture.FEEDBACK_PACKETS) {
            long[] arrivals = TransportCcTest.arrivalsOf(TransportCc.parse(Unpooled.wrappedBuffer(f.bytes())));
            long last = Arrays.stream(arrivals).max().orElseThrow();
            lag.accept(f.receivedMicros() - last);
        }
        assertThat(lag.getMax() - lag.getMin()).as("feedback lag behind its last arrival, µs: %s", lag)
                .isLessThan(250_000);
    }

    /** A packet reported again (after a late one moved Chromium's window back) has the same arrival time. */
    @Test
    void packetsReportedTwiceArriveAtTheSameTime() throws ProtocolException {
        Map<Integer, Long> arrivals = new HashMap<>();
        int twice = 0;
        for (Feedback f : ChromiumCapture.FEEDBACK_PACKETS) {
            TransportCc cc = TransportCc.parse(Unpooled.wrappedBuffer(f.bytes()));
            long[] at = TransportCcTest.arrivalsOf(cc);
            for (int i = 0; i < at.length; i++) {
                if (at[i] < 0) {
                    continue;
                }
                Long before = arrivals.put((cc.baseSequence() + i) & 0xFFFF, at[i]);
                if (before != null) {
                    twice++;
                    assertThat(at[i]).as("%s packet %d", f, cc.baseSequence() + i)
                            .isCloseTo(before, org.assertj.core.data.Offset.offset(TransportCc.DELTA_TICK_MICROS));
                }
            }
        }
        assertThat(twice).as("packets reported twice").isPositive();
    }

    /**
     * A packet the relay held back arrived that much later than the packet sent after it: large deltas, positive
     * and negative, carry the right size and sign.
     */
    @Test
    void heldPacketsArriveAsLateAsTheyWereHeld() throws ProtocolException {
        Map<Integer, Long> arrivals = new HashMap<>();
        for (Feedback f : ChromiumCapture.FEEDBACK_PACKETS) {
            TransportCc cc = TransportCc.parse(Unpooled.wrappedBuffer(f.bytes()));
            long[] at = TransportCcTest.arrivalsOf(cc);
            for (int i = 0; i < at.length; i++) {
                if (at[i] >= 0) {
                    arrivals.put((cc.baseSequence() + i) & 0xFFFF, at[i]);
                }
            }
        }
        int checked = 0;
        for (Sent held : ChromiumCapture.SENT_BY_SEQUENCE.values()) {
            Sent next = ChromiumCapture.SENT_BY_SEQUENCE.get((held.transportSequence() + 1) & 0xFFFF);
            if (held.fate() != Fate.HELD || next == null || next.fate() != Fate.DELIVERED
                    || !arrivals.containsKey(held.transportSequence()) || !arrivals.containsKey(next.transportSequence())) {
                continue;
            }
            long expected = held.heldMicros() - (next.sentMicros() - held.sentMicros());
            assertThat(arrivals.get(held.transportSequence()) - arrivals.get(next.transportSequence()))
                    .as("packet %d held %d µs", held.transportSequence(), held.heldMicros())
                    .isCloseTo(expected, org.assertj.core.data.Offset.offset(20_000L));
            checked++;
        }
        assertThat(checked).as("held packets with a delivered successor").isGreaterThanOrEqualTo(3);
    }

    @Test
    void feedbackPacketCountsRunOnWithinAWindow() throws ProtocolException {
        Feedback previous = null;
        int previousCount = -1;
        for (Feedback f : ChromiumCapture.FEEDBACK_PACKETS) {
            int count = TransportCc.parse(Unpooled.wrappedBuffer(f.bytes())).feedbackPacketCount();
            if (previous != null && previous.window().equals(f.window())) {
                assertThat(count).as("%s after %s", f, previous).isEqualTo((previousCount + 1) & 0xFF);
            }
            previous = f;
            previousCount = count;
        }
    }

    /**
     * Written back, each packet is Chromium's bytes except in two ways libwebrtc encodes differently from us:
     * <ul>
     *   <li>it pads to 32 bits with the RTP way (padding bit set, the last byte counting the padding bytes) where
     *       we write zero bytes without the bit (RFC 3550 allows both; each parser reads both);</li>
     *   <li>it writes the last chunk, when it covers at most 7 mixed statuses, as a 2-bit vector even when they all
     *       fit 1 bit; we write the 1-bit vector (same two bytes, same statuses).</li>
     * </ul>
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void writesBackAsChromiumWroteItUpToPaddingStyleAndTheLastChunk(Feedback f) throws ProtocolException {
        TransportCc cc = TransportCc.parse(Unpooled.wrappedBuffer(f.bytes()));
        ByteBuf out = Unpooled.buffer();
        out.writeZero(3);
        cc.writeTo(out);
        byte[] ours = ByteBufUtil.getBytes(out, 3, out.readableBytes() - 3);
        assertThat(ours.length).isEqualTo(cc.encodedLength()).isEqualTo(f.bytes().length);
        assertThat(TransportCc.parse(Unpooled.wrappedBuffer(ours))).isEqualTo(cc);

        byte[] theirs = withZeroPadding(f.bytes());
        List<Chunk> theirChunks = ChromiumCapture.chunks(theirs);
        List<Chunk> ourChunks = ChromiumCapture.chunks(ours);
        if (!Arrays.equals(ours, theirs)) {
            Chunk theirLast = theirChunks.getLast();
            Chunk ourLast = ourChunks.getLast();
            assertThat(theirLast.kind()).as("Chromium's last chunk").isEqualTo(Chunk.Kind.TWO_BIT_VECTOR);
            assertThat(theirLast.statuses()).isLessThanOrEqualTo(7);
            assertThat(ourLast.kind()).as("our last chunk").isEqualTo(Chunk.Kind.ONE_BIT_VECTOR);
            assertThat(ourLast.statuses()).isEqualTo(theirLast.statuses());
            assertThat(ourChunks.subList(0, ourChunks.size() - 1))
                    .isEqualTo(theirChunks.subList(0, theirChunks.size() - 1));
            int lastAt = 20 + 2 * (theirChunks.size() - 1);
            byte[] sameButLast = theirs.clone();
            sameButLast[lastAt] = ours[lastAt];
            sameButLast[lastAt + 1] = ours[lastAt + 1];
            assertThat(ours).as("only the last chunk differs").isEqualTo(sameButLast);
        }
    }

    @Test
    void mostPacketsWriteBackByteForByte() throws ProtocolException {
        int identical = 0;
        int exact = 0;
        for (Feedback f : ChromiumCapture.FEEDBACK_PACKETS) {
            ByteBuf out = Unpooled.buffer();
            TransportCc.parse(Unpooled.wrappedBuffer(f.bytes())).writeTo(out);
            byte[] ours = ByteBufUtil.getBytes(out);
            identical += Arrays.equals(ours, withZeroPadding(f.bytes())) ? 1 : 0;
            exact += Arrays.equals(ours, f.bytes()) ? 1 : 0;
        }
        int all = ChromiumCapture.FEEDBACK_PACKETS.size();
        assertThat(identical).as("identical up to the padding style, of %d", all).isGreaterThan(all * 3 / 4);
        assertThat(exact).as("identical byte for byte (no padding needed), of %d", all).isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void everyTruncationIsRejectedWithAReason(Feedback f) {
        byte[] bytes = f.bytes();
        for (int length = 0; length < bytes.length; length++) {
            ByteBuf cut = Unpooled.wrappedBuffer(bytes, 0, length);
            assertThatThrownBy(() -> TransportCc.parse(cut)).as("%d of %d bytes", length, bytes.length)
                    .isInstanceOf(ProtocolException.class)
                    .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
        }
        for (int words = 0; words < bytes.length / 4 - 1; words++) {
            byte[] shorter = bytes.clone();
            shorter[2] = (byte) (words >>> 8);
            shorter[3] = (byte) words;
            assertThatThrownBy(() -> TransportCc.parse(Unpooled.wrappedBuffer(shorter)))
                    .as("length field %d words", words).isInstanceOf(ProtocolException.class)
                    .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
        }
    }

    /**
     * The steady window (clean loopback) fed to the estimator as the node would: each packet registered when it was
     * sent, each feedback when it arrived. What the receiver acknowledged matches what the relay delivered, nothing
     * is lost or overusing, and the target stays within the configured bounds.
     */
    @Test
    void steadyStateFeedbackGivesASaneEstimate() throws ProtocolException {
        SendSideEstimator estimator = new SendSideEstimator(BweConfig.DEFAULT);
        List<Feedback> steady = ChromiumCapture.window("steady");
        List<Sent> sends = new ArrayList<>(ChromiumCapture.SENT_BY_SEQUENCE.values().stream()
                .filter(s -> s.window().equals("steady"))
                .sorted(java.util.Comparator.comparingLong(Sent::sentMicros))
                .toList());
        assertThat(sends).extracting(Sent::fate).containsOnly(Fate.DELIVERED);
        int next = 0;
        long firstSend = sends.getFirst().sentMicros();
        for (Feedback f : steady) {
            while (next < sends.size() && sends.get(next).sentMicros() < f.receivedMicros()) {
                Sent s = sends.get(next++);
                estimator.onPacketSent(s.transportSequence(), s.bytes(), s.sentMicros());
            }
            estimator.onFeedback(TransportCc.parse(Unpooled.wrappedBuffer(f.bytes())), f.receivedMicros());
        }
        long bytes = sends.stream().mapToLong(Sent::bytes).sum();
        double sentBps = bytes * 8e6 / (sends.getLast().sentMicros() - firstSend);

        assertThat(estimator.usage()).isEqualTo(BandwidthUsage.NORMAL);
        assertThat(estimator.lossFraction()).isZero();
        assertThat((double) estimator.acknowledgedBitrate()).as("acknowledged vs %.0f bps sent", sentBps)
                .isBetween(sentBps * 0.7, sentBps * 1.3);
        assertThat(estimator.targetBitrate()).isBetween(BweConfig.DEFAULT.minBitrate(), BweConfig.DEFAULT.maxBitrate());
        assertThat(estimator.targetBitrate()).as("no congestion: not below where it started")
                .isGreaterThanOrEqualTo(BweConfig.DEFAULT.initialBitrate());
        assertThat(estimator.lastAcknowledgedSendMicros()).isEqualTo(sends.getLast().sentMicros());
    }

    /** Chromium's padding (bit set, count in the last byte) rewritten as ours: zero bytes, bit clear. */
    private static byte[] withZeroPadding(byte[] packet) {
        byte[] out = packet.clone();
        if ((out[0] & PADDING_BIT) != 0) {
            int padding = out[out.length - 1];
            out[0] &= (byte) ~PADDING_BIT;
            Arrays.fill(out, out.length - padding, out.length, (byte) 0);
        }
        return out;
    }
}
