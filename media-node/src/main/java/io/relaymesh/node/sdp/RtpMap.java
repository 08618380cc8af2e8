package io.relaymesh.node.sdp;

import java.util.List;

/**
 * {@code a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]} (RFC 8866 section 6.6).
 *
 * @param channels audio channel count, or 0 when the line has no third field
 */
public record RtpMap(int payloadType, String encodingName, int clockRate, int channels) {

    static RtpMap parse(String value) throws SdpException {
        List<String> w = SdpSyntax.words(value);
        if (w.size() != 2) {
            throw new SdpException("a=rtpmap must be '<pt> <name>/<clock rate>[/<channels>]', got '"
                    + SdpSyntax.abbreviate(value) + "'");
        }
        int pt = SdpSyntax.parsePayloadType(w.get(0));
        String[] parts = w.get(1).split("/", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new SdpException("a=rtpmap encoding '" + SdpSyntax.abbreviate(w.get(1))
                    + "' must be <name>/<clock rate>[/<channels>]");
        }
        String name = SdpSyntax.requireToken(parts[0], "a=rtpmap encoding name");
        int clockRate = SdpSyntax.parseInt(parts[1], 1, Integer.MAX_VALUE, "a=rtpmap clock rate");
        int channels = parts.length == 3 ? SdpSyntax.parseInt(parts[2], 1, 255, "a=rtpmap channel count") : 0;
        return new RtpMap(pt, name, clockRate, channels);
    }

    /** Case-insensitive match on the encoding name (RFC 4855: MIME subtypes are case-insensitive). */
    public boolean is(String name) {
        return encodingName.equalsIgnoreCase(name);
    }

    @Override
    public String toString() {
        return payloadType + " " + encodingName + "/" + clockRate + (channels > 0 ? "/" + channels : "");
    }
}
