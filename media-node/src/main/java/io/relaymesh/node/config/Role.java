package io.relaymesh.node.config;

/** The roles a media-node process can take. {@code STANDALONE} runs every built role in one process. */
public enum Role {
    STANDALONE("standalone"),
    GATEWAY("gateway"),
    MEDIA("media"),
    RTMP("rtmp"),
    SIP("sip"),
    CONNECTOR("connector");

    private final String command;

    Role(String command) {
        this.command = command;
    }

    /** The CLI subcommand that starts this role. */
    public String command() {
        return command;
    }
}
