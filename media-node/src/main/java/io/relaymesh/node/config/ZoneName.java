package io.relaymesh.node.config;

import java.util.regex.Pattern;

/**
 * The syntax of a zone name, everywhere one is accepted (the {@code --zone} flag, the gateway's zone hint, the
 * cluster wire): a DNS label of at most {@value #MAX_LENGTH} characters, lower-case letters, digits and inner '-', so
 * it can name Kubernetes objects and be part of a node id ({@code <zone>-<index>}).
 */
public final class ZoneName {

    public static final int MAX_LENGTH = 32;
    /** The regular expression a zone name matches, for composing others (a node id). */
    public static final String SYNTAX = "[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?";

    private static final Pattern PATTERN = Pattern.compile(SYNTAX);

    private ZoneName() {
    }

    /** Whether {@code name} is a valid zone name; false for null. */
    public static boolean isValid(String name) {
        return name != null && PATTERN.matcher(name).matches();
    }
}
