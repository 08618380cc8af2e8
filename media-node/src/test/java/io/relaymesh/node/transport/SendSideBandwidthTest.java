package io.relaymesh.node.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.bwe.BandwidthUsage;
import io.relaymesh.node.bwe.BweConfig;
import io.relaymesh.node.rtcp.Remb;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The node-sends leg against a simulated viewer ({@link Loopback}): estimate, probing, REMB, bad feedback. */
class SendSideBandwidthTest {

    @Test
    void probingLiftsTheEstimateOfAnApplicationLimitedSenderOnACleanLink() {
        try (Loopback link = new Loopback(true)) {
            link.capacityBps = 10_000_000;
            link.mediaBps = 300_000;
            link.run(20_000_000);
            BandwidthStats stats = link.node.stats(link.now * 1000);
            System.out.println("clean, app limited: " + stats + ", padding " + link.paddingBytes);
            // without probes the delay-based rate could not pass 1.5 x what was acknowledged (~460 kbps)
            assertThat(stats.estimateBps()).isBetween(2_000_000L, link.capacityBps);
            assertThat(stats.probes()).isGreaterThanOrEqualTo(3);
            assertThat(stats.probeResultBps()).isGreaterThan(1_000_000);
            assertThat(link.paddingBytes).isPositive();
            assertThat(link.node.pacingEstimateBps()).as("a clean path: not paced").isEqualTo(-1);
            assertThat(stats.lossFraction()).isZero();
            assertThat(stats.feedbackRttMicros()).isBetween(2 * Loopback.ONE_WAY_MICROS,
                    2 * Loopback.ONE_WAY_MICROS + Loopback.FEEDBACK_MICROS + 10_000);
            assertThat(link.dropped).isZero();
        }
    }

    /**
     * A viewer held on a 600 kbit/s layer whose top layer needs about 3 Mbit/s, on a clean link: the node asks for
     * probe padding on its pacing timer, which on a loaded machine fires up to 10 ms late. Probes must still read
     * what they sent and the estimate reach the top layer's rate within two seconds. (When a cluster ended at a
     * byte count and its send rate was read over all its bytes, a cluster of a few bursts read as 0.5-0.75 of its
     * rate: the estimate stalled at 2 Mbit/s until the next interval, and at 1.4-1.6 Mbit/s for good when asked
     * every 20 ms.)
     */
    @Test
    void probesSentOnTheLatePacingTimerStillLiftTheEstimateToWhatTheViewerWants() {
        for (long late : new long[] {0, 5_000, 10_000}) {
            try (Loopback link = new Loopback(true)) {
                link.capacityBps = 10_000_000;
                link.mediaBps = 600_000;
                link.desiredBps = 3_000_000;
                link.paddingEveryMicros = Pacer.INTERVAL_NANOS / 1000;
                link.paddingLateMicros = late;
                link.run(2_000_000);
                BandwidthStats stats = link.node.stats(link.now * 1000);
                System.out.println("probing on the pacing timer, up to " + late + " µs late: " + stats);
                assertThat(stats.estimateBps()).as("up to %d µs late", late).isGreaterThanOrEqualTo(3_000_000);
                assertThat(link.dropped).isZero();
            }
        }
    }

    /**
     * A viewer whose best layers need 1 Mbit/s, on a clean 10 Mbit/s link: probing lifts the estimate to room for
     * them and stops there instead of probing on towards the link's capacity (where it would only find its queue).
     */
    @Test
    void aViewerThatWantsOneMegabitIsNotProbedTowardsTheLinksCapacity() {
        try (Loopback link = new Loopback(true)) {
            link.capacityBps = 10_000_000;
            link.mediaBps = 400_000;
            link.desiredBps = 1_000_000;
            link.paddingEveryMicros = Pacer.INTERVAL_NANOS / 1000;
            link.run(3_000_000);
            long reached = link.node.estimateBps();
            long probes = link.node.stats(link.now * 1000).probes();
            link.run(10_000_000);
            BandwidthStats stats = link.node.stats(link.now * 1000);
            System.out.println("wants 1 Mbit/s: " + stats + ", padding " + link.paddingBytes);
            assertThat(reached).as("room for the layers within 3 s").isGreaterThanOrEqualTo(1_150_000);
            assertThat(stats.probeResultBps()).as("never probed above twice what it wants (2 Mbit/s, as measured)")
                    .isLessThan(2_200_000);
            assertThat(stats.probes()).as("no probing once there is room").isEqualTo(probes);
        }
    }

    @Test
    void theEstimateRisesOnACleanLinkAndFallsWhenTheBottleneckNarrows() {
        try (Loopback link = new Loopback(true)) {
            link.followEstimate = true;
            link.maxMediaBps = 4_000_000;
            link.capacityBps = 10_000_000;
            link.run(20_000_000);
            long clean = link.node.estimateBps();
            System.out.println("clean, filling: " + link.node.stats(link.now * 1000));
            assertThat(clean).isGreaterThan(2 * BweConfig.DEFAULT.initialBitrate());

            link.capacityBps = 800_000;
            link.run(15_000_000);
            BandwidthStats congested = link.node.stats(link.now * 1000);
            System.out.println("congested: " + congested + ", dropped " + link.dropped);
            assertThat(congested.estimateBps()).isLessThan(1_200_000).isLessThan(clean);
            assertThat(congested.estimateBps()).isGreaterThanOrEqualTo(BweConfig.DEFAULT.minBitrate());
        }
    }

