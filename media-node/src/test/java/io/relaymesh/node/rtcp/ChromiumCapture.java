package io.relaymesh.node.rtcp;

import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The transport-cc feedback a real Chromium viewer wrote, and the RTP packets it reports, from
 * {@code src/test/resources/captures/} (made by {@code e2e/TransportCcCapture}; the files' headers say how and when).
 */
final class ChromiumCapture {

    static final String FEEDBACK = "/captures/chromium-transport-cc.txt";
    static final String SENT = "/captures/chromium-transport-cc-sent.txt";

    /**
     * One feedback packet.
     *
     * @param window         the capture phase it comes from (start, loss, bursts, reorder, late-pairs, stalls, steady)
     * @param receivedMicros when the node received it, µs on the capture's clock
     */
    record Feedback(String window, int index, long receivedMicros, byte[] bytes) {
        @Override
        public String toString() {
            return window + "#" + index;
        }
    }

    /** What the relay did to an RTP packet towards the viewer. */
    enum Fate {
        DELIVERED, DROPPED, HELD
    }

    /**
     * One RTP packet the node sent to the viewer.
     *
     * @param sentMicros µs on the capture's clock
     * @param bytes      SRTP bytes on the wire (what the node's estimator counts)
     * @param heldMicros how long the relay held it back (0 unless {@link Fate#HELD})
     */
    record Sent(String window, int transportSequence, long sentMicros, int bytes, int ssrc, int payloadType,
                int sequence, Fate fate, long heldMicros) {
    }

    static final List<Feedback> FEEDBACK_PACKETS = loadFeedback();
    static final Map<Integer, Sent> SENT_BY_SEQUENCE = loadSent();
    /**
     * Transport-wide sequence numbers of packets that repeat an RTP packet (SSRC and sequence number) delivered
     * before them: the viewer's SRTP replay protection discards those, so they never reach its feedback.
     */
    static final Set<Integer> REPEATS = repeats();

    private ChromiumCapture() {
    }

    static List<Feedback> window(String name) {
        return FEEDBACK_PACKETS.stream().filter(f -> f.window().equals(name)).toList();
    }

    private static List<Feedback> loadFeedback() {
        List<Feedback> out = new ArrayList<>();
        Map<String, Integer> perWindow = new HashMap<>();
        for (String line : lines(FEEDBACK)) {
            String[] f = line.split(" ");
            int index = perWindow.merge(f[0], 1, Integer::sum) - 1;
            out.add(new Feedback(f[0], index, Long.parseLong(f[1]), ByteBufUtil.decodeHexDump(f[2])));
        }
        return List.copyOf(out);
    }

    private static Map<Integer, Sent> loadSent() {
        Map<Integer, Sent> out = new HashMap<>();
        for (String line : lines(SENT)) {
            String[] f = line.split(" ");
            Fate fate = Fate.valueOf(f[7].toUpperCase(java.util.Locale.ROOT));
            out.put(Integer.parseInt(f[1]), new Sent(f[0], Integer.parseInt(f[1]), Long.parseLong(f[2]),
                    Integer.parseInt(f[3]), (int) Long.parseLong(f[4], 16), Integer.parseInt(f[5]),
                    Integer.parseInt(f[6]), fate, fate == Fate.HELD ? Long.parseLong(f[8]) : 0));
        }
        return Map.copyOf(out);
    }

    private static Set<Integer> repeats() {
        Set<Long> delivered = new HashSet<>();
        Set<Integer> out = new HashSet<>();
        SENT_BY_SEQUENCE.values().stream()
                .sorted(java.util.Comparator.comparingInt(Sent::transportSequence))
                .forEach(s -> {
                    long key = (s.ssrc() & 0xFFFFFFFFL) << 16 | s.sequence();
                    if (delivered.contains(key)) {
                        out.add(s.transportSequence());
                    } else if (s.fate() != Fate.DROPPED) {
                        delivered.add(key);
                    }
                });
        return Set.copyOf(out);
    }

    private static List<String> lines(String resource) {
        try (InputStream in = ChromiumCapture.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + resource + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A packet chunk as written, decoded independently of {@link TransportCc} (to compare chunk choices). */
    record Chunk(Kind kind, int statuses, int bits) {
        enum Kind {
            RUN, ONE_BIT_VECTOR, TWO_BIT_VECTOR
        }

        /** Symbol {@code i} of the statuses this chunk covers. */
        int symbol(int i) {
            return switch (kind) {
                case RUN -> bits >>> 13;
                case ONE_BIT_VECTOR -> (bits >>> (13 - i)) & 1;
                case TWO_BIT_VECTOR -> (bits >>> (12 - 2 * i)) & 3;
            };
        }
    }

    /** The chunks of a well-formed transport-cc packet, each covering no more than the status count left. */
    static List<Chunk> chunks(byte[] packet) {
        int count = (packet[14] & 0xFF) << 8 | packet[15] & 0xFF;
        List<Chunk> out = new ArrayList<>();
        int at = 20;
        for (int covered = 0; covered < count; at += 2) {
            int bits = (packet[at] & 0xFF) << 8 | packet[at + 1] & 0xFF;
            Chunk.Kind kind = (bits & 0x8000) == 0 ? Chunk.Kind.RUN
                    : (bits & 0x4000) == 0 ? Chunk.Kind.ONE_BIT_VECTOR : Chunk.Kind.TWO_BIT_VECTOR;
            int capacity = switch (kind) {
                case RUN -> bits & 0x1FFF;
                case ONE_BIT_VECTOR -> 14;
                case TWO_BIT_VECTOR -> 7;
            };
            int statuses = Math.min(capacity, count - covered);
            out.add(new Chunk(kind, statuses, bits));
            covered += statuses;
        }
        return out;
    }
}
