package io.relaymesh.node.sfu;

import java.util.Map;

/**
 * Translates RTP header extension ids from a publisher's negotiation to a viewer's (RFC 8285): the same URI
 * may have a different id on each leg. The table has 256 entries (two-byte ids); 0 drops the element.
 */
final class ExtensionMapping {

    static final int TABLE_SIZE = 256;

    private ExtensionMapping() {
    }

    /**
     * @param from    publisher's ids by URI
     * @param to      viewer's ids by URI
     * @param dropped URIs never forwarded
     */
    static byte[] between(Map<String, Integer> from, Map<String, Integer> to, String... dropped) {
        byte[] table = new byte[TABLE_SIZE];
        for (Map.Entry<String, Integer> e : from.entrySet()) {
            int fromId = e.getValue();
            if (fromId <= 0 || fromId >= TABLE_SIZE || isDropped(e.getKey(), dropped)) {
                continue;
            }
            Integer toId = to.get(e.getKey());
            if (toId != null && toId > 0 && toId < TABLE_SIZE && (fromId > 14 || toId <= 14)) {
                table[fromId] = (byte) (int) toId;
            }
        }
        return table;
    }

    private static boolean isDropped(String uri, String[] dropped) {
        for (String d : dropped) {
            if (d.equals(uri)) {
                return true;
            }
        }
        return false;
    }
}
