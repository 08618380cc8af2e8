package io.relaymesh.node.sdp;

import java.util.List;

/**
 * {@code a=msid-semantic: WMS [ids]}: the pre-unified-plan stream list that Chromium and Firefox still write.
 * Chromium puts a space after the colon; the parser accepts either form and the writer uses Chromium's.
 */
public record MsidSemantic(String semantic, List<String> streamIds) {

    public MsidSemantic {
        streamIds = List.copyOf(streamIds);
    }

    static MsidSemantic parse(String value) throws SdpException {
        List<String> w = SdpSyntax.words(value);
        if (w.isEmpty()) {
            throw new SdpException("a=msid-semantic needs a semantic token");
        }
        return new MsidSemantic(SdpSyntax.requireToken(w.get(0), "a=msid-semantic token"), w.subList(1, w.size()));
    }

    @Override
    public String toString() {
        return " " + semantic + (streamIds.isEmpty() ? "" : " " + String.join(" ", streamIds));
    }
}
