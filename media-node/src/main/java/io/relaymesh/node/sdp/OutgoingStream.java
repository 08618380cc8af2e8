package io.relaymesh.node.sdp;

/**
 * A stream the node will send on one media section (WHEP viewers, subscribers): announced in the answer with
 * {@code a=msid}, {@code a=ssrc ... cname/msid} and, when RTX is negotiated, {@code a=ssrc-group:FID}.
 *
 * @param rtxSsrc the RTX SSRC, or 0 for none
 */
public record OutgoingStream(long ssrc, long rtxSsrc, String cname, String msidStream, String msidTrack) {

    public OutgoingStream {
        if (ssrc <= 0 || ssrc > 0xFFFF_FFFFL || rtxSsrc < 0 || rtxSsrc > 0xFFFF_FFFFL || rtxSsrc == ssrc) {
            throw new IllegalArgumentException("SSRCs must be distinct 32-bit values, got " + ssrc + "/" + rtxSsrc);
        }
        if (cname.isBlank() || !SdpSyntax.isToken(msidStream) || !SdpSyntax.isToken(msidTrack)
                || msidStream.length() > Msid.MAX_ID_LENGTH || msidTrack.length() > Msid.MAX_ID_LENGTH) {
            throw new IllegalArgumentException("cname must be non-blank and msid ids 1-64 token characters");
        }
    }
}
