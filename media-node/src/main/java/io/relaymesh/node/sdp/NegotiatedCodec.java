package io.relaymesh.node.sdp;

import java.util.Map;
import java.util.Set;

/**
 * A codec both sides agreed on, with the offer's payload type.
 *
 * @param channels     audio channels, 0 for video
 * @param fmtp         the answered format parameters (keys lower-case)
 * @param rtcpFeedback answered feedback as "nack", "nack pli", "ccm fir", "goog-remb", "transport-cc"
 * @param rtxPayloadType the paired RTX payload type, or -1
 */
public record NegotiatedCodec(int payloadType, String name, int clockRate, int channels, Map<String, String> fmtp,
                              Set<String> rtcpFeedback, int rtxPayloadType) {

    public NegotiatedCodec {
        fmtp = Map.copyOf(fmtp);
        rtcpFeedback = Set.copyOf(rtcpFeedback);
    }

    public boolean hasRtx() {
        return rtxPayloadType >= 0;
    }
}
