package io.relaymesh.node.cluster.wire;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.config.ZoneName;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.Collections;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How far a node is from the other zones: per zone, the round-trip time of its direct probes to the nearest member
 * there, in microseconds. Gossiped in the node's metadata so that every node can choose the same route into a zone
 * from the same numbers (the relay's zone entry: {@code relay.RelayTree}); each node's own measurements differ, the
 * published ones are shared.
 *
 * <pre>
 * count (1, at most {@value #MAX_ZONES}) | count x (zone (string) | RTT in microseconds (4))
 * </pre>
 *
 * A node publishes a new figure for a zone only when it moved by more than a quarter and by more than half a
 * millisecond ({@link #settle}): jitter does not change what others compute, a real change of path does.
 *
 * @param micros RTT per zone id, in microseconds
 */
public record ZoneRtts(SortedMap<String, Integer> micros) {

    /** Zones one node reports at most (its nearest): bounds the metadata every membership message may carry. */
    public static final int MAX_ZONES = 8;
    public static final ZoneRtts NONE = new ZoneRtts(new TreeMap<>());
    /** A published figure stands while the measurement stays within this fraction of it... */
    static final double SETTLE_FRACTION = 0.25;
    /** ...or within this many microseconds of it. */
    static final int SETTLE_MICROS = 500;

    public ZoneRtts {
        if (micros.size() > MAX_ZONES) {
            throw new IllegalArgumentException("at most " + MAX_ZONES + " zones, got " + micros.size());
        }
        for (Map.Entry<String, Integer> e : micros.entrySet()) {
            if (!ZoneName.isValid(e.getKey())) {
                throw new IllegalArgumentException("zone must be a DNS label, got " + e.getKey());
            }
            if (e.getValue() < 0) {
                throw new IllegalArgumentException("RTT must not be negative, got " + e.getValue() + " for " + e.getKey());
            }
        }
        micros = Collections.unmodifiableSortedMap(new TreeMap<>(micros));
    }

    /** The published RTT to {@code zone} in microseconds, or empty when this node has none. */
    public OptionalInt to(String zone) {
        Integer value = micros.get(zone);
        return value == null ? OptionalInt.empty() : OptionalInt.of(value);
    }

    /**
     * What a node publishes next, from what it published before and what it measures now (per zone, microseconds;
     * any number of zones): a zone's figure is kept while the measurement stays within {@link #SETTLE_FRACTION} or
     * {@link #SETTLE_MICROS} of it, replaced otherwise; zones no longer measured are dropped; the
     * {@link #MAX_ZONES} nearest are kept.
     */
    public static ZoneRtts settle(ZoneRtts published, Map<String, Long> measuredMicros) {
        TreeMap<String, Integer> next = new TreeMap<>();
        measuredMicros.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .limit(MAX_ZONES)
                .forEach(e -> {
                    int measured = (int) Math.min(Integer.MAX_VALUE, Math.max(0, e.getValue()));
                    Integer before = published.micros.get(e.getKey());
                    boolean stands = before != null && Math.abs(measured - before)
                            <= Math.max(SETTLE_MICROS, before * SETTLE_FRACTION);
                    next.put(e.getKey(), stands ? before : measured);
                });
        return next.equals(published.micros) ? published : new ZoneRtts(next);
    }

    public static ZoneRtts parse(ByteBuf in) throws ProtocolException {
        Fields.need(in, 1, "zone RTT count");
        int count = in.readUnsignedByte();
        if (count > MAX_ZONES) {
            throw new ProtocolException("zone RTTs: " + count + " zones, at most " + MAX_ZONES);
        }
        TreeMap<String, Integer> micros = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            String zone = Fields.readString(in, 1, NodeMetadata.MAX_ZONE, "zone RTT zone");
            if (!ZoneName.isValid(zone)) {
                throw new ProtocolException("zone RTT zone is not a DNS label: " + zone);
            }
            Fields.need(in, 4, "zone RTT");
            long value = in.readUnsignedInt();
            if (value > Integer.MAX_VALUE) {
                throw new ProtocolException("zone RTT of " + value + " us for " + zone);
            }
            if (micros.put(zone, (int) value) != null) {
                throw new ProtocolException("zone RTTs name " + zone + " twice");
            }
        }
        return new ZoneRtts(micros);
    }

    public int encodedLength() {
        int length = 1;
        for (String zone : micros.keySet()) {
            length += Fields.stringLength(zone) + 4;
        }
        return length;
    }

    public void writeTo(ByteBuf out) {
        out.writeByte(micros.size());
        for (Map.Entry<String, Integer> e : micros.entrySet()) {
            Fields.writeString(out, e.getKey());
            out.writeInt(e.getValue());
        }
    }
}
