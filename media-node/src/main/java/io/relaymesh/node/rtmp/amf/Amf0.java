package io.relaymesh.node.rtmp.amf;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Action Message Format version 0 (Adobe AMF0 specification), the encoding of RTMP commands and metadata.
 *
 * <p>Values map to Java as: number {@code Double}, boolean {@code Boolean}, string and long string
 * {@code String}, object and ECMA array {@code Map<String, Object>} (insertion ordered), strict array
 * {@code List<Object>}, date {@code Instant}, null and undefined {@link Marker}. Other markers (movie clip,
 * reference, typed object, XML, AMF3 switch) are refused: RTMP publishers do not send them.
 *
 * <p>Decoding is bounded: nesting depth, string length and entry counts, so a hostile peer cannot make the
 * node allocate more than the message it already sent.
 */
public final class Amf0 {

    /** AMF0 null and undefined (Java's null cannot sit in the lists commands are decoded into). */
    public enum Marker {
        NULL,
        UNDEFINED
    }

    static final int NUMBER = 0x00;
    static final int BOOLEAN = 0x01;
    static final int STRING = 0x02;
    static final int OBJECT = 0x03;
    static final int NULL = 0x05;
    static final int UNDEFINED = 0x06;
    static final int ECMA_ARRAY = 0x08;
    static final int OBJECT_END = 0x09;
    static final int STRICT_ARRAY = 0x0A;
    static final int DATE = 0x0B;
    static final int LONG_STRING = 0x0C;

    /** Deepest nesting of objects and arrays accepted. */
    public static final int MAX_DEPTH = 16;
    /** Most entries of one object or array accepted. */
    public static final int MAX_ENTRIES = 1024;
    /** Longest string accepted (a token, a URL, metadata text). */
    public static final int MAX_STRING = 64 * 1024;

    private Amf0() {
    }

    /** Decodes every value in the readable bytes of {@code in} (a command: name, transaction id, arguments). */
    public static List<Object> decodeAll(ByteBuf in) throws ProtocolException {
        List<Object> values = new ArrayList<>();
        while (in.isReadable()) {
            if (values.size() >= MAX_ENTRIES) {
                throw new ProtocolException("AMF0: more than " + MAX_ENTRIES + " values in one message");
            }
            values.add(decode(in));
        }
        return values;
    }

    /** Decodes one value at the reader index. */
    public static Object decode(ByteBuf in) throws ProtocolException {
        return decode(in, 0);
    }

    private static Object decode(ByteBuf in, int depth) throws ProtocolException {
        if (depth > MAX_DEPTH) {
            throw new ProtocolException("AMF0: nesting deeper than " + MAX_DEPTH);
        }
        int marker = readU8(in, "type marker");
        return switch (marker) {
            case NUMBER -> readDouble(in, "number");
            case BOOLEAN -> readU8(in, "boolean") != 0;
            case STRING -> readString(in, readU16(in, "string length"));
            case LONG_STRING -> readString(in, readU32(in, "long string length"));
            case OBJECT -> readProperties(in, depth, new LinkedHashMap<>());
            case ECMA_ARRAY -> {
                readU32(in, "ECMA array count"); // a hint only: the entries end with the object-end marker
                yield readProperties(in, depth, new LinkedHashMap<>());
            }
            case STRICT_ARRAY -> {
                long count = readU32(in, "strict array count");
                if (count > MAX_ENTRIES) {
                    throw new ProtocolException("AMF0: strict array of " + count + " entries exceeds " + MAX_ENTRIES);
                }
                List<Object> list = new ArrayList<>((int) count);
                for (int i = 0; i < count; i++) {
                    list.add(decode(in, depth + 1));
                }
                yield list;
            }
            case DATE -> {
                double millis = readDouble(in, "date");
                readU16(in, "date time zone");
                if (Double.isNaN(millis) || Math.abs(millis) > 8.64e15) {
                    throw new ProtocolException("AMF0: date out of range");
                }
                yield Instant.ofEpochMilli((long) millis);
            }
            case NULL -> Marker.NULL;
            case UNDEFINED -> Marker.UNDEFINED;
            case OBJECT_END -> throw new ProtocolException("AMF0: object-end marker outside an object");
            default -> throw new ProtocolException("AMF0: unsupported type marker 0x" + Integer.toHexString(marker));
        };
    }

