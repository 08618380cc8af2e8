package io.relaymesh.node.rtcp;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.Arrays;

/**
 * Transport-wide congestion control feedback, transport layer feedback FMT 15
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 section 3.1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  FMT=15 |    PT=205     |           length              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     SSRC of packet sender                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      SSRC of media source                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      base sequence number     |      packet status count      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 reference time                | fb pkt. count |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          packet chunk         |         packet chunk          |
 * .                              ...                              .
 * |         packet chunk          |  recv delta   |  recv delta   |
 * .                              ...                              .
 * |           recv delta          |  recv delta   | zero padding  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Each packet from {@code base} on has a status symbol ({@link #NOT_RECEIVED}, {@link #SMALL_DELTA},
 * {@link #LARGE_DELTA}; the fourth value is reserved and rejected). Symbols are packed into 16-bit chunks:
 * <ul>
 *   <li>run length: {@code 0 | symbol(2) | run(13)}, one symbol repeated;</li>
 *   <li>status vector: {@code 1 | S | 14 bits}, S=0 fourteen 1-bit symbols (0 not received, 1 small delta),
 *       S=1 seven 2-bit symbols. A vector may cover more packets than the status count; the excess is ignored.</li>
 * </ul>
 * Every received packet then has a receive delta in 250 µs ticks from the previous received packet (the first from
 * the reference time, in 64 ms units): one unsigned byte for a small delta, a signed 16-bit value for a large one.
 *
 * <p>A parsed packet holds the statuses and deltas in two arrays sized by the status count (the only allocation
 * of a parse, made after the chunks and delta lengths were validated; a valid 40-byte packet may still claim 65535
 * lost packets, so a parse may allocate up to 192 KiB). {@link #writeTo} chooses chunks greedily: a run length chunk for runs of at least 14 equal symbols
 * (or 7 when the next 14 do not fit 1-bit symbols), otherwise the densest vector that holds the next symbols.
 */
public final class TransportCc {

    public static final int NOT_RECEIVED = 0;
    public static final int SMALL_DELTA = 1;
    public static final int LARGE_DELTA = 2;
    static final int RESERVED_SYMBOL = 3;

    /** The unit of a receive delta. */
    public static final long DELTA_TICK_MICROS = 250;
    /** The unit of the reference time. */
    public static final long REFERENCE_TICK_MICROS = 64_000;
    public static final int MAX_REFERENCE_TIME = 0xFFFFFF;
    public static final int MAX_STATUS_COUNT = 0xFFFF;

    static final int FIXED_LENGTH = RtcpHeader.FEEDBACK_HEADER_LENGTH + 8;
    static final int CHUNK_LENGTH = 2;
    static final int VECTOR_CHUNK_BIT = 0x8000;
    static final int TWO_BIT_SYMBOLS_BIT = 0x4000;
    static final int RUN_SYMBOL_SHIFT = 13;
    static final int MAX_RUN_LENGTH = 0x1FFF;
    static final int ONE_BIT_CAPACITY = 14;
    static final int TWO_BIT_CAPACITY = 7;
    private static final int OFFSET_BASE = 12;
    private static final int OFFSET_STATUS_COUNT = 14;
    private static final int OFFSET_REFERENCE_TIME = 16;
    private static final int OFFSET_FEEDBACK_COUNT = 19;

    private final int senderSsrc;
    private final int mediaSsrc;
    private final int baseSequence;
    private final int referenceTime;
    private final int feedbackPacketCount;
    private final byte[] symbols;
    /** Receive delta in 250 µs ticks per packet; 0 for packets not received. */
    private final short[] deltas;

    private TransportCc(int senderSsrc, int mediaSsrc, int baseSequence, int referenceTime, int feedbackPacketCount,
            byte[] symbols, short[] deltas) {
        this.senderSsrc = senderSsrc;
        this.mediaSsrc = mediaSsrc;
        this.baseSequence = baseSequence;
        this.referenceTime = referenceTime;
        this.feedbackPacketCount = feedbackPacketCount;
        this.symbols = symbols;
        this.deltas = deltas;
    }

