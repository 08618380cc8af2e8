package io.relaymesh.node.sdp;

/**
 * {@code a=ssrc:<ssrc> <attribute>[:<value>]} (RFC 5576 section 4.1), e.g. {@code cname:...} or
 * {@code msid:<stream> <track>}.
 *
 * @param value the attribute value, or "" when the source attribute has none
 */
public record SsrcAttribute(long ssrc, String attribute, String value) {

    static SsrcAttribute parse(String text) throws SdpException {
        int space = text.indexOf(' ');
        if (space <= 0) {
            throw new SdpException("a=ssrc must be '<ssrc> <attribute>[:<value>]', got '"
                    + SdpSyntax.abbreviate(text) + "'");
        }
        long ssrc = SdpSyntax.parseLong(text.substring(0, space), 0, 0xFFFF_FFFFL, "a=ssrc ssrc");
        String rest = text.substring(space + 1).strip();
        int colon = rest.indexOf(':');
        String attribute = colon < 0 ? rest : rest.substring(0, colon);
        String value = colon < 0 ? "" : rest.substring(colon + 1);
        SdpSyntax.requireToken(attribute, "a=ssrc attribute name");
        return new SsrcAttribute(ssrc, attribute, value);
    }

    @Override
    public String toString() {
        return ssrc + " " + attribute + (value.isEmpty() ? "" : ":" + value);
    }
}
