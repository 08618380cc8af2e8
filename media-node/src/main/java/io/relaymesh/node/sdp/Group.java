package io.relaymesh.node.sdp;

import java.util.List;

/** {@code a=group:<semantics> *(SP <mid>)} (RFC 5888); the one that matters here is BUNDLE (RFC 8843). */
public record Group(String semantics, List<String> mids) {

    public static final String BUNDLE = "BUNDLE";

    public Group {
        mids = List.copyOf(mids);
    }

    static Group parse(String value) throws SdpException {
        List<String> w = SdpSyntax.words(value);
        if (w.isEmpty()) {
            throw new SdpException("a=group needs a semantics token");
        }
        String semantics = SdpSyntax.requireToken(w.get(0), "a=group semantics");
        for (String mid : w.subList(1, w.size())) {
            SdpSyntax.requireToken(mid, "a=group mid");
        }
        return new Group(semantics, w.subList(1, w.size()));
    }

    @Override
    public String toString() {
        return mids.isEmpty() ? semantics : semantics + " " + String.join(" ", mids);
    }
}