    private static Map<String, Object> readProperties(ByteBuf in, int depth, Map<String, Object> into)
            throws ProtocolException {
        while (true) {
            String key = readString(in, readU16(in, "property name length"));
            if (key.isEmpty()) {
                int end = readU8(in, "object-end marker");
                if (end != OBJECT_END) {
                    throw new ProtocolException("AMF0: empty property name not followed by the object-end marker");
                }
                return into;
            }
            if (into.size() >= MAX_ENTRIES) {
                throw new ProtocolException("AMF0: object with more than " + MAX_ENTRIES + " properties");
            }
            into.put(key, decode(in, depth + 1));
        }
    }

    private static int readU8(ByteBuf in, String what) throws ProtocolException {
        need(in, 1, what);
        return in.readUnsignedByte();
    }

    private static int readU16(ByteBuf in, String what) throws ProtocolException {
        need(in, 2, what);
        return in.readUnsignedShort();
    }

    private static long readU32(ByteBuf in, String what) throws ProtocolException {
        need(in, 4, what);
        return in.readUnsignedInt();
    }

    private static double readDouble(ByteBuf in, String what) throws ProtocolException {
        need(in, 8, what);
        return in.readDouble();
    }

    private static String readString(ByteBuf in, long length) throws ProtocolException {
        if (length > MAX_STRING) {
            throw new ProtocolException("AMF0: string of " + length + " bytes exceeds " + MAX_STRING);
        }
        need(in, (int) length, "string");
        return in.readCharSequence((int) length, StandardCharsets.UTF_8).toString();
    }

    private static void need(ByteBuf in, int bytes, String what) throws ProtocolException {
        if (in.readableBytes() < bytes) {
            throw new ProtocolException("AMF0: truncated " + what + " (need " + bytes + " bytes, have "
                    + in.readableBytes() + ")");
        }
    }

    /** Encodes {@code values} one after another. */
    public static void encode(ByteBuf out, Object... values) {
        for (Object v : values) {
            encode(out, v);
        }
    }

    /** Encodes one value; Java null is written as AMF0 null, any {@code Number} as a number. */
    public static void encode(ByteBuf out, Object value) {
        switch (value) {
            case null -> out.writeByte(NULL);
            case Marker m -> out.writeByte(m == Marker.NULL ? NULL : UNDEFINED);
            case Number n -> {
                out.writeByte(NUMBER);
                out.writeDouble(n.doubleValue());
            }
            case Boolean b -> {
                out.writeByte(BOOLEAN);
                out.writeByte(b ? 1 : 0);
            }
            case String s -> writeString(out, s);
            case Map<?, ?> map -> {
                out.writeByte(OBJECT);
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    writeUtf8(out, e.getKey().toString());
                    encode(out, e.getValue());
                }
                out.writeShort(0);
                out.writeByte(OBJECT_END);
            }
            case List<?> list -> {
                out.writeByte(STRICT_ARRAY);
                out.writeInt(list.size());
                for (Object o : list) {
                    encode(out, o);
                }
            }
            case Instant t -> {
                out.writeByte(DATE);
                out.writeDouble(t.toEpochMilli());
                out.writeShort(0);
            }
            default -> throw new IllegalArgumentException("no AMF0 encoding for " + value.getClass().getName());
        }
    }

    private static void writeString(ByteBuf out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xFFFF) {
            out.writeByte(LONG_STRING);
            out.writeInt(bytes.length);
        } else {
            out.writeByte(STRING);
            out.writeShort(bytes.length);
        }
        out.writeBytes(bytes);
    }

    private static void writeUtf8(ByteBuf out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("AMF0 property name longer than 65535 bytes");
        }
        out.writeShort(bytes.length);
        out.writeBytes(bytes);
    }
}
