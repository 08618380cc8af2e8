package io.relaymesh.node.rtcp;

/**
 * RTCP packet types (RFC 3550 section 12.1, RFC 4585 section 6.1) and the feedback message types (FMT)
 * carried in the count field of RTPFB and PSFB packets (RFC 4585 sections 6.2 and 6.3, RFC 5104 section 4.3).
 */
public final class RtcpPacketType {

    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    public static final int APP = 204;
    /** Transport layer feedback. */
    public static final int RTPFB = 205;
    /** Payload-specific feedback. */
    public static final int PSFB = 206;
    /** Extended reports (RFC 3611). */
    public static final int XR = 207;

    /** RTPFB: Generic NACK (RFC 4585 section 6.2.1). */
    public static final int FMT_NACK = 1;
    /** RTPFB: transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions). */
    public static final int FMT_TRANSPORT_CC = 15;
    /** PSFB: Picture Loss Indication (RFC 4585 section 6.3.1). */
    public static final int FMT_PLI = 1;
    /** PSFB: Full Intra Request (RFC 5104 section 4.3.1). */
    public static final int FMT_FIR = 4;
    /** PSFB: application layer feedback, which REMB uses (RFC 4585 section 6.4). */
    public static final int FMT_AFB = 15;

    private RtcpPacketType() {
    }
}
