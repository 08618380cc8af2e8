package io.relaymesh.node.sdp;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Answers a browser's offer as an ICE-lite, DTLS-server, BUNDLE + rtcp-mux WebRTC endpoint (RFC 8829 section
 * 5.3, RFC 8843, RFC 8842). Every media section keeps its place and mid; sections the node cannot serve are
 * rejected with port 0; accepted ones share one transport whose candidates are in the first accepted section.
 *
 * <p>Directions: an offered {@code sendonly} is answered {@code recvonly}, {@code recvonly} with
 * {@code sendonly}, {@code sendrecv} with the node's own direction, and a combination the node cannot serve with
 * {@code inactive}. Simulcast send rids are echoed as recv rids when the node receives (WHIP).
 */
public final class AnswerBuilder {

    private static final String ORIGIN_ADDRESS = "127.0.0.1";

    private AnswerBuilder() {
    }

    /** One offered section the node accepts, before it is written. */
    private record Accepted(int index, MediaDescription offer, String mid, Direction direction,
                            CodecNegotiator.Selection codecs, List<Extmap> extmaps, List<Rid> remoteRids,
                            Optional<Simulcast> remoteSimulcast) {
    }

    public static Answer answer(SessionDescription offer, AnswerOptions options) throws SdpException {
        List<MediaDescription> offered = offer.media();
        Optional<Group> bundle = offer.bundleGroup();
        long live = offered.stream().filter(m -> !m.isRejected()).count();
        if (bundle.isEmpty() && live > 1) {
            throw new SdpException("offer has no a=group:BUNDLE but " + live
                    + " media sections (the node needs all media bundled on one transport)");
        }
        List<Accepted> accepted = new ArrayList<>();
        Map<MediaKind, Set<String>> offeredCodecs = new LinkedHashMap<>();
        for (int i = 0; i < offered.size(); i++) {
            MediaDescription m = offered.get(i);
            if (m.isRejected() || (m.kind() != MediaKind.AUDIO && m.kind() != MediaKind.VIDEO)) {
                continue;
            }
            String mid = m.mid().orElseThrow(() -> new SdpException("offer media section " + (offered.indexOf(m) + 1)
                    + " (" + m.media() + ") has no a=mid (required for BUNDLE)"));
            if (!isDtlsSrtp(m.proto()) || (bundle.isPresent() && !bundle.get().mids().contains(mid))) {
                continue;
            }
            for (RtpMap r : m.rtpMaps()) {
                if (!r.is(CodecNegotiator.RTX) && !r.is("red") && !r.is("ulpfec") && !r.is("flexfec-03")) {
                    offeredCodecs.computeIfAbsent(m.kind(), k -> new LinkedHashSet<>()).add(r.encodingName());
                }
            }
            List<Extmap> extmaps = answerExtensions(m, options.headerExtensions());
            boolean transportCc = extmaps.stream().anyMatch(e -> e.uri().equals(AnswerOptions.EXT_TRANSPORT_CC));
            CodecNegotiator.Selection codecs =
                    CodecNegotiator.negotiate(m, options.codecs(), options.rtcpFeedback(), transportCc);
            if (codecs.isEmpty()) {
                continue;
            }
            Direction direction = complement(offer.direction(m), options.localDirection());
            List<Rid> rids = direction.receives() ? acceptedRids(m, codecs) : List.of();
            Optional<Simulcast> simulcast = rids.isEmpty() ? Optional.empty() : acceptedSimulcast(m, rids);
            accepted.add(new Accepted(i, m, mid, direction, codecs, extmaps, rids, simulcast));
        }
        if (accepted.isEmpty()) {
            throw new SdpException("offer has no audio or video m-line with a supported codec: "
                    + describeOffered(offeredCodecs) + "; supported " + options.codecs().describe());
        }
        if (accepted.stream().allMatch(a -> a.direction() == Direction.INACTIVE)) {
            throw new SdpException(options.localDirection().receives()
                    ? "offer has no sendonly or sendrecv audio/video m-line: nothing for the node to receive"
                    : "offer has no recvonly or sendrecv audio/video m-line: nothing for the node to send to");
        }
        NegotiatedTransport transport = checkTransport(offer, accepted, bundle);
        return build(offer, options, accepted, transport, bundle.isPresent());
    }