    /**
     * Feedback for the packets {@code base, base + 1, ...}: {@code arrivalMicros[i]} is when packet {@code base + i}
     * arrived on the receiver's clock, or a negative value if it did not. The reference time is the first arrival
     * rounded down to 64 ms; each delta is quantized against the quantized time of the previous arrival, so errors
     * do not accumulate.
     *
     * @throws IllegalArgumentException if there are no packets, more than 65535, no arrival at all, or two
     *         consecutive arrivals more than 8191.75 ms apart (the caller starts a new feedback packet there)
     */
    public static TransportCc forArrivals(int senderSsrc, int mediaSsrc, int baseSequence, int feedbackPacketCount,
            long[] arrivalMicros) {
        int count = arrivalMicros.length;
        if (count == 0 || count > MAX_STATUS_COUNT) {
            throw new IllegalArgumentException("transport-cc reports 1 to 65535 packets, got " + count);
        }
        long first = -1;
        for (long arrival : arrivalMicros) {
            if (arrival >= 0) {
                first = arrival;
                break;
            }
        }
        if (first < 0) {
            throw new IllegalArgumentException("transport-cc needs at least one received packet");
        }
        long referenceTicks = first / REFERENCE_TICK_MICROS;
        byte[] symbols = new byte[count];
        short[] deltas = new short[count];
        long previousTicks = referenceTicks * (REFERENCE_TICK_MICROS / DELTA_TICK_MICROS);
        for (int i = 0; i < count; i++) {
            if (arrivalMicros[i] < 0) {
                continue;
            }
            long ticks = Math.floorDiv(arrivalMicros[i], DELTA_TICK_MICROS);
            long delta = ticks - previousTicks;
            if (delta < Short.MIN_VALUE || delta > Short.MAX_VALUE) {
                throw new IllegalArgumentException("arrival of packet " + i + " is " + delta * DELTA_TICK_MICROS
                        + " µs from the previous one, beyond a 16-bit receive delta");
            }
            symbols[i] = (byte) (delta >= 0 && delta <= 0xFF ? SMALL_DELTA : LARGE_DELTA);
            deltas[i] = (short) delta;
            previousTicks = ticks;
        }
        return new TransportCc(senderSsrc, mediaSsrc, baseSequence & 0xFFFF, (int) (referenceTicks & MAX_REFERENCE_TIME),
                feedbackPacketCount & 0xFF, symbols, deltas);
    }

    public int senderSsrc() {
        return senderSsrc;
    }

    public int mediaSsrc() {
        return mediaSsrc;
    }

    /** Transport-wide sequence number of the first packet reported. */
    public int baseSequence() {
        return baseSequence;
    }

    /** The raw 24-bit reference time, in 64 ms units. */
    public int referenceTime() {
        return referenceTime;
    }

    public long referenceTimeMicros() {
        return referenceTime * REFERENCE_TICK_MICROS;
    }

    public int feedbackPacketCount() {
        return feedbackPacketCount;
    }

    public int packetStatusCount() {
        return symbols.length;
    }

    /** {@link #NOT_RECEIVED}, {@link #SMALL_DELTA} or {@link #LARGE_DELTA} of packet {@code base + index}. */
    public int status(int index) {
        return symbols[index];
    }

    public boolean received(int index) {
        return symbols[index] != NOT_RECEIVED;
    }

    /** Receive delta of packet {@code base + index} in µs (0 if it was not received). */
    public long deltaMicros(int index) {
        return deltas[index] * DELTA_TICK_MICROS;
    }

    /** Parses the feedback at {@code buf}'s reader index. */
    public static TransportCc parse(ByteBuf buf) throws ProtocolException {
        return parse(buf, buf.readerIndex());
    }

