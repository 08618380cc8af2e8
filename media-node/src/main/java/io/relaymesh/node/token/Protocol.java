package io.relaymesh.node.token;

import java.util.Locale;
import java.util.Optional;

/** The protocol a token admits its bearer to; a token for one protocol is refused by the others. */
public enum Protocol {
    WHIP(true, false),
    WHEP(false, true),
    WEBRTC(true, true),
    RTMP(true, false),
    SIP(true, true);

    private final boolean publishesByDefault;
    private final boolean subscribesByDefault;

    Protocol(boolean publishesByDefault, boolean subscribesByDefault) {
        this.publishesByDefault = publishesByDefault;
        this.subscribesByDefault = subscribesByDefault;
    }

    /** The claim value, e.g. {@code whip}. */
    public String claim() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean publishesByDefault() {
        return publishesByDefault;
    }

    public boolean subscribesByDefault() {
        return subscribesByDefault;
    }

    public static Optional<Protocol> fromClaim(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (Protocol p : values()) {
            if (p.claim().equals(value)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
