package io.relaymesh.node.sdp;

/** Test helper: the few spellings the canonical writer changes without changing meaning. */
final class SdpLineNormalizer {

    private SdpLineNormalizer() {
    }

    static String normalize(String line) {
        // Chromium writes "a=msid-semantic: WMS", Firefox "a=msid-semantic:WMS"; the writer uses Chromium's.
        if (line.startsWith("a=msid-semantic:") && !line.startsWith("a=msid-semantic: ")) {
            return "a=msid-semantic: " + line.substring("a=msid-semantic:".length());
        }
        return line;
    }
}
