package io.relaymesh.node.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code a=ssrc-group:<semantics> <ssrc>...} (RFC 5576 section 4.2): {@code FID} pairs a media SSRC with its RTX
 * SSRC, {@code SIM} lists simulcast layers from lowest to highest.
 */
public record SsrcGroup(String semantics, List<Long> ssrcs) {

    public static final String FID = "FID";
    public static final String SIM = "SIM";

    public SsrcGroup {
        ssrcs = List.copyOf(ssrcs);
    }

    static SsrcGroup parse(String value) throws SdpException {
        List<String> w = SdpSyntax.words(value);
        if (w.size() < 2) {
            throw new SdpException("a=ssrc-group must be '<semantics> <ssrc>...', got '"
                    + SdpSyntax.abbreviate(value) + "'");
        }
        String semantics = SdpSyntax.requireToken(w.get(0), "a=ssrc-group semantics");
        List<Long> ssrcs = new ArrayList<>();
        for (String s : w.subList(1, w.size())) {
            ssrcs.add(SdpSyntax.parseLong(s, 0, 0xFFFF_FFFFL, "a=ssrc-group ssrc"));
        }
        return new SsrcGroup(semantics, ssrcs);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(semantics);
        for (long s : ssrcs) {
            sb.append(' ').append(s);
        }
        return sb.toString();
    }
}
