package io.relaymesh.node.sdp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the node's answer for an offer file, so a real browser can be fed the answer
 * ({@code src/test/resources/sdp/check-chromium-accepts-answers.mjs} drives Chromium with it).
 * Usage: {@code WriteAnswer <offer.sdp> <answer.sdp>}; a file name containing "whep" answers as a sender.
 */
public final class WriteAnswer {

    private WriteAnswer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: WriteAnswer <offer.sdp> <answer.sdp>");
            System.exit(2);
        }
        SessionDescription offer = SessionDescription.parse(Files.readString(Path.of(args[0])));
        boolean whep = Path.of(args[0]).getFileName().toString().contains("whep");
        Answer answer = AnswerBuilder.answer(offer, options(offer, whep));
        Files.writeString(Path.of(args[1]), answer.sdp());
    }

    /** The options the tests use: fixed credentials and fingerprint, one loopback host candidate. */
    static AnswerOptions options(SessionDescription offer, boolean whep) throws Exception {
        AnswerOptions.Builder b = AnswerOptions.builder(whep ? Direction.SEND_ONLY : Direction.RECV_ONLY)
                .ice("lite1234", "abcdefghijklmnopqrstuvwx").fingerprintSha256(Fixtures.NODE_FINGERPRINT)
                .hostCandidates(List.of(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40000)))
                .sessionId(42);
        if (whep) {
            long ssrc = 10_000;
            for (MediaDescription m : offer.media()) {
                if (m.mid().isPresent()) {
                    String mid = m.mid().get();
                    b.outgoingStream(mid, new OutgoingStream(ssrc, ssrc + 1, "relaymesh", "room-stream", "track-" + mid));
                    ssrc += 2;
                }
            }
        }
        return b.build();
    }
}
