package io.relaymesh.node.e2e;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what the multi-process cluster tests need out of a node's {@code GET /api/cluster} JSON. */
final class ClusterJson {

    private static final Pattern MEMBER = Pattern.compile("\\{\"id\":\"([^\"]+)\",\"state\":\"([A-Z]+)\"");

    private ClusterJson() {
    }

    /** Membership state (ALIVE, SUSPECT, DEAD, LEFT) by node id, as the answering node sees it. */
    static Map<String, String> states(String clusterJson) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = MEMBER.matcher(clusterJson);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    /** Live sessions in node {@code nodeId}'s gossiped load, -1 when the node or field is absent. */
    static long sessions(String clusterJson, String nodeId) {
        return loadField(clusterJson, nodeId, "sessions");
    }

    /** Session capacity in node {@code nodeId}'s gossiped load, -1 when absent. */
    static long capacity(String clusterJson, String nodeId) {
        return loadField(clusterJson, nodeId, "capacity");
    }

    /** The RTT to {@code zone} that node {@code nodeId} publishes, in ms; -1 when the node or the figure is absent. */
    static double zoneRttMs(String clusterJson, String nodeId, String zone) {
        Matcher node = Pattern.compile("\\{\"id\":\"" + Pattern.quote(nodeId)
                + "\"[^{]*\"load\":\\{[^}]*}[^{]*\"zoneRttsMs\":\\{([^}]*)}").matcher(clusterJson);
        if (!node.find()) {
            return -1;
        }
        Matcher figure = Pattern.compile("\"" + Pattern.quote(zone) + "\":([0-9.Ee+-]+)").matcher(node.group(1));
        return figure.find() ? Double.parseDouble(figure.group(1)) : -1;
    }

    private static long loadField(String clusterJson, String nodeId, String field) {
        Matcher m = Pattern.compile("\\{\"id\":\"" + Pattern.quote(nodeId) + "\"[^{]*\"load\":\\{[^}]*\""
                + field + "\":(\\d+)").matcher(clusterJson);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
