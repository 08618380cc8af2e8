package io.relaymesh.node.sfu;

import io.relaymesh.node.rtp.codec.LayerFilter;
import io.relaymesh.node.rtp.codec.Vp8TemporalFilter;

/**
 * The one place that says which {@link LayerFilter} a viewer's stream of a codec gets: the per-codec filters
 * (VP8 temporal layers here; VP9 SVC and AV1 dependency descriptor filters plug in with one line each).
 */
final class LayerFilters {

    private LayerFilters() {
    }

    /** A fresh filter for one viewer's stream of {@code codec}, or null when the codec's streams pass whole. */
    static LayerFilter forCodec(MediaCodec codec) {
        return switch (codec) {
            case VP8 -> new Vp8TemporalFilter();
            // case VP9 -> new Vp9SvcFilter();
            // case AV1 -> new Av1DependencyFilter();
            default -> null;
        };
    }
}
