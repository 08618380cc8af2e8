package io.relaymesh.node.sdp;

import java.util.List;

/**
 * {@code a=rtcp-fb:<pt|*> <type> [<parameter>]} (RFC 4585 section 4.2), e.g. {@code nack}, {@code nack pli},
 * {@code ccm fir}, {@code goog-remb}, {@code transport-cc}.
 *
 * @param payloadType the payload type, or {@link #WILDCARD} for {@code *}
 * @param parameter   the subtype ("pli", "fir"), or "" when absent
 */
public record RtcpFeedback(int payloadType, String type, String parameter) {

    public static final int WILDCARD = -1;

    static RtcpFeedback parse(String value) throws SdpException {
        List<String> w = SdpSyntax.words(value);
        if (w.size() < 2) {
            throw new SdpException("a=rtcp-fb must be '<pt|*> <type> [<parameter>]', got '"
                    + SdpSyntax.abbreviate(value) + "'");
        }
        int pt = w.get(0).equals("*") ? WILDCARD : SdpSyntax.parsePayloadType(w.get(0));
        String type = SdpSyntax.requireToken(w.get(1), "a=rtcp-fb type");
        String parameter = String.join(" ", w.subList(2, w.size()));
        return new RtcpFeedback(pt, type, parameter);
    }

    /** "nack", "nack pli", "ccm fir": the type and parameter as one string, for set membership tests. */
    public String feedback() {
        return parameter.isEmpty() ? type : type + " " + parameter;
    }

    @Override
    public String toString() {
        return (payloadType == WILDCARD ? "*" : Integer.toString(payloadType)) + " " + feedback();
    }
}