    /** Parses the feedback starting at absolute index {@code offset}; it must end within the written bytes. */
    public static TransportCc parse(ByteBuf buf, int offset) throws ProtocolException {
        int end = RtcpHeader.feedbackContentEnd(buf, offset, RtcpPacketType.RTPFB, RtcpPacketType.FMT_TRANSPORT_CC,
                "transport-cc");
        RtcpHeader.requireContent(offset, end, FIXED_LENGTH, "transport-cc");
        int count = buf.getUnsignedShort(offset + OFFSET_STATUS_COUNT);
        if (count == 0) {
            throw new ProtocolException("transport-cc packet status count is 0");
        }
        int chunksStart = offset + FIXED_LENGTH;
        // A first pass validates every chunk and the delta bytes they imply before anything is allocated.
        long scan = scanChunks(buf, chunksStart, end, count, null);
        int at = (int) scan;
        int deltaBytes = (int) (scan >>> 32);
        if (end - at < deltaBytes) {
            throw new ProtocolException("transport-cc receive deltas need " + deltaBytes + " bytes, "
                    + (end - at) + " left");
        }
        if (end - at - deltaBytes > 3) {
            throw new ProtocolException("transport-cc has " + (end - at - deltaBytes) + " bytes after its receive deltas");
        }
        byte[] symbols = new byte[count];
        scanChunks(buf, chunksStart, end, count, symbols);
        short[] deltas = new short[count];
        for (int i = 0; i < count; i++) {
            if (symbols[i] == SMALL_DELTA) {
                deltas[i] = (short) buf.getUnsignedByte(at++);
            } else if (symbols[i] == LARGE_DELTA) {
                deltas[i] = buf.getShort(at);
                at += 2;
            }
        }
        return new TransportCc(buf.getInt(offset + 4), buf.getInt(offset + 8), buf.getUnsignedShort(offset + OFFSET_BASE),
                buf.getUnsignedMedium(offset + OFFSET_REFERENCE_TIME), buf.getUnsignedByte(offset + OFFSET_FEEDBACK_COUNT),
                symbols, deltas);
    }

    /**
     * Walks the chunks from {@code at} until {@code count} statuses are covered, storing them in {@code symbols}
     * when given. Returns the index after the last chunk in the low 32 bits and the receive delta bytes the
     * statuses need in the high 32 bits.
     */
    private static long scanChunks(ByteBuf buf, int at, int end, int count, byte[] symbols) throws ProtocolException {
        int filled = 0;
        long deltaBytes = 0;
        while (filled < count) {
            if (end - at < CHUNK_LENGTH) {
                throw new ProtocolException("transport-cc chunks end after " + filled + " of " + count + " statuses");
            }
            int chunk = buf.getUnsignedShort(at);
            at += CHUNK_LENGTH;
            if ((chunk & VECTOR_CHUNK_BIT) == 0) {
                int symbol = chunk >>> RUN_SYMBOL_SHIFT;
                int run = chunk & MAX_RUN_LENGTH;
                requireKnownSymbol(symbol, filled);
                if (run == 0 || run > count - filled) {
                    throw new ProtocolException("transport-cc run length " + run + " at status " + filled
                            + " does not fit the " + (count - filled) + " remaining");
                }
                if (symbols != null) {
                    Arrays.fill(symbols, filled, filled + run, (byte) symbol);
                }
                filled += run;
                deltaBytes += (long) run * symbol; // a symbol's value is its delta's size: 0, 1 or 2 bytes
            } else {
                boolean twoBit = (chunk & TWO_BIT_SYMBOLS_BIT) != 0;
                int capacity = twoBit ? TWO_BIT_CAPACITY : ONE_BIT_CAPACITY;
                int bits = twoBit ? 2 : 1;
                for (int i = 0; i < capacity && filled < count; i++, filled++) {
                    int symbol = (chunk >>> (bits * (capacity - 1 - i))) & (twoBit ? 3 : 1);
                    requireKnownSymbol(symbol, filled);
                    if (symbols != null) {
                        symbols[filled] = (byte) symbol;
                    }
                    deltaBytes += symbol;
                }
            }
        }
        return (deltaBytes << 32) | at;
    }

    private static void requireKnownSymbol(int symbol, int index) throws ProtocolException {
        if (symbol == RESERVED_SYMBOL) {
            throw new ProtocolException("transport-cc status " + index + " uses the reserved symbol 3");
        }
    }

