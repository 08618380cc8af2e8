package io.relaymesh.node.sdp;

import java.util.List;
import java.util.Optional;

/**
 * The result of answering an offer: the remote transport parameters and the accepted media sections.
 *
 * @param bundleMids            the answer's BUNDLE group (empty if the offer had a single unbundled section)
 * @param remoteCandidates      distinct candidates from the accepted sections of the offer
 * @param remoteEndOfCandidates whether the offer said {@code a=end-of-candidates}
 */
public record NegotiatedSession(String remoteIceUfrag, String remoteIcePwd, Fingerprint remoteFingerprint,
                                Setup remoteSetup, List<Candidate> remoteCandidates, boolean remoteEndOfCandidates,
                                List<String> bundleMids, List<NegotiatedMedia> media) {

    public NegotiatedSession {
        remoteCandidates = List.copyOf(remoteCandidates);
        bundleMids = List.copyOf(bundleMids);
        media = List.copyOf(media);
    }

    public Optional<NegotiatedMedia> mediaByMid(String mid) {
        return media.stream().filter(m -> m.mid().equals(mid)).findFirst();
    }
}
