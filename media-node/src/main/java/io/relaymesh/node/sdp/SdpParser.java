package io.relaymesh.node.sdp;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Turns SDP text into a {@link SessionDescription}; every problem is an {@link SdpException} naming the line. */
final class SdpParser {

    static final int MAX_BYTES = 64 * 1024;
    static final int MAX_MEDIA = 64;
    static final int MAX_MID_LENGTH = 255;

    private SdpParser() {
    }

    static SessionDescription parse(String text) throws SdpException {
        List<SdpLines.Line> lines = SdpLines.split(text, MAX_BYTES, "SDP");
        expect(lines, 0, 'v', "v=0");
        SdpLines.Line v = lines.get(0);
        if (!v.value().equals("0")) {
            throw new SdpException("line " + v.number() + ": unsupported SDP version '"
                    + SdpSyntax.abbreviate(v.value()) + "' (only v=0 exists)");
        }
        expect(lines, 1, 'o', "o=");
        expect(lines, 2, 's', "s=");
        SessionDescription.Builder session = SessionDescription.builder(null);
        try {
            session.origin(Origin.parse(lines.get(1).value()));
        } catch (SdpException e) {
            throw SdpException.atLine(lines.get(1).number(), e);
        }
        if (lines.get(2).value().isEmpty()) {
            throw new SdpException("line " + lines.get(2).number() + ": s= must not be empty (use s=-)");
        }
        session.sessionName(lines.get(2).value());

        MediaDescription.Builder media = null;
        Set<String> mids = new HashSet<>();
        int mediaCount = 0;
        for (int i = 3; i < lines.size(); i++) {
            SdpLines.Line line = lines.get(i);
            try {
                if (line.type() == 'm') {
                    if (media != null) {
                        session.media(finish(media, mids));
                    } else if (session.timings().isEmpty()) {
                        throw new SdpException("missing t= line before the first m= line");
                    }
                    if (++mediaCount > MAX_MEDIA) {
                        throw new SdpException("more than " + MAX_MEDIA + " media sections");
                    }
                    media = parseMediaLine(line.value());
                } else if (media == null) {
                    sessionLine(session, line);
                } else {
                    mediaLine(media, line);
                }
            } catch (SdpException e) {
                throw e.getMessage().startsWith("line ") ? e : SdpException.atLine(line.number(), e);
            }
        }
        if (media != null) {
            try {
                session.media(finish(media, mids));
            } catch (SdpException e) {
                throw new SdpException("media section " + mediaCount + ": " + e.getMessage());
            }
        } else if (session.timings().isEmpty()) {
            throw new SdpException("missing t= line");
        }
        return session.version(0).build();
    }

    private static void expect(List<SdpLines.Line> lines, int index, char type, String what) throws SdpException {
        if (lines.size() <= index) {
            throw new SdpException("truncated SDP: missing " + what + " line");
        }
        SdpLines.Line line = lines.get(index);
        if (line.type() != type) {
            throw new SdpException("line " + line.number() + ": expected " + what + " but found "
                    + line.type() + "= (the first lines must be v=, o=, s=)");
        }
    }

    private static MediaDescription finish(MediaDescription.Builder media, Set<String> mids) throws SdpException {
        Optional<String> mid = media.mid();
        if (mid.isPresent() && !mids.add(mid.get())) {
            throw new SdpException("duplicate a=mid:" + mid.get() + " (mids must be unique)");
        }
        return media.build();
    }

    private static void sessionLine(SessionDescription.Builder s, SdpLines.Line line) throws SdpException {
        String value = line.value();
        switch (line.type()) {
            case 'i', 'u', 'e', 'p', 'r', 'z', 'k' -> s.otherLine(new SdpLine(line.type(), value));
            case 'c' -> {
                if (s.connection().isPresent()) {
                    throw new SdpException("second session-level c= line");
                }
                s.connection(ConnectionData.parse(value));
            }
            case 'b' -> s.bandwidth(Bandwidth.parse(value));
            case 't' -> s.timing(Timing.parse(value));
            case 'a' -> sessionAttribute(s, value);
            case 'v', 'o', 's' -> throw new SdpException(line.type() + "= may appear only once, at the start");
            default -> throw new SdpException("unknown line type '" + line.type() + "='");
        }
    }

