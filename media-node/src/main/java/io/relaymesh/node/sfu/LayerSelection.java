package io.relaymesh.node.sfu;

import java.util.List;

/**
 * Chooses, per viewer, the layers of each of its video tracks from the viewer's send-side bandwidth estimate.
 *
 * <ul>
 *   <li>Audio comes first: what the viewer's audio tracks measure is taken off the estimate, the rest is shared
 *       equally among its playing video tracks.</li>
 *   <li>Per track the best (spatial, temporal) whose measured bitrate fits the share, spatial before temporal,
 *       but a higher spatial layer only at a frame rate at most one temporal layer below the best that fits on a
 *       lower layer: 640x360 at 15 fps may replace 320x180 at 30 fps, 640x360 at 7.5 fps may not (a picture
 *       that stutters is worse than a smaller one, and the switch's keyframe would push such a marginal layer out
 *       of the share again at once, making the viewer oscillate); capped by the viewer's preferences; a layer that
 *       sent nothing in the last second is not a choice, and a layer (simulcast or spatial) that has not sent
 *       steadily for the whole last second is no step up (its reading is partial).</li>
 *   <li>Down at once; up only to a choice that has fitted, with {@value #UP_MARGIN_PERCENT} % of its bitrate, at
 *       every selection of the last {@value #HOLD_MILLIS} ms (the lowest best choice of that time), so a noisy
 *       estimate or a layer that looked cheap for a moment does not make the viewer oscillate.</li>
 *   <li>Unknown estimate (-1: no feedback yet, or none negotiated): the lowest spatial layer with all temporal
 *       layers. A bandwidth estimator ramps up within seconds, so starting low costs little and never overshoots
 *       a slow link; a viewer whose client gives no feedback at all stays there (preferences cannot raise it).</li>
 *   <li>When nothing fits: the lowest active layer, temporal layer 0 (a viewer always gets a picture).</li>
 *   <li>A single scalable stream (VP9 SVC, AV1 with the dependency descriptor) is chosen in the same way: its
 *       (spatial, temporal) choices are measured by {@link ScalableLayers} as what a viewer at each would receive,
 *       its spatial layer count comes from the stream's own description, and the viewer's layer filter moves to
 *       the target where the stream allows it.</li>
 * </ul>
 * Runs on the event loop from the viewer's tick, every {@value #INTERVAL_MILLIS} ms; no allocation.
 */
final class LayerSelection {

    static final long INTERVAL_MILLIS = 200;
    static final long INTERVAL_NANOS = INTERVAL_MILLIS * 1_000_000L;
    static final long HOLD_MILLIS = 1_000;
    static final long HOLD_NANOS = HOLD_MILLIS * 1_000_000L;
    static final int UP_MARGIN_PERCENT = 115;
    /** Temporal layers a higher spatial layer may give up against the smoothest choice on the layers below it. */
    static final int MAX_TEMPORAL_STEP_DOWN = 1;
    /** Packed (spatial, temporal) choices there can be: {@link #pack} of the highest ids + 1. */
    static final int CHOICES = LayerBitrates.SPATIAL_IDS * BitrateMeter.TEMPORAL_IDS;

    private LayerSelection() {
    }

    /**
     * Sets the target layers of every video down track of one viewer.
     *
     * @param estimateBps the viewer's send-side estimate, -1 while unknown
     * @param maxSpatial  the viewer's cap on the spatial layer ({@link DownTrack#ALL_LAYERS}: none)
     * @param maxTemporal the viewer's cap on the temporal layer
     */
    static void select(List<DownTrack> downTracks, long estimateBps, int maxSpatial, int maxTemporal, long nowNanos) {
        long audio = 0;
        int video = 0;
        for (int i = 0; i < downTracks.size(); i++) {
            DownTrack d = downTracks.get(i);
            if (d.source() == null) {
                continue;
            }
            if (d.kind() == MediaKind.AUDIO) {
                audio += d.source().bitrate().bitsPerSecond(BitrateMeter.TEMPORAL_IDS, nowNanos);
            } else {
                video++;
            }
        }
        long share = estimateBps < 0 || video == 0 ? -1 : Math.max(0, estimateBps - audio) / video;
        for (int i = 0; i < downTracks.size(); i++) {
            DownTrack d = downTracks.get(i);
            if (d.source() != null && d.kind() == MediaKind.VIDEO) {
                choose(d, share, maxSpatial, maxTemporal, nowNanos);
            }
        }
    }

    /**
     * What the viewer would receive with no bandwidth limit: its audio, and of every video track the best layers its
     * preferences allow, as measured now. The bandwidth estimator probes while this is above its estimate.
     */
    static long desiredBps(List<DownTrack> downTracks, int maxSpatial, int maxTemporal, long nowNanos) {
        long total = 0;
        for (int i = 0; i < downTracks.size(); i++) {
            DownTrack d = downTracks.get(i);
            PublishedTrack source = d.source();
            if (source == null) {
                continue;
            }
            if (d.kind() == MediaKind.AUDIO) {
                total += source.bitrate().bitsPerSecond(BitrateMeter.TEMPORAL_IDS, nowNanos);
                continue;
            }
            TrackLayers layers = source.layers();
            ScalableLayers inner = scalable(source);
            int spatialCount = inner != null ? Math.max(1, inner.spatialLayers(nowNanos)) : layers.count();
            for (int s = Math.min(maxSpatial, spatialCount - 1); s >= 0; s--) {
                int temporalLayers = temporalLayers(layers, inner, s, nowNanos);
                if (temporalLayers > 0) {
                    int t = Math.min(temporalLayers - 1, maxTemporal);
                    total += inner != null ? inner.bitsPerSecond(s, t, nowNanos)
                            : layers.layer(s).bitrate().bitsPerSecond(t, nowNanos);
                    break;
                }
            }
        }
        return total;
    }

