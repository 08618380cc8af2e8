package io.relaymesh.node.sdp;

import java.util.List;
import java.util.Optional;

/**
 * {@code a=extmap:<id>[/<direction>] <uri> [<extension attributes>]} (RFC 8285 section 8).
 *
 * @param direction  the optional direction after the id (Firefox writes {@code /sendonly}, {@code /recvonly})
 * @param attributes extension attributes after the URI, or "" when absent
 */
public record Extmap(int id, Optional<Direction> direction, String uri, String attributes) {

    /** Ids 1-14 fit the one-byte header, 1-255 the two-byte header (RFC 8285 section 5). */
    public static final int MAX_ID = 255;

    public Extmap(int id, String uri) {
        this(id, Optional.empty(), uri, "");
    }

    static Extmap parse(String value) throws SdpException {
        List<String> w = SdpSyntax.words(value);
        if (w.size() < 2) {
            throw new SdpException("a=extmap must be '<id>[/<direction>] <uri>', got '"
                    + SdpSyntax.abbreviate(value) + "'");
        }
        String idPart = w.get(0);
        Optional<Direction> direction = Optional.empty();
        int slash = idPart.indexOf('/');
        if (slash >= 0) {
            String d = idPart.substring(slash + 1);
            direction = Optional.of(Direction.fromSdp(d).orElseThrow(
                    () -> new SdpException("bad a=extmap direction '" + SdpSyntax.abbreviate(d) + "'")));
            idPart = idPart.substring(0, slash);
        }
        int id = SdpSyntax.parseInt(idPart, 1, MAX_ID, "a=extmap id");
        String uri = w.get(1);
        String attributes = String.join(" ", w.subList(2, w.size()));
        return new Extmap(id, direction, uri, attributes);
    }

    @Override
    public String toString() {
        return id + direction.map(d -> "/" + d.sdpName()).orElse("") + " " + uri
                + (attributes.isEmpty() ? "" : " " + attributes);
    }
}
