package io.relaymesh.node.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A parsed SDP body (RFC 8866) with the session-level WebRTC attributes modelled: BUNDLE groups (RFC 8843), ICE
 * credentials and options and {@code ice-lite} (RFC 8839), DTLS fingerprint and setup (RFC 8122, RFC 8842),
 * {@code msid-semantic}, {@code extmap-allow-mixed} (RFC 8285). Unknown attributes are kept verbatim.
 *
 * <p>{@link #parse(String)} rejects bodies above {@value SdpParser#MAX_BYTES} bytes or with more than
 * {@value SdpParser#MAX_MEDIA} media sections, and any malformed line, always with an {@link SdpException}
 * naming the line. {@link #toString()} writes the canonical text with CRLF line ends.
 *
 * @param otherLines {@code i=}, {@code u=}, {@code e=}, {@code p=}, {@code r=}, {@code z=}, {@code k=} lines,
 *                   kept verbatim in canonical order
 */
public record SessionDescription(
        int version, Origin origin, String sessionName, List<SdpLine> otherLines,
        Optional<ConnectionData> connection, List<Bandwidth> bandwidths, List<Timing> timings,
        List<Group> groups, Optional<String> iceUfrag, Optional<String> icePwd, List<String> iceOptions,
        boolean iceLite, List<Fingerprint> fingerprints, Optional<Setup> setup, Optional<MsidSemantic> msidSemantic,
        boolean extmapAllowMixed, Optional<Direction> direction, List<Extmap> extmaps,
        List<Attribute> otherAttributes, List<MediaDescription> media) {

    public SessionDescription {
        otherLines = otherLines.stream()
                .sorted((a, b) -> Integer.compare(SdpWriter.sessionLineRank(a.type()),
                        SdpWriter.sessionLineRank(b.type())))
                .toList();
        bandwidths = List.copyOf(bandwidths);
        timings = List.copyOf(timings);
        groups = List.copyOf(groups);
        iceOptions = List.copyOf(iceOptions);
        fingerprints = List.copyOf(fingerprints);
        extmaps = List.copyOf(extmaps);
        otherAttributes = List.copyOf(otherAttributes);
        media = List.copyOf(media);
    }

    public static SessionDescription parse(String sdp) throws SdpException {
        return SdpParser.parse(sdp);
    }

    /** The mids of the first {@code a=group:BUNDLE}, or an empty list. */
    public List<String> bundleMids() {
        return bundleGroup().map(Group::mids).orElse(List.of());
    }

    public Optional<Group> bundleGroup() {
        return groups.stream().filter(g -> g.semantics().equals(Group.BUNDLE)).findFirst();
    }

    /** The first session-level fingerprint. */
    public Optional<Fingerprint> fingerprint() {
        return fingerprints.stream().findFirst();
    }

    public Optional<MediaDescription> mediaByMid(String mid) {
        return media.stream().filter(m -> m.mid().filter(mid::equals).isPresent()).findFirst();
    }

    /** The section's {@code a=ice-ufrag}, else the session's. */
    public Optional<String> iceUfrag(MediaDescription m) {
        return m.iceUfrag().or(() -> iceUfrag);
    }

    public Optional<String> icePwd(MediaDescription m) {
        return m.icePwd().or(() -> icePwd);
    }

    public Optional<Fingerprint> fingerprint(MediaDescription m) {
        return m.fingerprints().stream().findFirst().or(this::fingerprint);
    }

    public Optional<Setup> setup(MediaDescription m) {
        return m.setup().or(() -> setup);
    }

    /** The section's direction, else the session's, else sendrecv (RFC 8866 section 6.7). */
    public Direction direction(MediaDescription m) {
        return m.direction().or(() -> direction).orElse(Direction.SEND_RECV);
    }

    /** The whole description as SDP text with CRLF line ends, in canonical order. */
    @Override
    public String toString() {
        return SdpWriter.write(this);
    }

    public static Builder builder(Origin origin) {
        return new Builder(origin);
    }

    /** Mutable assembly of a {@link SessionDescription}. */
    public static final class Builder {
        private int version;
        private Origin origin;
        private String sessionName = "-";
        private final List<SdpLine> otherLines = new ArrayList<>();
        private Optional<ConnectionData> connection = Optional.empty();
        private final List<Bandwidth> bandwidths = new ArrayList<>();
        private final List<Timing> timings = new ArrayList<>();
        private final List<Group> groups = new ArrayList<>();
        private Optional<String> iceUfrag = Optional.empty();
        private Optional<String> icePwd = Optional.empty();
        private final List<String> iceOptions = new ArrayList<>();
        private boolean iceLite;
        private final List<Fingerprint> fingerprints = new ArrayList<>();
        private Optional<Setup> setup = Optional.empty();
        private Optional<MsidSemantic> msidSemantic = Optional.empty();
        private boolean extmapAllowMixed;
        private Optional<Direction> direction = Optional.empty();
        private final List<Extmap> extmaps = new ArrayList<>();
        private final List<Attribute> otherAttributes = new ArrayList<>();
        private final List<MediaDescription> media = new ArrayList<>();

        private Builder(Origin origin) {
            this.origin = origin;
        }

        Builder version(int value) {
            version = value;
            return this;
        }

        Builder origin(Origin value) {
            origin = value;
            return this;
        }

        public Builder sessionName(String value) {
            sessionName = value;
            return this;
        }

        public Builder otherLine(SdpLine line) {
            otherLines.add(line);
            return this;
        }

        public Builder connection(ConnectionData value) {
            connection = Optional.of(value);
            return this;
        }

        public Builder bandwidth(Bandwidth value) {
            bandwidths.add(value);
            return this;
        }

        public Builder timing(Timing value) {
            timings.add(value);
            return this;
        }

        public Builder group(Group value) {
            groups.add(value);
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

        public Builder iceLite(boolean value) {
            iceLite = value;
            return this;
        }

        public Builder fingerprint(Fingerprint value) {
            fingerprints.add(value);
            return this;
        }

        public Builder setup(Setup value) {
            setup = Optional.of(value);
            return this;
        }

        public Builder msidSemantic(MsidSemantic value) {
            msidSemantic = Optional.of(value);
            return this;
        }

        public Builder extmapAllowMixed(boolean value) {
            extmapAllowMixed = value;
            return this;
        }

        public Builder direction(Direction value) {
            direction = Optional.of(value);
            return this;
        }

        public Builder extmap(Extmap value) {
            extmaps.add(value);
            return this;
        }

        public Builder otherAttribute(Attribute value) {
            otherAttributes.add(value);
            return this;
        }

        public Builder media(MediaDescription value) {
            media.add(value);
            return this;
        }

        // Read access for the parser's duplicate checks.
        Optional<String> iceUfrag() {
            return iceUfrag;
        }

        Optional<String> icePwd() {
            return icePwd;
        }

        Optional<Setup> setup() {
            return setup;
        }

        Optional<Direction> direction() {
            return direction;
        }

        Optional<MsidSemantic> msidSemantic() {
            return msidSemantic;
        }

        Optional<ConnectionData> connection() {
            return connection;
        }

        List<Timing> timings() {
            return timings;
        }

        List<MediaDescription> mediaList() {
            return media;
        }

        public SessionDescription build() {
            List<Timing> t = timings.isEmpty() ? List.of(Timing.UNBOUNDED) : timings;
            return new SessionDescription(version, origin, sessionName, otherLines, connection, bandwidths, t,
                    groups, iceUfrag, icePwd, iceOptions, iceLite, fingerprints, setup, msidSemantic,
                    extmapAllowMixed, direction, extmaps, otherAttributes, media);
        }
    }
}