    @Test
    void randomLossBringsTheEstimateDown() {
        try (Loopback link = new Loopback(true)) {
            link.followEstimate = true;
            link.capacityBps = 10_000_000;
            link.run(10_000_000);
            long before = link.node.estimateBps();
            link.loss = 0.2;
            link.run(10_000_000);
            BandwidthStats stats = link.node.stats(link.now * 1000);
            System.out.println("lossy: " + stats);
            assertThat(stats.lossFraction()).isGreaterThan(0.1);
            assertThat(stats.lossBasedBps()).isLessThan(before / 2);
            assertThat(stats.estimateBps()).isLessThan(before / 2);
        }
    }

    @Test
    void rembBoundsTheTransportCcEstimate() {
        try (Loopback link = new Loopback(true)) {
            link.run(5_000_000);
            assertThat(link.node.estimateBps()).isGreaterThan(250_000);
            assertThat(link.deliverRtcp(remb(250_000))).isZero();
            assertThat(link.node.estimateBps()).isEqualTo(250_000);
            link.run(5_000_000);
            assertThat(link.node.estimateBps()).isEqualTo(250_000);
            assertThat(link.node.stats(link.now * 1000).rembBps()).isEqualTo(250_000);
        }
    }

    @Test
    void withoutTransportCcTheEstimateIsRembAlone() {
        try (Loopback link = new Loopback(false)) {
            link.run(2_000_000);
            assertThat(link.node.estimateBps()).isEqualTo(-1);
            assertThat(link.node.paddingWantedBytes(link.now * 1000)).isZero();
            link.deliverRtcp(remb(1_500_000));
            assertThat(link.node.estimateBps()).isEqualTo(1_500_000);
            link.run(2_000_000);
            BandwidthStats stats = link.node.stats(link.now * 1000);
            assertThat(stats.transportCc()).isFalse();
            assertThat(stats.feedbackReports()).isZero();
            assertThat(stats.delayBasedBps()).isEqualTo(-1);
            assertThat(link.viewer.recorded()).isZero(); // nothing was stamped
        }
    }

    @Test
    void theEstimateIsPacedAtOnlyOnceThePathHasShownCongestion() {
        try (Loopback link = new Loopback(true)) {
            link.capacityBps = 10_000_000;
            link.mediaBps = 300_000; // fills the start estimate: not application limited, no probe
            link.run(2_000_000);
            assertThat(link.node.estimateBps()).as("an estimate from feedback").isPositive();
            assertThat(link.node.stats(link.now * 1000).probes()).isZero();
            assertThat(link.node.pacingEstimateBps()).as("no congestion yet: not paced").isEqualTo(-1);

            link.capacityBps = 150_000; // the path narrows: over-use and loss are evidence
            link.run(3_000_000);
            assertThat(link.node.pacingEstimateBps()).isEqualTo(link.node.estimateBps())
                    .isLessThan(BweConfig.DEFAULT.initialBitrate());
        }
    }

    @Test
    void noEstimateBeforeTheFirstFeedback() {
        try (Loopback link = new Loopback(true)) {
            assertThat(link.node.estimateBps()).isEqualTo(-1);
            assertThat(link.node.stats(0).usage()).isEqualTo(BandwidthUsage.NORMAL);
        }
    }

    @Test
    void malformedFeedbackIsCountedAndDroppedWhileTheRestOfTheCompoundIsUsed() {
        try (Loopback link = new Loopback(true)) {
            link.run(3_000_000);
            long estimate = link.node.estimateBps();
            // transport-cc with packet status count 0, then a valid REMB
            ByteBuf compound = Unpooled.buffer();
            compound.writeZero(9).readerIndex(9);
            compound.writeByte(0x80 | 15).writeByte(205).writeShort(4)
                    .writeInt(1).writeInt(2).writeShort(10).writeShort(0).writeInt(0x000001_00);
            Remb valid = new Remb(1, 5_000_000, List.of(2));
            valid.writeTo(compound);
            assertThat(link.deliverRtcp(compound)).isEqualTo(1);
            assertThat(link.node.stats(link.now * 1000).rembBps()).isEqualTo(valid.encodedBitrate());
            // a compound whose second header overruns it: the walk stops, counted once
            ByteBuf overrun = Unpooled.buffer();
            overrun.writeByte(0x80).writeByte(201).writeShort(1).writeInt(3);
            overrun.writeByte(0x80 | 15).writeByte(205).writeShort(40).writeInt(1);
            assertThat(link.deliverRtcp(overrun)).isEqualTo(1);
            // truncated REMB: its identifier is there, its SSRC list is not
            ByteBuf truncatedRemb = Unpooled.buffer();
            new Remb(1, 100_000, List.of(2, 3)).writeTo(truncatedRemb);
            truncatedRemb.setByte(16, 9); // claims 9 SSRCs
            assertThat(link.deliverRtcp(truncatedRemb)).isEqualTo(1);
            assertThat(link.node.stats(link.now * 1000).malformedFeedback()).isEqualTo(3);
            link.run(3_000_000);
            assertThat(link.node.estimateBps()).isGreaterThanOrEqualTo(estimate);
            assertThat(link.node.stats(link.now * 1000).feedbackReports()).isGreaterThan(100);
        }
    }

    private static ByteBuf remb(long bitrate) {
        Remb remb = new Remb(1, bitrate, List.of(2));
        ByteBuf out = Unpooled.buffer();
        out.writeZero(4).readerIndex(4);
        remb.writeTo(out);
        return out;
    }
}
