package io.relaymesh.node.rtmp;

import java.util.Optional;

/**
 * Where the token sits in what a publisher sends. The documented form is {@code rtmp://host:1935/live/<token>}:
 * ffmpeg sends app {@code live} and the token as the stream name, OBS sends the server URL's path as the app and
 * the stream key as the name. A server URL that already carries the token ({@code live/<token>}, empty key) is
 * accepted too. A query string after the key ({@code ?param=...}) is ignored.
 */
public final class StreamKey {

    /** The only application name served. */
    public static final String APP = "live";

    private StreamKey() {
    }

    /** The token, or empty when the app is not {@code live} or no key was given. */
    public static Optional<String> token(String app, String streamName) {
        String a = stripQuery(app == null ? "" : app.strip());
        while (a.endsWith("/")) {
            a = a.substring(0, a.length() - 1);
        }
        String name = stripQuery(streamName == null ? "" : streamName.strip());
        if (a.equals(APP)) {
            return name.isEmpty() ? Optional.empty() : Optional.of(name);
        }
        if (a.startsWith(APP + "/") && name.isEmpty()) {
            String key = a.substring(APP.length() + 1);
            return key.isEmpty() ? Optional.empty() : Optional.of(key);
        }
        return Optional.empty();
    }

    /** True when {@code app} is one this server serves. */
    public static boolean servesApp(String app) {
        String a = stripQuery(app == null ? "" : app.strip());
        return a.equals(APP) || a.equals(APP + "/") || a.startsWith(APP + "/");
    }

    private static String stripQuery(String s) {
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q);
    }
}
