package io.relaymesh.node.sdp;

import java.util.List;

/**
 * Writes the model as SDP text in one canonical order, CRLF line ends. Session: v o s i u e p c b t r z k a m.
 * Media: m i c b k, then ICE and DTLS attributes, mid, extmap, direction, msid, rtcp-mux/rsize, per payload type
 * rtpmap + rtcp-fb + fmtp (m-line order, wildcard feedback first), rid, simulcast, ssrc-group, ssrc, then the
 * attributes kept verbatim.
 */
final class SdpWriter {

    private static final String CRLF = "\r\n";
    private static final String SESSION_LINE_ORDER = "iuepcbtrzk";

    private SdpWriter() {
    }

    static int sessionLineRank(char type) {
        return SESSION_LINE_ORDER.indexOf(type);
    }

    static String write(SessionDescription s) {
        StringBuilder sb = new StringBuilder(4096);
        line(sb, 'v', Integer.toString(s.version()));
        line(sb, 'o', s.origin().toString());
        line(sb, 's', s.sessionName());
        otherLines(sb, s.otherLines(), "iuep");
        s.connection().ifPresent(c -> line(sb, 'c', c.toString()));
        s.bandwidths().forEach(b -> line(sb, 'b', b.toString()));
        s.timings().forEach(t -> line(sb, 't', t.toString()));
        otherLines(sb, s.otherLines(), "rzk");
        s.groups().forEach(g -> attr(sb, "group", g.toString()));
        if (s.extmapAllowMixed()) {
            attr(sb, "extmap-allow-mixed", null);
        }
        s.msidSemantic().ifPresent(m -> attr(sb, "msid-semantic", m.toString()));
        if (s.iceLite()) {
            attr(sb, "ice-lite", null);
        }
        s.iceUfrag().ifPresent(v -> attr(sb, "ice-ufrag", v));
        s.icePwd().ifPresent(v -> attr(sb, "ice-pwd", v));
        if (!s.iceOptions().isEmpty()) {
            attr(sb, "ice-options", String.join(" ", s.iceOptions()));
        }
        s.fingerprints().forEach(f -> attr(sb, "fingerprint", f.toString()));
        s.setup().ifPresent(v -> attr(sb, "setup", v.sdpName()));
        s.direction().ifPresent(d -> attr(sb, d.sdpName(), null));
        s.extmaps().forEach(e -> attr(sb, "extmap", e.toString()));
        s.otherAttributes().forEach(a -> attr(sb, a.name(), a.value()));
        for (MediaDescription m : s.media()) {
            writeMedia(m, sb);
        }
        return sb.toString();
    }

    static void writeMedia(MediaDescription m, StringBuilder sb) {
        StringBuilder mline = new StringBuilder();
        mline.append(m.media()).append(' ').append(m.port());
        if (m.portCount() > 0) {
            mline.append('/').append(m.portCount());
        }
        mline.append(' ').append(m.proto());
        for (String f : m.formats()) {
            mline.append(' ').append(f);
        }
        line(sb, 'm', mline.toString());
        otherLines(sb, m.otherLines(), "i");
        m.connection().ifPresent(c -> line(sb, 'c', c.toString()));
        m.bandwidths().forEach(b -> line(sb, 'b', b.toString()));
        otherLines(sb, m.otherLines(), "k");
        m.candidates().forEach(c -> attr(sb, "candidate", c.toString()));
        if (m.endOfCandidates()) {
            attr(sb, "end-of-candidates", null);
        }
        m.iceUfrag().ifPresent(v -> attr(sb, "ice-ufrag", v));
        m.icePwd().ifPresent(v -> attr(sb, "ice-pwd", v));
        if (!m.iceOptions().isEmpty()) {
            attr(sb, "ice-options", String.join(" ", m.iceOptions()));
        }
        m.fingerprints().forEach(f -> attr(sb, "fingerprint", f.toString()));
        m.setup().ifPresent(v -> attr(sb, "setup", v.sdpName()));
        m.mid().ifPresent(v -> attr(sb, "mid", v));
        if (m.bundleOnly()) {
            attr(sb, "bundle-only", null);
        }
        m.extmaps().forEach(e -> attr(sb, "extmap", e.toString()));
        m.direction().ifPresent(d -> attr(sb, d.sdpName(), null));
        m.msids().forEach(v -> attr(sb, "msid", v.toString()));
        if (m.rtcpMux()) {
            attr(sb, "rtcp-mux", null);
        }
        if (m.rtcpRsize()) {
            attr(sb, "rtcp-rsize", null);
        }
        writeCodecs(m, sb);
        m.rids().forEach(r -> attr(sb, "rid", r.toString()));
        m.simulcast().ifPresent(v -> attr(sb, "simulcast", v.toString()));
        m.ssrcGroups().forEach(g -> attr(sb, "ssrc-group", g.toString()));
        m.ssrcs().forEach(v -> attr(sb, "ssrc", v.toString()));
        m.otherAttributes().forEach(a -> attr(sb, a.name(), a.value()));
    }

    /**
     * Groups rtpmap, rtcp-fb and fmtp by payload type in m-line order. The model keeps each list sorted by the
     * same rank, so reading this back yields equal lists.
     */
    private static void writeCodecs(MediaDescription m, StringBuilder sb) {
        List<String> formats = m.formats();
        m.rtcpFeedback().stream().filter(f -> f.payloadType() == RtcpFeedback.WILDCARD)
                .forEach(f -> attr(sb, "rtcp-fb", f.toString()));
        for (int rank = 0; rank < formats.size(); rank++) {
            final int r = rank;
            m.rtpMaps().stream().filter(x -> MediaDescription.formatRank(formats, x.payloadType()) == r)
                    .forEach(x -> attr(sb, "rtpmap", x.toString()));
            m.rtcpFeedback().stream().filter(x -> MediaDescription.formatRank(formats, x.payloadType()) == r)
                    .forEach(x -> attr(sb, "rtcp-fb", x.toString()));
            m.fmtps().stream().filter(x -> MediaDescription.formatRank(formats, x.payloadType()) == r)
                    .forEach(x -> attr(sb, "fmtp", x.toString()));
        }
        m.rtpMaps().stream().filter(x -> MediaDescription.formatRank(formats, x.payloadType()) == Integer.MAX_VALUE)
                .forEach(x -> attr(sb, "rtpmap", x.toString()));
        m.rtcpFeedback().stream()
                .filter(x -> MediaDescription.formatRank(formats, x.payloadType()) == Integer.MAX_VALUE)
                .forEach(x -> attr(sb, "rtcp-fb", x.toString()));
        m.fmtps().stream().filter(x -> MediaDescription.formatRank(formats, x.payloadType()) == Integer.MAX_VALUE)
                .forEach(x -> attr(sb, "fmtp", x.toString()));
    }

    private static void otherLines(StringBuilder sb, List<SdpLine> lines, String types) {
        for (SdpLine l : lines) {
            if (types.indexOf(l.type()) >= 0) {
                line(sb, l.type(), l.value());
            }
        }
    }

    private static void line(StringBuilder sb, char type, String value) {
        sb.append(type).append('=').append(value).append(CRLF);
    }

    private static void attr(StringBuilder sb, String name, String value) {
        sb.append("a=").append(name);
        if (value != null) {
            sb.append(':').append(value);
        }
        sb.append(CRLF);
    }
}
