package io.relaymesh.node.sdp;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the node brings to an answer: its role for accepted media, its ICE-lite credentials and host candidates,
 * its DTLS certificate fingerprint, and its codec, header-extension and feedback support.
 *
 * @param localDirection   {@link Direction#RECV_ONLY} for WHIP publishers (the node receives),
 *                         {@link Direction#SEND_ONLY} for WHEP viewers (the node sends)
 * @param fingerprintSha256 the node's certificate SHA-256 as colon-separated hex pairs
 * @param hostCandidates   UDP addresses the node listens on, in preference order
 * @param headerExtensions URIs the node understands; only offered ones are answered, with the offer's ids
 * @param rtcpFeedback     feedback the node supports ("nack", "nack pli", "ccm fir", "goog-remb", "transport-cc")
 * @param outgoingStreams  per mid, the stream the node sends there (only used where the node sends)
 * @param sessionId        the {@code o=} session id of the answer (inject it; tests use fixed values)
 */
public record AnswerOptions(Direction localDirection, String iceUfrag, String icePwd, String fingerprintSha256,
                            List<InetSocketAddress> hostCandidates, CodecPolicy codecs, Set<String> headerExtensions,
                            Set<String> rtcpFeedback, Map<String, OutgoingStream> outgoingStreams, long sessionId) {

    public static final String EXT_MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public static final String EXT_AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    public static final String EXT_TRANSPORT_CC =
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    public static final String EXT_ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    public static final String EXT_RTP_STREAM_ID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public static final String EXT_REPAIRED_RTP_STREAM_ID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    public static final String EXT_VIDEO_ORIENTATION = "urn:3gpp:video-orientation";
    public static final String EXT_DEPENDENCY_DESCRIPTOR =
            "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension";

    public static final Set<String> DEFAULT_HEADER_EXTENSIONS = Set.of(EXT_MID, EXT_AUDIO_LEVEL, EXT_TRANSPORT_CC,
            EXT_ABS_SEND_TIME, EXT_RTP_STREAM_ID, EXT_REPAIRED_RTP_STREAM_ID, EXT_VIDEO_ORIENTATION,
            EXT_DEPENDENCY_DESCRIPTOR);

    public static final Set<String> DEFAULT_RTCP_FEEDBACK =
            Set.of("nack", "nack pli", "ccm fir", "goog-remb", "transport-cc");

    public AnswerOptions {
        Objects.requireNonNull(localDirection, "localDirection");
        if (localDirection == Direction.INACTIVE) {
            throw new IllegalArgumentException("localDirection must send, receive or both");
        }
        if (iceUfrag.length() < 4 || iceUfrag.length() > 256 || !SdpSyntax.isIceChars(iceUfrag)) {
            throw new IllegalArgumentException("ICE ufrag must be 4-256 ice-chars");
        }
        if (icePwd.length() < 22 || icePwd.length() > 256 || !SdpSyntax.isIceChars(icePwd)) {
            throw new IllegalArgumentException("ICE pwd must be 22-256 ice-chars");
        }
        if (!Fingerprint.isHexPairs(fingerprintSha256) || fingerprintSha256.length() != 32 * 3 - 1) {
            throw new IllegalArgumentException("fingerprint must be 32 colon-separated hex pairs (SHA-256)");
        }
        hostCandidates = List.copyOf(hostCandidates);
        for (InetSocketAddress a : hostCandidates) {
            if (a.isUnresolved() || a.getPort() == 0) {
                throw new IllegalArgumentException("host candidate " + a + " must be a resolved address and port");
            }
        }
        Objects.requireNonNull(codecs, "codecs");
        headerExtensions = Set.copyOf(headerExtensions);
        rtcpFeedback = Set.copyOf(rtcpFeedback);
        outgoingStreams = Map.copyOf(outgoingStreams);
        if (sessionId < 0) {
            throw new IllegalArgumentException("sessionId must be non-negative");
        }
    }

    public static Builder builder(Direction localDirection) {
        return new Builder(localDirection);
    }

    /** Builder with the defaults: all supported codecs, extensions and feedback, no outgoing streams. */
    public static final class Builder {
        private final Direction localDirection;
        private String iceUfrag;
        private String icePwd;
        private String fingerprintSha256;
        private List<InetSocketAddress> hostCandidates = List.of();
        private CodecPolicy codecs = CodecPolicy.defaults();
        private Set<String> headerExtensions = DEFAULT_HEADER_EXTENSIONS;
        private Set<String> rtcpFeedback = DEFAULT_RTCP_FEEDBACK;
        private final Map<String, OutgoingStream> outgoingStreams = new LinkedHashMap<>();
        private long sessionId;

        private Builder(Direction localDirection) {
            this.localDirection = localDirection;
        }

        public Builder ice(String ufrag, String pwd) {
            this.iceUfrag = ufrag;
            this.icePwd = pwd;
            return this;
        }

        public Builder fingerprintSha256(String value) {
            this.fingerprintSha256 = value;
            return this;
        }

        public Builder hostCandidates(List<InetSocketAddress> value) {
            this.hostCandidates = value;
            return this;
        }

        public Builder codecs(CodecPolicy value) {
            this.codecs = value;
            return this;
        }

        public Builder headerExtensions(Set<String> value) {
            this.headerExtensions = value;
            return this;
        }

        public Builder rtcpFeedback(Set<String> value) {
            this.rtcpFeedback = value;
            return this;
        }

        public Builder outgoingStream(String mid, OutgoingStream stream) {
            outgoingStreams.put(mid, stream);
            return this;
        }

        public Builder sessionId(long value) {
            this.sessionId = value;
            return this;
        }

        public AnswerOptions build() {
            Objects.requireNonNull(iceUfrag, "ice credentials");
            Objects.requireNonNull(fingerprintSha256, "fingerprint");
            return new AnswerOptions(localDirection, iceUfrag, icePwd, fingerprintSha256, hostCandidates, codecs,
                    headerExtensions, rtcpFeedback, outgoingStreams, sessionId);
        }
    }
}
