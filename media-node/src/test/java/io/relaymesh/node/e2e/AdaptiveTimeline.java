package io.relaymesh.node.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What {@code AdaptiveIT} records every 500 ms while it waits: the shaped viewer's picture and bitrate as its
 * browser reports them, the node's view of that viewer's session (estimate, selected layer) and the unconstrained
 * viewer's picture. All Playwright calls stay on the test thread (Playwright is not thread-safe), so every wait of
 * the test samples through {@link #until} or {@link #recordFor}.
 */
final class AdaptiveTimeline {

    /** One row of the CSV. Unknown numbers are -1 (e.g. the node does not report an estimate yet). */
    record Sample(double seconds, long limitBps, long estimateBps, int spatial, int temporal, int targetSpatial,
                  double shapedKbps, int shapedWidth, double shapedFramesDecoded, double shapedFreezes,
                  int openWidth, double openFramesDecoded, int publisherLayersSending, double publisherAvailableKbps,
                  String publisherLimitation, int publisherTopWidth, int publisherBottomWidth, int layers,
                  long openEstimateBps, int openSpatial, int openTargetSpatial, long delayBasedBps, long lossBasedBps,
                  long acknowledgedBps, long sendRateBps, double feedbackLoss, long pacerQueuedBytes,
                  double pacerLongestWaitMs, long probes, String usage) {

        /**
         * Width of the bottom layer as the publisher encodes it: its smallest simulcast layer, or for one scalable
         * encoding the top width halved per spatial layer the node reports; -1 while unknown.
         */
        int bottomWidth() {
            if (publisherBottomWidth > 0) {
                return publisherBottomWidth;
            }
            return layers > 0 && publisherTopWidth > 0 ? publisherTopWidth >> (layers - 1) : -1;
        }

        static final String HEADER = "seconds,limit_bps,estimate_bps,spatial,temporal,target_spatial,"
                + "shaped_inbound_kbps,shaped_frame_width,shaped_frames_decoded,shaped_freeze_count,"
                + "open_frame_width,open_frames_decoded,publisher_layers_sending,publisher_available_kbps,"
                + "publisher_limitation,publisher_top_width,publisher_bottom_width,layers,open_estimate_bps,open_spatial,"
                + "open_target_spatial,delay_based_bps,loss_based_bps,acknowledged_bps,send_rate_bps,feedback_loss,"
                + "pacer_queued_bytes,pacer_longest_wait_ms,probes,usage";

        String csv() {
            return String.format(Locale.ROOT, "%.1f,%d,%d,%d,%d,%d,%.1f,%d,%.0f,%.0f,%d,%.0f,%d,%.0f,%s,%d,%d,%d,%d,%d,%d,"
                    + "%d,%d,%d,%d,%.3f,%d,%.1f,%d,%s",
                    seconds, limitBps, estimateBps, spatial, temporal, targetSpatial, shapedKbps, shapedWidth,
                    shapedFramesDecoded, shapedFreezes, openWidth, openFramesDecoded, publisherLayersSending,
                    publisherAvailableKbps, publisherLimitation, publisherTopWidth, publisherBottomWidth, layers,
                    openEstimateBps, openSpatial, openTargetSpatial, delayBasedBps, lossBasedBps, acknowledgedBps,
                    sendRateBps, feedbackLoss, pacerQueuedBytes, pacerLongestWaitMs, probes, usage);
        }
    }

    private static final Duration PERIOD = Duration.ofMillis(500);

    private final SamplePage publisher;
    private final SamplePage open;
    private final SamplePage shaped;
    private final ShapedLink link;
    private final String shapedResource;
    private final String shapedToken;
    private final String openResource;
    private final String openToken;
    private final long startNanos = System.nanoTime();
    private final List<Sample> samples = new ArrayList<>();
    private Map<String, Object> lastNodeStats = Map.of();
    private Map<String, Object> lastOpenStats = Map.of();
    private double lastBytes = -1;
    private double lastSeconds;

    AdaptiveTimeline(SamplePage publisher, SamplePage open, SamplePage shaped, ShapedLink link) {
        this.publisher = publisher;
        this.open = open;
        this.shaped = shaped;
        this.link = link;
        this.shapedResource = shaped.resourcePath();
        this.shapedToken = shaped.token();
        this.openResource = open.resourcePath();
        this.openToken = open.token();
    }

    /** Takes one sample now. */
    Sample sample() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Object> s = shaped.stats();
        Map<String, Object> o = open.stats();
        Map<String, Object> p = publisher.stats();
        lastNodeStats = nodeStats(shapedResource, shapedToken);
        Map<String, Object> video = videoTrack(lastNodeStats);
        lastOpenStats = nodeStats(openResource, openToken);
        Map<String, Object> openVideo = videoTrack(lastOpenStats);
        @SuppressWarnings("unchecked")
        Map<String, Object> bandwidth = lastNodeStats.get("bandwidth") instanceof Map<?, ?> m
                ? (Map<String, Object>) m : Map.of();

        double bytes = SamplePage.number(s, "in-video", "bytesReceived");
        // A stats call that came back without the inbound stream reads as 0 bytes: count nothing for that interval.
        double kbps = lastBytes < 0 || bytes < lastBytes || seconds <= lastSeconds
                ? 0 : (bytes - lastBytes) * 8 / 1000 / (seconds - lastSeconds);
        lastBytes = bytes;
        lastSeconds = seconds;
        Sample sample = new Sample(seconds, link.limitBitsPerSecond(), (long) num(lastNodeStats, "estimateBps"),
                (int) num(video, "spatial"), (int) num(video, "temporal"), (int) num(video, "targetSpatial"), kbps,
                (int) SamplePage.number(s, "in-video", "frameWidth"), SamplePage.number(s, "in-video", "framesDecoded"),
                SamplePage.number(s, "in-video", "freezeCount"), (int) SamplePage.number(o, "in-video", "frameWidth"),
                SamplePage.number(o, "in-video", "framesDecoded"), layersSending(p),
                p.get("availableOutgoingBitrate") instanceof Number n ? n.doubleValue() / 1000 : -1,
                SamplePage.text(p, "out-video", "qualityLimitationReason"), topWidth(p), bottomWidth(p),
                (int) num(video, "layers"), (long) num(lastOpenStats, "estimateBps"), (int) num(openVideo, "spatial"),
                (int) num(openVideo, "targetSpatial"), (long) num(bandwidth, "delayBasedBps"),
                (long) num(bandwidth, "lossBasedBps"), (long) num(bandwidth, "acknowledgedBps"),
                (long) num(bandwidth, "sendRateBps"), num(bandwidth, "feedbackLoss"),
                (long) num(bandwidth, "pacerQueuedBytes"), num(bandwidth, "pacerLongestWaitMs"),
                (long) num(bandwidth, "probes"), bandwidth.get("usage") instanceof String u ? u : "");
        samples.add(sample);
        return sample;
    }

    /** Samples every 500 ms until {@code condition} holds for a sample; fails after {@code atMost} with the last one. */
    Sample until(String what, Duration atMost, Predicate<Sample> condition) {
        try {
            await(what).atMost(atMost).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(PERIOD)
                    .until(() -> condition.test(sample()));
            return last();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + " within " + atMost.toSeconds() + " s; last sample " + last()
                    + "; node's stats of C " + lastNodeStats + "; of U " + lastOpenStats, e);
        }
    }

    /** Samples every 500 ms for {@code duration}; returns the samples of that window. */
    List<Sample> recordFor(Duration duration) {
        int from = samples.size();
        long end = System.nanoTime() + duration.toNanos();
        await("recording").atMost(duration.plusSeconds(30)).pollInSameThread().pollDelay(Duration.ZERO)
                .pollInterval(PERIOD).until(() -> {
                    sample();
                    return System.nanoTime() >= end;
                });
        return List.copyOf(samples.subList(from, samples.size()));
    }

    Sample last() {
        return samples.isEmpty() ? null : samples.get(samples.size() - 1);
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    Map<String, Object> lastNodeStats() {
        return lastNodeStats;
    }

    void writeCsv(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        StringBuilder sb = new StringBuilder(Sample.HEADER).append('\n');
        for (Sample s : samples) {
            sb.append(s.csv()).append('\n');
        }
        Files.writeString(file, sb);
    }

    /** A viewer's stats as the node reports them, fetched from the unconstrained viewer's page (not behind the link). */
    private Map<String, Object> nodeStats(String resource, String token) {
        return open.nodeStats(resource, token);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> videoTrack(Map<String, Object> nodeStats) {
        if (nodeStats.get("tracks") instanceof List<?> tracks) {
            for (Object t : tracks) {
                if (t instanceof Map<?, ?> m && "video".equals(m.get("kind"))) {
                    return (Map<String, Object>) m;
                }
            }
        }
        return Map.of();
    }

    private static double num(Map<String, Object> map, String key) {
        return map.get(key) instanceof Number n ? n.doubleValue() : -1;
    }

    /**
     * Width of the largest picture the publisher encodes now: its top simulcast layer, or the single encoding (for
     * SVC, the top spatial layer). The top layer's resolution is what the encoder makes of 1280x720, which it may
     * lower on its own (Chromium's H264 simulcast top layer was seen at 960 wide on this machine).
     */
    static int topWidth(Map<String, Object> publisherStats) {
        int top = (int) SamplePage.number(publisherStats, "out-video", "frameWidth");
        if (publisherStats.get("out-video-layers") instanceof List<?> layers) {
            for (Object l : layers) {
                if (l instanceof Map<?, ?> m && m.get("frameWidth") instanceof Number n) {
                    top = Math.max(top, n.intValue());
                }
            }
        }
        return top;
    }

    /** Width of the smallest simulcast layer the publisher encodes now; -1 for a single encoding. */
    static int bottomWidth(Map<String, Object> publisherStats) {
        int bottom = -1;
        if (publisherStats.get("out-video-layers") instanceof List<?> layers && layers.size() > 1) {
            for (Object l : layers) {
                if (l instanceof Map<?, ?> m && m.get("frameWidth") instanceof Number n && n.intValue() > 0) {
                    bottom = bottom < 0 ? n.intValue() : Math.min(bottom, n.intValue());
                }
            }
        }
        return bottom;
    }

    /** Simulcast layers the publisher encodes (frameWidth reported), or 1 for a single encoding that sends. */
    private static int layersSending(Map<String, Object> publisherStats) {
        if (publisherStats.get("out-video-layers") instanceof List<?> layers) {
            return (int) layers.stream()
                    .filter(l -> l instanceof Map<?, ?> m && m.get("frameWidth") instanceof Number n && n.intValue() > 0)
                    .count();
        }
        return SamplePage.number(publisherStats, "out-video", "frameWidth") > 0 ? 1 : 0;
    }
}
