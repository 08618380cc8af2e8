package io.relaymesh.node.sdp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One media section: the {@code m=} line and everything up to the next {@code m=} (RFC 8866 section 5.14), with
 * the WebRTC attributes of RFC 8829/8839/8842/8843/8851/8853 modelled and all others kept verbatim in
 * {@link #otherAttributes()}.
 *
 * <p>Per-media ICE credentials, fingerprint, setup and direction are what this section says itself; use
 * {@link SessionDescription#iceUfrag(MediaDescription)} and friends for the session-level fallback.
 *
 * <p>The model is canonical: rtpmap, rtcp-fb and fmtp entries are kept in m-line format order (wildcard
 * rtcp-fb first) so that parse, write and parse again gives an equal value.
 *
 * @param portCount the {@code /<number of ports>} suffix of the port, or 0 when absent
 * @param otherLines {@code i=} and {@code k=} lines kept verbatim
 */
public record MediaDescription(
        String media, int port, int portCount, String proto, List<String> formats,
        List<SdpLine> otherLines, Optional<ConnectionData> connection, List<Bandwidth> bandwidths,
        Optional<String> mid, Optional<Direction> direction,
        Optional<String> iceUfrag, Optional<String> icePwd, List<String> iceOptions,
        List<Fingerprint> fingerprints, Optional<Setup> setup,
        boolean rtcpMux, boolean rtcpRsize, boolean bundleOnly, boolean endOfCandidates,
        List<Candidate> candidates, List<Extmap> extmaps,
        List<RtpMap> rtpMaps, List<RtcpFeedback> rtcpFeedback, List<Fmtp> fmtps,
        List<Msid> msids, List<Rid> rids, Optional<Simulcast> simulcast,
        List<SsrcGroup> ssrcGroups, List<SsrcAttribute> ssrcs, List<Attribute> otherAttributes) {

    public MediaDescription {
        formats = List.copyOf(formats);
        otherLines = List.copyOf(otherLines);
        bandwidths = List.copyOf(bandwidths);
        iceOptions = List.copyOf(iceOptions);
        fingerprints = List.copyOf(fingerprints);
        candidates = List.copyOf(candidates);
        extmaps = List.copyOf(extmaps);
        List<String> fmts = formats;
        Comparator<Integer> byFormat = Comparator.comparingInt(pt -> formatRank(fmts, pt));
        rtpMaps = sorted(rtpMaps, Comparator.comparing(RtpMap::payloadType, byFormat));
        rtcpFeedback = sorted(rtcpFeedback, Comparator.comparing(RtcpFeedback::payloadType, byFormat));
        fmtps = sorted(fmtps, Comparator.comparing(Fmtp::payloadType, byFormat));
        msids = List.copyOf(msids);
        rids = List.copyOf(rids);
        ssrcGroups = List.copyOf(ssrcGroups);
        ssrcs = List.copyOf(ssrcs);
        otherAttributes = List.copyOf(otherAttributes);
    }

    /** Position of a payload type in the m-line; wildcard first, unknown ones last. */
    static int formatRank(List<String> formats, int pt) {
        if (pt == RtcpFeedback.WILDCARD) {
            return -1;
        }
        int i = formats.indexOf(Integer.toString(pt));
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    private static <T> List<T> sorted(List<T> list, Comparator<T> order) {
        List<T> copy = new ArrayList<>(list);
        copy.sort(order); // stable
        return List.copyOf(copy);
    }

    public MediaKind kind() {
        return MediaKind.of(media);
    }

    /** Port 0 without {@code a=bundle-only}: the offerer or answerer rejected this section. */
    public boolean isRejected() {
        return port == 0 && !bundleOnly;
    }

    /** The payload types of an RTP m-line; non-numeric formats (SCTP) are skipped. */
    public List<Integer> payloadTypes() {
        List<Integer> out = new ArrayList<>();
        for (String f : formats) {
            try {
                out.add(Integer.parseInt(f));
            } catch (NumberFormatException e) {
                // not an RTP payload type
            }
        }
        return out;
    }

    public Optional<RtpMap> rtpMap(int payloadType) {
        return rtpMaps.stream().filter(r -> r.payloadType() == payloadType).findFirst();
    }

    public Optional<Fmtp> fmtp(int payloadType) {
        return fmtps.stream().filter(f -> f.payloadType() == payloadType).findFirst();
    }

    /** Feedback that applies to a payload type: its own lines plus the {@code *} ones. */
    public List<RtcpFeedback> rtcpFeedback(int payloadType) {
        return rtcpFeedback.stream()
                .filter(f -> f.payloadType() == payloadType || f.payloadType() == RtcpFeedback.WILDCARD).toList();
    }

    /** The SSRCs announced by {@code a=ssrc} lines, in first-seen order. */
    public List<Long> ssrcList() {
        return ssrcs.stream().map(SsrcAttribute::ssrc).distinct().toList();
    }

    public Optional<String> ssrcAttribute(long ssrc, String attribute) {
        return ssrcs.stream().filter(s -> s.ssrc() == ssrc && s.attribute().equals(attribute))
                .map(SsrcAttribute::value).findFirst();
    }

    public Optional<Attribute> otherAttribute(String name) {
        return otherAttributes.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /** This section as SDP text (the {@code m=} line and its attributes), CRLF-terminated. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        SdpWriter.writeMedia(this, sb);
        return sb.toString();
    }

    public static Builder builder(String media, int port, String proto) {
        return new Builder(media, port, proto);
    }

    public Builder toBuilder() {
        Builder b = new Builder(media, port, proto);
        b.portCount = portCount;
        b.formats.addAll(formats);
        b.otherLines.addAll(otherLines);
        b.connection = connection;
        b.bandwidths.addAll(bandwidths);
        b.mid = mid;
        b.direction = direction;
        b.iceUfrag = iceUfrag;
        b.icePwd = icePwd;
        b.iceOptions.addAll(iceOptions);
        b.fingerprints.addAll(fingerprints);
        b.setup = setup;
        b.rtcpMux = rtcpMux;
        b.rtcpRsize = rtcpRsize;
        b.bundleOnly = bundleOnly;
        b.endOfCandidates = endOfCandidates;
        b.candidates.addAll(candidates);
        b.extmaps.addAll(extmaps);
        b.rtpMaps.addAll(rtpMaps);
        b.rtcpFeedback.addAll(rtcpFeedback);
        b.fmtps.addAll(fmtps);
        b.msids.addAll(msids);
        b.rids.addAll(rids);
        b.simulcast = simulcast;
        b.ssrcGroups.addAll(ssrcGroups);
        b.ssrcs.addAll(ssrcs);
        b.otherAttributes.addAll(otherAttributes);
        return b;
    }

    /** Mutable assembly of a {@link MediaDescription}; used by the parser and the answer builder. */
    public static final class Builder {
        private String media;
        private int port;
        private int portCount;
        private String proto;
        private final List<String> formats = new ArrayList<>();
        private final List<SdpLine> otherLines = new ArrayList<>();
        private Optional<ConnectionData> connection = Optional.empty();
        private final List<Bandwidth> bandwidths = new ArrayList<>();
        private Optional<String> mid = Optional.empty();
        private Optional<Direction> direction = Optional.empty();
        private Optional<String> iceUfrag = Optional.empty();
        private Optional<String> icePwd = Optional.empty();
        private final List<String> iceOptions = new ArrayList<>();
        private final List<Fingerprint> fingerprints = new ArrayList<>();
        private Optional<Setup> setup = Optional.empty();
        private boolean rtcpMux;
        private boolean rtcpRsize;
        private boolean bundleOnly;
        private boolean endOfCandidates;
        private final List<Candidate> candidates = new ArrayList<>();
        private final List<Extmap> extmaps = new ArrayList<>();
        private final List<RtpMap> rtpMaps = new ArrayList<>();
        private final List<RtcpFeedback> rtcpFeedback = new ArrayList<>();
        private final List<Fmtp> fmtps = new ArrayList<>();
        private final List<Msid> msids = new ArrayList<>();
        private final List<Rid> rids = new ArrayList<>();
        private Optional<Simulcast> simulcast = Optional.empty();
        private final List<SsrcGroup> ssrcGroups = new ArrayList<>();
        private final List<SsrcAttribute> ssrcs = new ArrayList<>();
        private final List<Attribute> otherAttributes = new ArrayList<>();

        private Builder(String media, int port, String proto) {
            this.media = media;
            this.port = port;
            this.proto = proto;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder portCount(int portCount) {
            this.portCount = portCount;
            return this;
        }

        public Builder format(String format) {
            formats.add(format);
            return this;
        }

        public Builder formats(List<String> list) {
            formats.clear();
            formats.addAll(list);
            return this;
        }

        public Builder otherLine(SdpLine line) {
            otherLines.add(line);
            return this;
        }

        public Builder connection(ConnectionData c) {
            connection = Optional.of(c);
            return this;
        }

        public Builder bandwidth(Bandwidth b) {
            bandwidths.add(b);
            return this;
        }

        public Builder mid(String value) {
            mid = Optional.of(value);
            return this;
        }

        public Builder direction(Direction d) {
            direction = Optional.of(d);
            return this;
        }

        public Builder iceUfrag(String value) {
            iceUfrag = Optional.of(value);
            return this;
        }

        public Builder icePwd(String value) {
            icePwd = Optional.of(value);
            return this;
        }

        public Builder iceOption(String value) {
            iceOptions.add(value);
            return this;
        }

        public Builder fingerprint(Fingerprint f) {
            fingerprints.add(f);
            return this;
        }

        public Builder setup(Setup s) {
            setup = Optional.of(s);
            return this;
        }

        public Builder rtcpMux(boolean value) {
            rtcpMux = value;
            return this;
        }

        public Builder rtcpRsize(boolean value) {
            rtcpRsize = value;
            return this;
        }

        public Builder bundleOnly(boolean value) {
            bundleOnly = value;
            return this;
        }

        public Builder endOfCandidates(boolean value) {
            endOfCandidates = value;
            return this;
        }

        public Builder candidate(Candidate c) {
            candidates.add(c);
            return this;
        }

        public Builder extmap(Extmap e) {
            extmaps.add(e);
            return this;
        }

        public Builder rtpMap(RtpMap r) {
            rtpMaps.add(r);
            return this;
        }

        public Builder rtcpFeedback(RtcpFeedback f) {
            rtcpFeedback.add(f);
            return this;
        }

        public Builder fmtp(Fmtp f) {
            fmtps.add(f);
            return this;
        }

        public Builder msid(Msid m) {
            msids.add(m);
            return this;
        }

        public Builder rid(Rid r) {
            rids.add(r);
            return this;
        }

        public Builder simulcast(Simulcast s) {
            simulcast = Optional.of(s);
            return this;
        }

        public Builder ssrcGroup(SsrcGroup g) {
            ssrcGroups.add(g);
            return this;
        }

        public Builder ssrc(SsrcAttribute s) {
            ssrcs.add(s);
            return this;
        }

        public Builder otherAttribute(Attribute a) {
            otherAttributes.add(a);
            return this;
        }

        // Read access for the parser's duplicate checks.
        Optional<String> mid() {
            return mid;
        }

        Optional<Direction> direction() {
            return direction;
        }

        Optional<Setup> setup() {
            return setup;
        }

        Optional<Simulcast> simulcast() {
            return simulcast;
        }

        Optional<String> iceUfrag() {
            return iceUfrag;
        }

        Optional<String> icePwd() {
            return icePwd;
        }

        Optional<ConnectionData> connection() {
            return connection;
        }

        List<RtpMap> rtpMaps() {
            return rtpMaps;
        }

        List<Fmtp> fmtps() {
            return fmtps;
        }

        List<Extmap> extmaps() {
            return extmaps;
        }

        List<Rid> rids() {
            return rids;
        }

        public MediaDescription build() {
            return new MediaDescription(media, port, portCount, proto, formats, otherLines, connection, bandwidths,
                    mid, direction, iceUfrag, icePwd, iceOptions, fingerprints, setup, rtcpMux, rtcpRsize,
                    bundleOnly, endOfCandidates, candidates, extmaps, rtpMaps, rtcpFeedback, fmtps, msids, rids,
                    simulcast, ssrcGroups, ssrcs, otherAttributes);
        }
    }
}
