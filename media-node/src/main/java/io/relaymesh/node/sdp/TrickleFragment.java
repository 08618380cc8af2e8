package io.relaymesh.node.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An {@code application/trickle-ice-sdpfrag} body (RFC 8840 section 9), as WHIP/WHEP clients PATCH it to add
 * candidates or restart ICE, and as the node answers an ICE restart:
 * <pre>
 * a=ice-ufrag:EsAw
 * a=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1
 * m=audio 9 UDP/TLS/RTP/SAVPF 0
 * a=mid:0
 * a=candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host generation 0
 * a=end-of-candidates
 * </pre>
 * Only ICE attributes are read: ice-ufrag, ice-pwd, ice-options (session or media level), mid, candidate and
 * end-of-candidates; other attributes are ignored, any line that is not {@code a=} or {@code m=} is an error.
 *
 * @param sections one per {@code m=} line, in order
 */
public record TrickleFragment(Optional<String> iceUfrag, Optional<String> icePwd, List<String> iceOptions,
                              boolean endOfCandidates, List<Section> sections) {

    static final int MAX_BYTES = 64 * 1024;

    /**
     * One {@code m=} line of the fragment with the ICE attributes below it.
     *
     * @param mid the {@code a=mid}, "" when the client did not send one (the section index then identifies it)
     */
    public record Section(String media, String proto, String format, String mid, Optional<String> iceUfrag,
                          Optional<String> icePwd, List<Candidate> candidates, boolean endOfCandidates) {

        public Section {
            candidates = List.copyOf(candidates);
        }

        /** A section as the node writes it: {@code m=<media> 9 UDP/TLS/RTP/SAVPF 0} with a mid. */
        public static Section of(String media, String mid, List<Candidate> candidates, boolean endOfCandidates) {
            return new Section(media, "UDP/TLS/RTP/SAVPF", "0", mid, Optional.empty(), Optional.empty(), candidates,
                    endOfCandidates);
        }
    }

    public TrickleFragment {
        iceOptions = List.copyOf(iceOptions);
        sections = List.copyOf(sections);
    }

    /** The fragment the node returns for an ICE restart: new credentials and its candidates under one mid. */
    public static TrickleFragment restartAnswer(String ufrag, String pwd, String media, String mid,
                                                List<Candidate> candidates) {
        return new TrickleFragment(Optional.of(ufrag), Optional.of(pwd), List.of(), false,
                List.of(Section.of(media, mid, candidates, true)));
    }

    public static TrickleFragment parse(String body) throws SdpException {
        List<SdpLines.Line> lines = SdpLines.split(body, MAX_BYTES, "trickle-ice-sdpfrag body");
        Optional<String> ufrag = Optional.empty();
        Optional<String> pwd = Optional.empty();
        List<String> options = new ArrayList<>();
        boolean end = false;
        List<Section> sections = new ArrayList<>();
        SectionBuilder current = null;
        for (SdpLines.Line line : lines) {
            try {
                if (line.type() == 'm') {
                    if (current != null) {
                        sections.add(current.build());
                    }
                    if (sections.size() >= SdpParser.MAX_MEDIA) {
                        throw new SdpException("more than " + SdpParser.MAX_MEDIA + " m= lines");
                    }
                    current = new SectionBuilder(line.value());
                    continue;
                }
                if (line.type() != 'a') {
                    throw new SdpException(line.type() + "= is not allowed in a trickle-ice-sdpfrag (only a= and m=)");
                }
                String text = line.value();
                int colon = text.indexOf(':');
                String name = colon < 0 ? text : text.substring(0, colon);
                String value = colon < 0 ? "" : text.substring(colon + 1).strip();
                if (current == null) {
                    switch (name) {
                        case "ice-ufrag" -> ufrag = Optional.of(onceIn(ufrag, name, SdpParser.iceUfrag(value)));
                        case "ice-pwd" -> pwd = Optional.of(onceIn(pwd, name, SdpParser.icePwd(value)));
                        case "ice-options" -> options.addAll(SdpSyntax.words(value));
                        case "end-of-candidates" -> end = true;
                        case "candidate", "mid" ->
                                throw new SdpException("a=" + name + " before any m= line (RFC 8840 puts it under m=)");
                        default -> {
                            // other session attributes (group:BUNDLE) carry nothing for ICE
                        }
                    }
                } else {
                    current.attribute(name, value);
                }
            } catch (SdpException e) {
                throw SdpException.atLine(line.number(), e);
            }
        }
        if (current != null) {
            sections.add(current.build());
        }
        return new TrickleFragment(ufrag, pwd, options, end, sections);
    }

    /** The fragment's ufrag: session level, else the first section that has one. */
    public Optional<String> effectiveUfrag() {
        return iceUfrag.or(() -> sections.stream().map(Section::iceUfrag).flatMap(Optional::stream).findFirst());
    }

    public Optional<String> effectivePwd() {
        return icePwd.or(() -> sections.stream().map(Section::icePwd).flatMap(Optional::stream).findFirst());
    }

    /**
     * RFC 8840 section 4.4 / RFC 8445 section 9: new credentials in a PATCH mean an ICE restart. A fragment
     * without credentials only adds candidates.
     */
    public boolean isIceRestart(String currentUfrag, String currentPwd) {
        return effectiveUfrag().filter(u -> !u.equals(currentUfrag)).isPresent()
                || effectivePwd().filter(p -> !p.equals(currentPwd)).isPresent();
    }

    /** All candidates in the fragment, with the mid they were listed under. */
    public List<Candidate> candidates() {
        return sections.stream().flatMap(s -> s.candidates().stream()).toList();
    }

    /** Whether the client signalled the end of its candidates, at session level or in any section. */
    public boolean anyEndOfCandidates() {
        return endOfCandidates || sections.stream().anyMatch(Section::endOfCandidates);
    }

    /** The fragment as {@code application/trickle-ice-sdpfrag} text with CRLF line ends. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        iceUfrag.ifPresent(v -> sb.append("a=ice-ufrag:").append(v).append("\r\n"));
        icePwd.ifPresent(v -> sb.append("a=ice-pwd:").append(v).append("\r\n"));
        if (!iceOptions.isEmpty()) {
            sb.append("a=ice-options:").append(String.join(" ", iceOptions)).append("\r\n");
        }
        if (endOfCandidates) {
            sb.append("a=end-of-candidates\r\n");
        }
        for (Section s : sections) {
            sb.append("m=").append(s.media()).append(" 9 ").append(s.proto()).append(' ').append(s.format())
                    .append("\r\n");
            if (!s.mid().isEmpty()) {
                sb.append("a=mid:").append(s.mid()).append("\r\n");
            }
            s.iceUfrag().ifPresent(v -> sb.append("a=ice-ufrag:").append(v).append("\r\n"));
            s.icePwd().ifPresent(v -> sb.append("a=ice-pwd:").append(v).append("\r\n"));
            for (Candidate c : s.candidates()) {
                sb.append("a=candidate:").append(c).append("\r\n");
            }
            if (s.endOfCandidates()) {
                sb.append("a=end-of-candidates\r\n");
            }
        }
        return sb.toString();
    }

    private static String onceIn(Optional<String> existing, String name, String value) throws SdpException {
        if (existing.isPresent()) {
            throw new SdpException("second a=" + name);
        }
        return value;
    }

    private static final class SectionBuilder {
        private final String media;
        private final String proto;
        private final String format;
        private String mid = "";
        private Optional<String> ufrag = Optional.empty();
        private Optional<String> pwd = Optional.empty();
        private final List<Candidate> candidates = new ArrayList<>();
        private boolean end;

        SectionBuilder(String mLine) throws SdpException {
            List<String> w = SdpSyntax.words(mLine);
            if (w.size() < 4) {
                throw new SdpException("m= needs '<media> <port> <proto> <fmt>', got '"
                        + SdpSyntax.abbreviate(mLine) + "'");
            }
            media = SdpSyntax.requireToken(w.get(0), "m= media type");
            SdpSyntax.parsePort(w.get(1), "m= port");
            proto = w.get(2);
            format = w.get(3);
        }

        void attribute(String name, String value) throws SdpException {
            switch (name) {
                case "mid" -> {
                    if (!mid.isEmpty()) {
                        throw new SdpException("second a=mid in one section");
                    }
                    mid = SdpSyntax.requireToken(value, "a=mid");
                }
                case "ice-ufrag" -> ufrag = Optional.of(onceIn(ufrag, name, SdpParser.iceUfrag(value)));
                case "ice-pwd" -> pwd = Optional.of(onceIn(pwd, name, SdpParser.icePwd(value)));
                case "candidate" -> candidates.add(Candidate.parse(value));
                case "end-of-candidates" -> end = true;
                default -> {
                    // not ICE: ignored, as RFC 8840 lets clients copy other lines into a fragment
                }
            }
        }

        Section build() {
            return new Section(media, proto, format, mid, ufrag, pwd, candidates, end);
        }
    }
}
