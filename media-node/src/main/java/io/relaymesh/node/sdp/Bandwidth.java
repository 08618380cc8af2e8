package io.relaymesh.node.sdp;

/** A {@code b=<bwtype>:<bandwidth>} line (RFC 8866 section 5.8), e.g. {@code b=AS:2500} or {@code b=TIAS:500000}. */
public record Bandwidth(String type, long value) {

    static Bandwidth parse(String text) throws SdpException {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new SdpException("b= must be <type>:<bandwidth>, got '" + SdpSyntax.abbreviate(text) + "'");
        }
        String type = SdpSyntax.requireToken(text.substring(0, colon), "b= bandwidth type");
        long value = SdpSyntax.parseLong(text.substring(colon + 1), 0, 0xFFFF_FFFFL * 1000, "b= bandwidth");
        return new Bandwidth(type, value);
    }

    @Override
    public String toString() {
        return type + ":" + value;
    }
}