    public int encodedLength() {
        int length = FIXED_LENGTH;
        for (int at = 0; at < symbols.length; at += covered(chunkSpan(at))) {
            length += CHUNK_LENGTH;
        }
        for (byte symbol : symbols) {
            length += symbol == SMALL_DELTA ? 1 : symbol == LARGE_DELTA ? 2 : 0;
        }
        return (length + 3) & ~3;
    }

    public void writeTo(ByteBuf out) {
        int total = encodedLength();
        RtcpHeader.requireEncodable(total, "transport-cc");
        int start = out.writerIndex();
        RtcpHeader.write(out, RtcpPacketType.FMT_TRANSPORT_CC, RtcpPacketType.RTPFB, total);
        out.writeInt(senderSsrc);
        out.writeInt(mediaSsrc);
        out.writeShort(baseSequence);
        out.writeShort(symbols.length);
        out.writeMedium(referenceTime);
        out.writeByte(feedbackPacketCount);
        for (int at = 0; at < symbols.length; ) {
            int span = chunkSpan(at);
            out.writeShort(chunk(at, span));
            at += covered(span);
        }
        for (int i = 0; i < symbols.length; i++) {
            if (symbols[i] == SMALL_DELTA) {
                out.writeByte(deltas[i]);
            } else if (symbols[i] == LARGE_DELTA) {
                out.writeShort(deltas[i]);
            }
        }
        out.writeZero(total - (out.writerIndex() - start));
    }

    /** Statuses the chunk starting at {@code at} covers (see the class comment for the choice). */
    private int chunkSpan(int at) {
        int remaining = symbols.length - at;
        int run = 1;
        while (run < remaining && run < MAX_RUN_LENGTH && symbols[at + run] == symbols[at]) {
            run++;
        }
        if (run >= ONE_BIT_CAPACITY || run == remaining) {
            return run;
        }
        int oneBit = Math.min(ONE_BIT_CAPACITY, remaining);
        boolean fitsOneBit = true;
        for (int i = 0; i < oneBit; i++) {
            fitsOneBit &= symbols[at + i] != LARGE_DELTA;
        }
        if (fitsOneBit) {
            return -oneBit;
        }
        return run >= TWO_BIT_CAPACITY ? run : -Math.min(TWO_BIT_CAPACITY, remaining) - ONE_BIT_CAPACITY;
    }

    /** Statuses covered by a chunk described as {@link #chunkSpan} answers. */
    private static int covered(int span) {
        return span > 0 ? span : -span <= ONE_BIT_CAPACITY ? -span : -span - ONE_BIT_CAPACITY;
    }

    /**
     * Encodes the chunk for {@code chunkSpan}'s answer: a positive span is a run, {@code -n} (n ≤ 14) a 1-bit vector
     * of n statuses, {@code -14 - n} a 2-bit vector of n.
     */
    private int chunk(int at, int span) {
        if (span > 0) {
            return (symbols[at] << RUN_SYMBOL_SHIFT) | span;
        }
        int n = -span;
        if (n <= ONE_BIT_CAPACITY) {
            int bits = 0;
            for (int i = 0; i < n; i++) {
                bits |= symbols[at + i] << (ONE_BIT_CAPACITY - 1 - i);
            }
            return VECTOR_CHUNK_BIT | bits;
        }
        n -= ONE_BIT_CAPACITY;
        int bits = 0;
        for (int i = 0; i < n; i++) {
            bits |= symbols[at + i] << (2 * (TWO_BIT_CAPACITY - 1 - i));
        }
        return VECTOR_CHUNK_BIT | TWO_BIT_SYMBOLS_BIT | bits;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransportCc t && senderSsrc == t.senderSsrc && mediaSsrc == t.mediaSsrc
                && baseSequence == t.baseSequence && referenceTime == t.referenceTime
                && feedbackPacketCount == t.feedbackPacketCount && Arrays.equals(symbols, t.symbols)
                && Arrays.equals(deltas, t.deltas);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * baseSequence + referenceTime) + Arrays.hashCode(symbols) + 7 * Arrays.hashCode(deltas);
    }

    @Override
    public String toString() {
        return "TransportCc[base=" + baseSequence + ", count=" + symbols.length + ", referenceTime=" + referenceTime
                + ", fbCount=" + feedbackPacketCount + "]";
    }
}
