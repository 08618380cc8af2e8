package io.relaymesh.node.token;

/** A token that cannot be used. {@link #reason()} tells a 401 (who are you?) from a 403 (not for this). */
public final class TokenException extends Exception {

    /** Why a token was refused. */
    public enum Reason {
        MISSING(true),
        MALFORMED(true),
        BAD_SIGNATURE(true),
        EXPIRED(true),
        WRONG_PROTOCOL(false),
        WRONG_ROOM(false),
        NOT_ALLOWED(false);

        private final boolean unauthenticated;

        Reason(boolean unauthenticated) {
            this.unauthenticated = unauthenticated;
        }

        /** True for 401 cases (no valid credential), false for 403 cases (valid, but not for this). */
        public boolean unauthenticated() {
            return unauthenticated;
        }
    }

    private final Reason reason;

    public TokenException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
