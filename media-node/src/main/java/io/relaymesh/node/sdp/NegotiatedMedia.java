package io.relaymesh.node.sdp;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One accepted media section of an answer.
 *
 * @param mLineIndex        position of the section in the offer (and answer)
 * @param direction         the node's direction in this section
 * @param codecs            answered codecs in the offer's order (the first is the remote's preferred one)
 * @param extensions        answered header extension URI to id
 * @param remoteSsrcs       SSRCs the offerer announced ({@code a=ssrc})
 * @param remoteSsrcGroups  their FID (RTX) and SIM (simulcast) relations
 * @param remoteMsid        the offerer's stream and track id ({@code a=msid}, else from {@code a=ssrc msid:})
 * @param remoteCname       the offerer's RTCP CNAME from {@code a=ssrc cname:}
 * @param remoteRids        the offerer's send rids the answer accepted (restrictions as offered)
 * @param remoteSimulcast   the offerer's simulcast description restricted to accepted rids
 * @param outgoing          the stream the node announced here, if it sends
 */
public record NegotiatedMedia(String mid, int mLineIndex, MediaKind kind, Direction direction,
                              List<NegotiatedCodec> codecs, Map<String, Integer> extensions, List<Long> remoteSsrcs,
                              List<SsrcGroup> remoteSsrcGroups, Optional<Msid> remoteMsid,
                              Optional<String> remoteCname, List<Rid> remoteRids,
                              Optional<Simulcast> remoteSimulcast, Optional<OutgoingStream> outgoing) {

    public NegotiatedMedia {
        codecs = List.copyOf(codecs);
        extensions = Map.copyOf(extensions);
        remoteSsrcs = List.copyOf(remoteSsrcs);
        remoteSsrcGroups = List.copyOf(remoteSsrcGroups);
        remoteRids = List.copyOf(remoteRids);
    }

    /** The id of a header extension, or empty when it was not negotiated. */
    public Optional<Integer> extensionId(String uri) {
        return Optional.ofNullable(extensions.get(uri));
    }

    public Optional<NegotiatedCodec> codec(int payloadType) {
        return codecs.stream().filter(c -> c.payloadType() == payloadType).findFirst();
    }

    /** The RTX SSRC the offerer paired with a media SSRC by {@code a=ssrc-group:FID}. */
    public OptionalLong remoteRtxSsrc(long mediaSsrc) {
        for (SsrcGroup g : remoteSsrcGroups) {
            if (g.semantics().equals(SsrcGroup.FID) && g.ssrcs().size() >= 2 && g.ssrcs().get(0) == mediaSsrc) {
                return OptionalLong.of(g.ssrcs().get(1));
            }
        }
        return OptionalLong.empty();
    }

    /** Simulcast layers in the order of the offerer's SIM group (lowest first), if it sent one. */
    public List<Long> remoteSimulcastSsrcs() {
        return remoteSsrcGroups.stream().filter(g -> g.semantics().equals(SsrcGroup.SIM)).findFirst()
                .map(SsrcGroup::ssrcs).orElse(List.of());
    }
}