    /** Packs a (spatial, temporal) choice so that comparing packed values compares spatial first. */
    static int pack(int spatial, int temporal) {
        return spatial * BitrateMeter.TEMPORAL_IDS + temporal;
    }

    /** The choice for one track; {@code shareBps} -1 when the estimate is unknown. */
    static void choose(DownTrack d, long shareBps, int maxSpatial, int maxTemporal, long nowNanos) {
        TrackLayers layers = d.source().layers();
        layers.rank(nowNanos);
        ScalableLayers inner = scalable(d.source());
        int spatialCount = inner != null ? Math.max(1, inner.spatialLayers(nowNanos)) : layers.count();
        int spatialCap = Math.min(maxSpatial, spatialCount - 1);
        if (shareBps < 0) {
            d.fitting(-1, nowNanos);
            d.setTarget(0, maxTemporal, nowNanos);
            return;
        }
        int current = pack(Math.min(d.targetSpatial(), spatialCount - 1),
                Math.min(d.targetTemporal(), BitrateMeter.TEMPORAL_IDS - 1));
        int best = -1;
        int lowestActive = -1;
        int smoothest = 0;
        for (int s = 0; s <= spatialCap; s++) {
            int temporalLayers = temporalLayers(layers, inner, s, nowNanos);
            if (temporalLayers == 0) {
                continue; // silent: the publisher does not send this layer now
            }
            if (lowestActive < 0) {
                lowestActive = pack(s, 0);
            }
            // A layer that started, resumed or stopped within the last second reads low: it is no step up (a relay
            // parent resumes a simulcast layer for a moment to show it; an encoder turns a spatial layer back on).
            boolean measured = inner != null ? inner.spatialSteady(s, nowNanos)
                    : layers.layer(s).bitrate().steady(nowNanos);
            int fits = -1;
            for (int t = 0; t < temporalLayers && t <= maxTemporal; t++) {
                int candidate = pack(s, t);
                if (candidate > current && !measured) {
                    continue;
                }
                long rate = inner != null ? inner.bitsPerSecond(s, t, nowNanos)
                        : layers.layer(s).bitrate().bitsPerSecond(t, nowNanos);
                long needed = candidate > current ? rate * UP_MARGIN_PERCENT / 100 : rate;
                if (needed <= shareBps) {
                    fits = t;
                }
            }
            // A larger picture costs at most one temporal layer of the smoothest choice below (30 to 15 fps, not to
            // 7.5), however many spatial layers up.
            int topTemporal = Math.min(temporalLayers - 1, maxTemporal);
            if (fits >= 0 && fits >= Math.min(smoothest, topTemporal) - MAX_TEMPORAL_STEP_DOWN) {
                best = pack(s, fits);
                smoothest = Math.max(smoothest, fits);
            }
        }
        if (best < 0) {
            best = lowestActive < 0 ? pack(0, 0) : lowestActive;
        }
        d.fitting(best, nowNanos);
        if (best > current) {
            // Up only as far as every selection of the hold found fitting (a choice that fits now may have fitted
            // for one tick, while a lower one kept fitting throughout).
            best = d.heldAbove(current, nowNanos - HOLD_NANOS);
            if (best < 0) {
                return;
            }
        }
        int spatial = best / BitrateMeter.TEMPORAL_IDS;
        int temporal = best % BitrateMeter.TEMPORAL_IDS;
        int highestTemporal = temporalLayers(layers, inner, spatial, nowNanos) - 1;
        // The top temporal layer of a layer means "all of them": a layer that adds temporal layers later gets them.
        d.setTarget(spatial, temporal >= highestTemporal ? maxTemporal : temporal, nowNanos);
    }

    /**
     * The layers inside the track's one stream when it is a layered VP9 or AV1 stream (chosen among like simulcast
     * layers), else null: a simulcast track, VP8 (its temporal layers are measured per simulcast layer), or a
     * stream that has shown no layers (yet).
     */
    private static ScalableLayers scalable(PublishedTrack source) {
        TrackLayers layers = source.layers();
        if (layers.count() != 1) {
            return null;
        }
        PublishedTrack stream = layers.primary();
        MediaCodec codec = stream.codec().codec();
        ScalableLayers inner = stream.scalable();
        return (codec == MediaCodec.VP9 || codec == MediaCodec.AV1) && inner != null && inner.layered() ? inner : null;
    }

    /** Temporal layers spatial choice {@code s} has now (0: silent). */
    private static int temporalLayers(TrackLayers layers, ScalableLayers inner, int s, long nowNanos) {
        if (inner != null) {
            return inner.spatialActive(s, nowNanos) ? inner.temporalLayers(nowNanos) : 0;
        }
        return layers.layer(s).bitrate().temporalLayers(nowNanos);
    }
}
