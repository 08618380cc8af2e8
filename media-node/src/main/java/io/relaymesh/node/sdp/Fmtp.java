package io.relaymesh.node.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SequencedMap;

/**
 * {@code a=fmtp:<payload type> <format specific parameters>} (RFC 8866 section 6.15). The raw text is what is
 * written back; {@link #parameters()} is the common {@code key=value;key=value} reading of it, with keys
 * lower-cased. Parameters without {@code =} (RED's {@code 111/111}, telephone-event's {@code 0-15}) map to "".
 */
public record Fmtp(int payloadType, String raw) {

    static Fmtp parse(String value) throws SdpException {
        int space = value.indexOf(' ');
        if (space <= 0) {
            throw new SdpException("a=fmtp must be '<pt> <parameters>', got '" + SdpSyntax.abbreviate(value) + "'");
        }
        int pt = SdpSyntax.parsePayloadType(value.substring(0, space));
        String raw = value.substring(space + 1).strip();
        if (raw.isEmpty()) {
            throw new SdpException("a=fmtp:" + pt + " has no parameters");
        }
        return new Fmtp(pt, raw);
    }

    public static Fmtp of(int payloadType, Map<String, String> parameters) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            if (!sb.isEmpty()) {
                sb.append(';');
            }
            sb.append(e.getKey());
            if (!e.getValue().isEmpty()) {
                sb.append('=').append(e.getValue());
            }
        }
        return new Fmtp(payloadType, sb.toString());
    }

    /** The parameters in the order written; later duplicates win. */
    public SequencedMap<String, String> parameters() {
        SequencedMap<String, String> out = new LinkedHashMap<>();
        for (String part : raw.split(";")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq < 0) {
                out.put(p.toLowerCase(Locale.ROOT), "");
            } else {
                out.put(p.substring(0, eq).strip().toLowerCase(Locale.ROOT), p.substring(eq + 1).strip());
            }
        }
        return Collections.unmodifiableSequencedMap(out);
    }

    @Override
    public String toString() {
        return payloadType + " " + raw;
    }
}