    private static void sessionAttribute(SessionDescription.Builder s, String text) throws SdpException {
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? null : text.substring(colon + 1);
        SdpSyntax.requireToken(name, "attribute name");
        switch (name) {
            case "group" -> s.group(Group.parse(required(name, value)));
            case "ice-ufrag" -> s.iceUfrag(iceUfrag(once(name, s.iceUfrag(), value)));
            case "ice-pwd" -> s.icePwd(icePwd(once(name, s.icePwd(), value)));
            case "ice-options" -> SdpSyntax.words(required(name, value)).forEach(s::iceOption);
            case "ice-lite" -> s.iceLite(property(name, value));
            case "fingerprint" -> s.fingerprint(Fingerprint.parse(required(name, value)));
            case "setup" -> s.setup(Setup.parse(once(name, s.setup(), value)));
            case "msid-semantic" -> s.msidSemantic(MsidSemantic.parse(once(name, s.msidSemantic(), value)));
            case "extmap-allow-mixed" -> s.extmapAllowMixed(property(name, value));
            case "extmap" -> s.extmap(Extmap.parse(required(name, value)));
            case "sendrecv", "sendonly", "recvonly", "inactive" -> {
                property(name, value);
                if (s.direction().isPresent()) {
                    throw new SdpException("second direction attribute a=" + name);
                }
                s.direction(Direction.fromSdp(name).orElseThrow());
            }
            default -> s.otherAttribute(new Attribute(name, value));
        }
    }

    private static MediaDescription.Builder parseMediaLine(String value) throws SdpException {
        List<String> w = SdpSyntax.words(value);
        if (w.size() < 4) {
            throw new SdpException("m= needs '<media> <port> <proto> <fmt>...', got '"
                    + SdpSyntax.abbreviate(value) + "'");
        }
        String mediaType = SdpSyntax.requireToken(w.get(0), "m= media type");
        String portText = w.get(1);
        int portCount = 0;
        int slash = portText.indexOf('/');
        if (slash >= 0) {
            portCount = SdpSyntax.parseInt(portText.substring(slash + 1), 1, 65535, "m= port count");
            portText = portText.substring(0, slash);
        }
        int port = SdpSyntax.parsePort(portText, "m= port");
        String proto = w.get(2);
        for (String part : proto.split("/", -1)) {
            SdpSyntax.requireToken(part, "m= proto '" + SdpSyntax.abbreviate(proto) + "' part");
        }
        MediaDescription.Builder b = MediaDescription.builder(mediaType, port, proto).portCount(portCount);
        boolean rtp = proto.contains("RTP");
        for (String fmt : w.subList(3, w.size())) {
            if (rtp) {
                SdpSyntax.parsePayloadType(fmt);
            } else {
                SdpSyntax.requireToken(fmt, "m= format");
            }
            b.format(fmt);
        }
        return b;
    }

    private static void mediaLine(MediaDescription.Builder m, SdpLines.Line line) throws SdpException {
        String value = line.value();
        switch (line.type()) {
            case 'i', 'k' -> m.otherLine(new SdpLine(line.type(), value));
            case 'c' -> {
                if (m.connection().isPresent()) {
                    throw new SdpException("second c= line in a media section");
                }
                m.connection(ConnectionData.parse(value));
            }
            case 'b' -> m.bandwidth(Bandwidth.parse(value));
            case 'a' -> mediaAttribute(m, value);
            case 'v', 'o', 's', 'u', 'e', 'p', 't', 'r', 'z' ->
                    throw new SdpException(line.type() + "= is not allowed inside a media section");
            default -> throw new SdpException("unknown line type '" + line.type() + "='");
        }
    }

