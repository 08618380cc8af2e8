package io.relaymesh.node.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * {@code a=rid:<rid-id> <send|recv> [<restrictions>]} (RFC 8851 section 10), e.g.
 * {@code a=rid:h send pt=96;max-width=1280}.
 *
 * @param restrictions the raw restriction text ("" when absent); {@link #restrictionMap()} reads it
 */
public record Rid(String id, RidDirection direction, String restrictions) {

    /** The rid direction, from the point of view of the description's author. */
    public enum RidDirection {
        SEND, RECV;

        public String sdpName() {
            return this == SEND ? "send" : "recv";
        }

        public RidDirection reversed() {
            return this == SEND ? RECV : SEND;
        }
    }

    /** RFC 8852 limits the RtpStreamId header extension to 16 bytes; RFC 8851 allows 255 characters in SDP. */
    static final int MAX_ID_LENGTH = 255;

    static Rid parse(String value) throws SdpException {
        List<String> w = SdpSyntax.words(value);
        if (w.size() < 2 || w.size() > 3) {
            throw new SdpException("a=rid must be '<id> <send|recv> [<restrictions>]', got '"
                    + SdpSyntax.abbreviate(value) + "'");
        }
        String id = requireRidId(w.get(0));
        RidDirection direction = switch (w.get(1)) {
            case "send" -> RidDirection.SEND;
            case "recv" -> RidDirection.RECV;
            default -> throw new SdpException("bad a=rid direction '" + SdpSyntax.abbreviate(w.get(1))
                    + "' (expected send or recv)");
        };
        return new Rid(id, direction, w.size() == 3 ? w.get(2) : "");
    }

    static String requireRidId(String id) throws SdpException {
        boolean ok = !id.isEmpty() && id.length() <= MAX_ID_LENGTH;
        for (int i = 0; ok && i < id.length(); i++) {
            char c = id.charAt(i);
            ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        }
        if (!ok) {
            throw new SdpException("bad rid id '" + SdpSyntax.abbreviate(id)
                    + "' (1-255 letters, digits, '-' or '_')");
        }
        return id;
    }

    /** {@code pt=96,97;max-width=1280} as {pt=96,97, max-width=1280}; a bare key maps to "". */
    public SequencedMap<String, String> restrictionMap() {
        SequencedMap<String, String> out = new LinkedHashMap<>();
        if (!restrictions.isEmpty()) {
            for (String part : restrictions.split(";")) {
                int eq = part.indexOf('=');
                if (eq < 0) {
                    out.put(part, "");
                } else {
                    out.put(part.substring(0, eq), part.substring(eq + 1));
                }
            }
        }
        return Collections.unmodifiableSequencedMap(out);
    }

    @Override
    public String toString() {
        return id + " " + direction.sdpName() + (restrictions.isEmpty() ? "" : " " + restrictions);
    }
}
