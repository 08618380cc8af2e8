package io.relaymesh.operator.dependent;

/**
 * A media-node role as the operator runs it: the label value, the media node's subcommand, and the first
 * node index of its pods. Indexes of different roles in one zone never overlap, so node ids
 * ({@code zone-index}) stay unique however the roles are scaled.
 */
public enum NodeRole {
    GATEWAY("gateway", "gateway", 0),
    CONNECTOR("connector", "connector", 60000),
    WEBRTC("webrtc", "media", 0),
    RTMP("rtmp", "rtmp", 20000),
    SIP("sip", "sip", 40000);

    private final String label;
    private final String command;
    private final int firstIndex;

    NodeRole(String label, String command, int firstIndex) {
        this.label = label;
        this.command = command;
        this.firstIndex = firstIndex;
    }

    /** The value of the role label and the suffix of the workload's name. */
    public String label() {
        return label;
    }

    /** The media node's subcommand ({@code java -jar media-node.jar <command>}). */
    public String command() {
        return command;
    }

    /** Ordinal of the role's first pod, the node index it runs with. */
    public int firstIndex() {
        return firstIndex;
    }
}