    /** The offerer's side of the single bundled transport. */
    private record NegotiatedTransport(String ufrag, String pwd, Fingerprint fingerprint, Setup setup,
                                       List<Candidate> candidates, boolean endOfCandidates) {
    }

    private static NegotiatedTransport checkTransport(SessionDescription offer, List<Accepted> accepted,
                                                      Optional<Group> bundle) throws SdpException {
        // The BUNDLE tag is the first mid of the group that the answer keeps (RFC 8843 section 7.3.1).
        Accepted tagged = accepted.getFirst();
        if (bundle.isPresent()) {
            for (String mid : bundle.get().mids()) {
                Optional<Accepted> a = accepted.stream().filter(x -> x.mid().equals(mid)).findFirst();
                if (a.isPresent()) {
                    tagged = a.get();
                    break;
                }
            }
        }
        Accepted tag = tagged;
        MediaDescription t = tag.offer();
        Fingerprint fingerprint = offer.fingerprint(t)
                .orElseThrow(() -> new SdpException("offer has no a=fingerprint (DTLS is required)"));
        String ufrag = offer.iceUfrag(t).orElseThrow(() -> new SdpException("offer has no a=ice-ufrag"
                + " for mid " + tag.mid() + " (ICE is required)"));
        String pwd = offer.icePwd(t).orElseThrow(() -> new SdpException("offer has no a=ice-pwd"
                + " for mid " + tag.mid() + " (ICE is required)"));
        Setup setup = offer.setup(t).orElse(Setup.ACTIVE); // RFC 4145 section 4: absent means active
        if (setup == Setup.PASSIVE || setup == Setup.HOLDCONN) {
            throw new SdpException("offer has a=setup:" + setup.sdpName() + " but the node is always the DTLS"
                    + " server (a=setup:passive): the offer must say a=setup:actpass or a=setup:active");
        }
        List<Candidate> candidates = new ArrayList<>();
        boolean end = false;
        for (Accepted a : accepted) {
            if (!a.offer().rtcpMux()) {
                throw new SdpException("offer m-line mid=" + a.mid() + " has no a=rtcp-mux (rtcp-mux is required)");
            }
            if (offer.fingerprint(a.offer()).isEmpty()) {
                throw new SdpException("offer has no a=fingerprint for mid " + a.mid() + " (DTLS is required)");
            }
            for (Candidate c : a.offer().candidates()) {
                if (!candidates.contains(c)) {
                    candidates.add(c);
                }
            }
            end |= a.offer().endOfCandidates();
        }
        return new NegotiatedTransport(ufrag, pwd, fingerprint, setup, candidates, end);
    }