    private static void mediaAttribute(MediaDescription.Builder m, String text) throws SdpException {
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? null : text.substring(colon + 1);
        SdpSyntax.requireToken(name, "attribute name");
        switch (name) {
            case "mid" -> {
                String mid = once(name, m.mid(), value);
                if (mid.length() > MAX_MID_LENGTH || !SdpSyntax.isToken(mid)) {
                    throw new SdpException("bad a=mid '" + SdpSyntax.abbreviate(mid) + "'");
                }
                m.mid(mid);
            }
            case "sendrecv", "sendonly", "recvonly", "inactive" -> {
                property(name, value);
                if (m.direction().isPresent()) {
                    throw new SdpException("second direction attribute a=" + name + " in a media section");
                }
                m.direction(Direction.fromSdp(name).orElseThrow());
            }
            case "ice-ufrag" -> m.iceUfrag(iceUfrag(once(name, m.iceUfrag(), value)));
            case "ice-pwd" -> m.icePwd(icePwd(once(name, m.icePwd(), value)));
            case "ice-options" -> SdpSyntax.words(required(name, value)).forEach(m::iceOption);
            case "fingerprint" -> m.fingerprint(Fingerprint.parse(required(name, value)));
            case "setup" -> m.setup(Setup.parse(once(name, m.setup(), value)));
            case "rtcp-mux" -> m.rtcpMux(property(name, value));
            case "rtcp-rsize" -> m.rtcpRsize(property(name, value));
            case "bundle-only" -> m.bundleOnly(property(name, value));
            case "end-of-candidates" -> m.endOfCandidates(property(name, value));
            case "candidate" -> m.candidate(Candidate.parse(required(name, value)));
            case "extmap" -> {
                Extmap e = Extmap.parse(required(name, value));
                if (m.extmaps().stream().anyMatch(x -> x.id() == e.id())) {
                    throw new SdpException("duplicate a=extmap id " + e.id());
                }
                m.extmap(e);
            }
            case "rtpmap" -> {
                RtpMap r = RtpMap.parse(required(name, value));
                if (m.rtpMaps().stream().anyMatch(x -> x.payloadType() == r.payloadType())) {
                    throw new SdpException("duplicate a=rtpmap for payload type " + r.payloadType());
                }
                m.rtpMap(r);
            }
            case "rtcp-fb" -> m.rtcpFeedback(RtcpFeedback.parse(required(name, value)));
            case "fmtp" -> {
                Fmtp f = Fmtp.parse(required(name, value));
                if (m.fmtps().stream().anyMatch(x -> x.payloadType() == f.payloadType())) {
                    throw new SdpException("duplicate a=fmtp for payload type " + f.payloadType());
                }
                m.fmtp(f);
            }
            case "msid" -> m.msid(Msid.parse(required(name, value)));
            case "rid" -> {
                Rid r = Rid.parse(required(name, value));
                if (m.rids().stream().anyMatch(x -> x.id().equals(r.id()))) {
                    throw new SdpException("duplicate a=rid:" + r.id());
                }
                m.rid(r);
            }
            case "simulcast" -> m.simulcast(Simulcast.parse(once(name, m.simulcast(), value)));
            case "ssrc-group" -> m.ssrcGroup(SsrcGroup.parse(required(name, value)));
            case "ssrc" -> m.ssrc(SsrcAttribute.parse(required(name, value)));
            default -> m.otherAttribute(new Attribute(name, value));
        }
    }

    private static String required(String name, String value) throws SdpException {
        if (value == null || value.isBlank()) {
            throw new SdpException("a=" + name + " needs a value");
        }
        return value;
    }

    private static String once(String name, Optional<?> existing, String value) throws SdpException {
        if (existing.isPresent()) {
            throw new SdpException("second a=" + name + " in the same section");
        }
        return required(name, value).strip();
    }

    private static boolean property(String name, String value) throws SdpException {
        if (value != null) {
            throw new SdpException("a=" + name + " takes no value");
        }
        return true;
    }

    static String iceUfrag(String value) throws SdpException {
        if (value.length() < 4 || value.length() > 256 || !SdpSyntax.isIceChars(value)) {
            throw new SdpException("bad a=ice-ufrag '" + SdpSyntax.abbreviate(value) + "' (4-256 ice-chars)");
        }
        return value;
    }

    static String icePwd(String value) throws SdpException {
        if (value.length() < 22 || value.length() > 256 || !SdpSyntax.isIceChars(value)) {
            throw new SdpException("bad a=ice-pwd (22-256 ice-chars, got " + value.length() + " characters)");
        }
        return value;
    }
}
