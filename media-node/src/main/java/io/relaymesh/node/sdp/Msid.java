package io.relaymesh.node.sdp;

import java.util.List;

/**
 * {@code a=msid:<stream id> [<track id>]} (RFC 8830 section 2). Firefox writes ids in braces, Chromium plain UUIDs,
 * and a stream id of {@code -} means "no stream".
 *
 * @param trackId the application data (track id), or "" when absent
 */
public record Msid(String streamId, String trackId) {

    static final int MAX_ID_LENGTH = 64;

    static Msid parse(String value) throws SdpException {
        List<String> w = SdpSyntax.words(value);
        if (w.isEmpty() || w.size() > 2) {
            throw new SdpException("a=msid must be '<stream id> [<track id>]', got '"
                    + SdpSyntax.abbreviate(value) + "'");
        }
        for (String id : w) {
            if (id.length() > MAX_ID_LENGTH || !SdpSyntax.isToken(id)) {
                throw new SdpException("bad a=msid id '" + SdpSyntax.abbreviate(id) + "' (1-64 token characters)");
            }
        }
        return new Msid(w.get(0), w.size() == 2 ? w.get(1) : "");
    }

    @Override
    public String toString() {
        return trackId.isEmpty() ? streamId : streamId + " " + trackId;
    }
}
