package io.relaymesh.node.sfu;

import io.relaymesh.node.rtp.codec.Av1DdFilter;
import io.relaymesh.node.rtp.codec.Av1DependencyDescriptor;
import io.relaymesh.node.rtp.codec.LayerFilter;
import io.relaymesh.node.rtp.codec.Vp8TemporalFilter;
import io.relaymesh.node.rtp.codec.Vp9SvcFilter;

/**
 * The one place that says which {@link LayerFilter} a viewer's stream of a codec gets: VP8 temporal layers, VP9 SVC,
 * AV1 by its dependency descriptor; other codecs pass whole.
 */
final class LayerFilters {

    private LayerFilters() {
    }

    /**
     * A fresh filter for one viewer's stream of {@code codec} from a publisher that negotiated {@code source}, or null
     * when the stream passes whole (AV1 without the dependency descriptor cannot be filtered).
     */
    static LayerFilter forCodec(MediaCodec codec, MediaSpec source) {
        return switch (codec) {
            case VP8 -> new Vp8TemporalFilter();
            case VP9 -> new Vp9SvcFilter();
            case AV1 -> {
                Integer id = source.extensions().get(Av1DependencyDescriptor.URI);
                yield id == null ? null : new Av1DdFilter(id);
            }
            default -> null;
        };
    }

    /**
     * True when the packet {@code filter} just accepted must carry the RTP marker on the viewer's copy: it ends the
     * highest layer forwarded of its picture although the publisher marked only the top layer's last packet.
     */
    static boolean markerOverride(LayerFilter filter) {
        return switch (filter) {
            case Vp9SvcFilter f -> f.markerOverride();
            case Av1DdFilter f -> f.markerOverride();
            case null, default -> false;
        };
    }
}
