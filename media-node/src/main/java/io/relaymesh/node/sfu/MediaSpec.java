package io.relaymesh.node.sfu;

import java.util.List;
import java.util.Map;

/**
 * What was negotiated for one media section (m-line) of a session, in the SFU's terms.
 *
 * @param mid        the media id
 * @param kind       audio or video
 * @param codecs     negotiated codecs, preferred first
 * @param extensions header extension ids by URI (RFC 8285)
 * @param nack       generic NACK negotiated
 * @param pli        picture loss indication negotiated
 * @param fir        full intra request negotiated
 */
record MediaSpec(String mid, MediaKind kind, List<CodecSpec> codecs, Map<String, Integer> extensions, boolean nack,
                 boolean pli, boolean fir) {

    /** The codec with this payload type, or null. */
    CodecSpec codecByPayloadType(int pt) {
        for (int i = 0; i < codecs.size(); i++) { // indexed: no iterator on the packet path
            CodecSpec c = codecs.get(i);
            if (c.payloadType() == pt) {
                return c;
            }
        }
        return null;
    }

    /** The codec whose RTX payload type this is, or null. */
    CodecSpec codecByRtxPayloadType(int pt) {
        for (CodecSpec c : codecs) {
            if (c.rtxPayloadType() == pt) {
                return c;
            }
        }
        return null;
    }

    /** The first negotiated codec of this kind of codec, or null. */
    CodecSpec codec(MediaCodec codec) {
        for (int i = 0; i < codecs.size(); i++) { // indexed: no iterator on the packet path
            CodecSpec c = codecs.get(i);
            if (c.codec() == codec) {
                return c;
            }
        }
        return null;
    }
}