    private static Answer build(SessionDescription offer, AnswerOptions options, List<Accepted> accepted,
                                NegotiatedTransport transport, boolean bundled) {
        List<Candidate> local = HostCandidates.of(options.hostCandidates());
        InetSocketAddress primary = options.hostCandidates().isEmpty() ? null : options.hostCandidates().getFirst();
        int port = primary == null ? 9 : primary.getPort();
        ConnectionData connection = primary == null ? ConnectionData.UNSPECIFIED_IP4
                : HostCandidates.connectionData(primary);

        SessionDescription.Builder answer = SessionDescription.builder(new Origin("-",
                Long.toString(options.sessionId()), "2", "IN", "IP4", ORIGIN_ADDRESS));
        answer.sessionName("-").timing(Timing.UNBOUNDED);
        List<String> bundleMids = accepted.stream().map(Accepted::mid).toList();
        if (bundled) {
            answer.group(new Group(Group.BUNDLE, bundleMids));
        }
        answer.extmapAllowMixed(offer.extmapAllowMixed());
        answer.iceLite(true);

        List<NegotiatedMedia> negotiated = new ArrayList<>();
        Set<String> streamIds = new LinkedHashSet<>();
        boolean first = true;
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription m = offer.media().get(i);
            int index = i;
            Optional<Accepted> a = accepted.stream().filter(x -> x.index() == index).findFirst();
            if (a.isEmpty()) {
                answer.media(rejected(m));
                continue;
            }
            Optional<OutgoingStream> outgoing = a.get().direction().sends()
                    ? Optional.ofNullable(options.outgoingStreams().get(a.get().mid())) : Optional.empty();
            outgoing.ifPresent(o -> streamIds.add(o.msidStream()));
            answer.media(acceptedSection(a.get(), options, port, connection, first ? local : List.of(), first,
                    outgoing));
            negotiated.add(negotiatedMedia(offer, a.get(), outgoing));
            first = false;
        }
        answer.msidSemantic(new MsidSemantic("WMS", List.copyOf(streamIds)));
        NegotiatedSession session = new NegotiatedSession(transport.ufrag(), transport.pwd(),
                transport.fingerprint(), transport.setup(), transport.candidates(), transport.endOfCandidates(),
                bundled ? bundleMids : List.of(), negotiated);
        return new Answer(answer.build(), session);
    }

    private static MediaDescription acceptedSection(Accepted a, AnswerOptions options, int port,
                                                    ConnectionData connection, List<Candidate> candidates,
                                                    boolean carriesCandidates, Optional<OutgoingStream> outgoing) {
        MediaDescription m = a.offer();
        MediaDescription.Builder b = MediaDescription.builder(m.media(), port, m.proto())
                .formats(a.codecs().formats()).connection(connection);
        candidates.forEach(b::candidate);
        b.endOfCandidates(carriesCandidates);
        b.iceUfrag(options.iceUfrag()).icePwd(options.icePwd())
                .fingerprint(Fingerprint.sha256(options.fingerprintSha256())).setup(Setup.PASSIVE).mid(a.mid());
        a.extmaps().forEach(b::extmap);
        b.direction(a.direction());
        outgoing.ifPresent(o -> b.msid(new Msid(o.msidStream(), o.msidTrack())));
        b.rtcpMux(true).rtcpRsize(m.rtcpRsize());
        a.codecs().rtpMaps().forEach(b::rtpMap);
        a.codecs().feedback().forEach(b::rtcpFeedback);
        a.codecs().fmtps().forEach(b::fmtp);
        for (Rid r : a.remoteRids()) {
            b.rid(new Rid(r.id(), Rid.RidDirection.RECV, answeredRestrictions(r, a.codecs())));
        }
        a.remoteSimulcast().ifPresent(s -> b.simulcast(s.reversed()));
        outgoing.ifPresent(o -> {
            boolean rtx = o.rtxSsrc() != 0 && a.codecs().codecs().stream().anyMatch(NegotiatedCodec::hasRtx);
            if (rtx) {
                b.ssrcGroup(new SsrcGroup(SsrcGroup.FID, List.of(o.ssrc(), o.rtxSsrc())));
            }
            announce(b, o.ssrc(), o);
            if (rtx) {
                announce(b, o.rtxSsrc(), o);
            }
        });
        return b.build();
    }

    private static void announce(MediaDescription.Builder b, long ssrc, OutgoingStream o) {
        b.ssrc(new SsrcAttribute(ssrc, "cname", o.cname()));
        b.ssrc(new SsrcAttribute(ssrc, "msid", o.msidStream() + " " + o.msidTrack()));
    }

    /** RFC 8829 section 5.3.1: a rejected section keeps its mid, gets port 0 and no transport attributes. */
    private static MediaDescription rejected(MediaDescription m) {
        MediaDescription.Builder b = MediaDescription.builder(m.media(), 0, m.proto())
                .formats(List.of(m.formats().getFirst())).connection(ConnectionData.UNSPECIFIED_IP4);
        m.mid().ifPresent(b::mid);
        return b.build();
    }

    private static NegotiatedMedia negotiatedMedia(SessionDescription offer, Accepted a,
                                                   Optional<OutgoingStream> outgoing) {
        MediaDescription m = a.offer();
        Map<String, Integer> extensions = new LinkedHashMap<>();
        a.extmaps().forEach(e -> extensions.put(e.uri(), e.id()));
        Optional<Msid> msid = m.msids().stream().findFirst();
        if (msid.isEmpty()) {
            for (long ssrc : m.ssrcList()) {
                Optional<String> text = m.ssrcAttribute(ssrc, "msid");
                if (text.isPresent()) {
                    try {
                        msid = Optional.of(Msid.parse(text.get()));
                        break;
                    } catch (SdpException e) {
                        // a malformed legacy ssrc msid is not worth rejecting the offer for
                    }
                }
            }
        }
        Optional<String> cname = m.ssrcList().stream().map(s -> m.ssrcAttribute(s, "cname"))
                .flatMap(Optional::stream).findFirst();
        return new NegotiatedMedia(a.mid(), a.index(), m.kind(), a.direction(), a.codecs().codecs(), extensions,
                m.ssrcList(), m.ssrcGroups(), msid, cname, a.remoteRids(), a.remoteSimulcast(), outgoing);
    }

    static Direction complement(Direction offered, Direction local) {
        boolean send = offered.receives() && local.sends();
        boolean receive = offered.sends() && local.receives();
        return Direction.of(send, receive);
    }

    private static boolean isDtlsSrtp(String proto) {
        return proto.equals("UDP/TLS/RTP/SAVPF") || proto.equals("UDP/TLS/RTP/SAVP")
                || proto.equals("TCP/DTLS/RTP/SAVPF") || proto.equals("TCP/TLS/RTP/SAVPF");
    }

    /** Offered extensions the node supports, same ids, the optional direction seen from the node's side. */
    private static List<Extmap> answerExtensions(MediaDescription m, Set<String> supported) {
        List<Extmap> out = new ArrayList<>();
        for (Extmap e : m.extmaps()) {
            if (supported.contains(e.uri())) {
                out.add(new Extmap(e.id(), e.direction().map(Direction::reversed), e.uri(), ""));
            }
        }
        return out;
    }

    /** The offerer's send rids whose pt restriction (if any) still names an answered codec. */
    private static List<Rid> acceptedRids(MediaDescription m, CodecNegotiator.Selection codecs) {
        Set<String> listed = m.simulcast().map(s -> Set.copyOf(s.sendRids())).orElse(null);
        List<Rid> out = new ArrayList<>();
        for (Rid r : m.rids()) {
            if (r.direction() != Rid.RidDirection.SEND || (listed != null && !listed.contains(r.id()))) {
                continue;
            }
            String pts = r.restrictionMap().get("pt");
            if (pts != null && allowedPts(pts, codecs).isEmpty()) {
                continue;
            }
            out.add(r);
        }
        return out;
    }

    private static Optional<Simulcast> acceptedSimulcast(MediaDescription m, List<Rid> rids) {
        if (m.simulcast().isEmpty()) {
            return Optional.empty();
        }
        Set<String> ids = new LinkedHashSet<>();
        rids.forEach(r -> ids.add(r.id()));
        List<List<Simulcast.Stream>> send = new ArrayList<>();
        for (List<Simulcast.Stream> alternatives : m.simulcast().get().send()) {
            List<Simulcast.Stream> kept = alternatives.stream().filter(s -> ids.contains(s.rid())).toList();
            if (!kept.isEmpty()) {
                send.add(kept);
            }
        }
        return send.isEmpty() ? Optional.empty() : Optional.of(new Simulcast(send, List.of()));
    }

    private static String answeredRestrictions(Rid r, CodecNegotiator.Selection codecs) {
        StringJoiner out = new StringJoiner(";");
        for (Map.Entry<String, String> e : r.restrictionMap().entrySet()) {
            if (e.getKey().equals("pt")) {
                out.add("pt=" + String.join(",", allowedPts(e.getValue(), codecs)));
            } else {
                out.add(e.getValue().isEmpty() ? e.getKey() : e.getKey() + "=" + e.getValue());
            }
        }
        return out.toString();
    }

    private static List<String> allowedPts(String ptList, CodecNegotiator.Selection codecs) {
        List<String> out = new ArrayList<>();
        for (String pt : ptList.split(",")) {
            if (codecs.codecs().stream().anyMatch(c -> Integer.toString(c.payloadType()).equals(pt))) {
                out.add(pt);
            }
        }
        return out;
    }

    private static String describeOffered(Map<MediaKind, Set<String>> offered) {
        if (offered.isEmpty()) {
            return "offered no audio or video codecs";
        }
        StringJoiner out = new StringJoiner("; ");
        offered.forEach((kind, names) -> out.add("offered " + kind.sdpName() + " codecs " + String.join(", ", names)));
        return out.toString();
    }
}
