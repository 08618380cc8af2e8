package io.relaymesh.node.sdp;

import java.util.List;

/** A {@code t=<start-time> <stop-time>} line (RFC 8866 section 5.9); WebRTC always writes {@code t=0 0}. */
public record Timing(long start, long stop) {

    public static final Timing UNBOUNDED = new Timing(0, 0);

    static Timing parse(String value) throws SdpException {
        List<String> w = SdpSyntax.words(value);
        if (w.size() != 2) {
            throw new SdpException("t= needs 2 fields (start stop), got " + w.size());
        }
        return new Timing(SdpSyntax.parseLong(w.get(0), 0, Long.MAX_VALUE, "t= start time"),
                SdpSyntax.parseLong(w.get(1), 0, Long.MAX_VALUE, "t= stop time"));
    }

    @Override
    public String toString() {
        return start + " " + stop;
    }
}
