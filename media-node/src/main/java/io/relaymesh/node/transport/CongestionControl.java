package io.relaymesh.node.transport;

import io.relaymesh.node.sdp.NegotiatedCodec;
import io.relaymesh.node.sdp.NegotiatedMedia;
import io.relaymesh.node.sdp.NegotiatedSession;

/**
 * What a connection negotiated for congestion control.
 *
 * @param transportCcExtensionId id of the transport-wide sequence number header extension, 0 when transport-cc
 *     (extension and {@code a=rtcp-fb ... transport-cc}) was not negotiated. With BUNDLE one transport has one
 *     id; the first media section's is used.
 * @param feedbackSsrc           the SSRC the node's transport-cc feedback is sent from
 */
public record CongestionControl(int transportCcExtensionId, int feedbackSsrc) {

    public static final String TRANSPORT_CC_URI =
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    /** Neither transport-cc nor anything else: the estimate then comes from REMB alone, if the peer sends it. */
    public static final CongestionControl NONE = new CongestionControl(0, 0);

    public CongestionControl {
        if (transportCcExtensionId < 0 || transportCcExtensionId > 255) {
            throw new IllegalArgumentException("header extension id out of 0..255: " + transportCcExtensionId);
        }
    }

    public boolean transportCc() {
        return transportCcExtensionId > 0;
    }

    /** From an answered session: transport-cc when some media section has both the extension and the feedback. */
    public static CongestionControl from(NegotiatedSession session, int feedbackSsrc) {
        for (NegotiatedMedia m : session.media()) {
            Integer id = m.extensions().get(TRANSPORT_CC_URI);
            if (id == null) {
                continue;
            }
            for (NegotiatedCodec c : m.codecs()) {
                if (c.rtcpFeedback().contains("transport-cc")) {
                    return new CongestionControl(id, feedbackSsrc);
                }
            }
        }
        return NONE;
    }
}
