package io.relaymesh.node.connector;

import io.relaymesh.node.protocol.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An event as the durable queue stores it: its id (so sinks can set de-duplication headers without parsing
 * JSON) and its JSON bytes exactly as delivered.
 *
 * <pre>
 *  0                   1
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    id length (bytes, 1..255)  |  u16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  id (UTF-8) ...               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  JSON object (UTF-8) ...      |  to the end of the record
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record QueuedEvent(String id, byte[] json) {

    static final int ID_LENGTH_BYTES = 2;
    static final int MAX_ID_LENGTH = 255;

    public QueuedEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(json, "json");
        int idBytes = id.getBytes(StandardCharsets.UTF_8).length;
        if (idBytes == 0 || idBytes > MAX_ID_LENGTH) {
            throw new IllegalArgumentException("event id must be 1.." + MAX_ID_LENGTH + " bytes, got " + idBytes);
        }
    }

    public int encodedLength() {
        return ID_LENGTH_BYTES + id.getBytes(StandardCharsets.UTF_8).length + json.length;
    }

    public void writeTo(ByteBuffer out) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        out.putShort((short) idBytes.length);
        out.put(idBytes);
        out.put(json);
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(encodedLength());
        writeTo(b);
        return b.array();
    }

    /** Reads the record in {@code in}'s remaining bytes (all of them). */
    public static QueuedEvent parse(ByteBuffer in) throws ProtocolException {
        if (in.remaining() < ID_LENGTH_BYTES) {
            throw new ProtocolException("queued event: " + in.remaining() + " bytes, too short for the id length");
        }
        int idLength = in.getShort() & 0xFFFF;
        if (idLength == 0 || idLength > MAX_ID_LENGTH) {
            throw new ProtocolException("queued event: id length " + idLength + " outside 1.." + MAX_ID_LENGTH);
        }
        if (in.remaining() < idLength) {
            throw new ProtocolException("queued event: id of " + idLength + " bytes truncated to " + in.remaining());
        }
        byte[] idBytes = new byte[idLength];
        in.get(idBytes);
        if (!in.hasRemaining()) {
            throw new ProtocolException("queued event " + new String(idBytes, StandardCharsets.UTF_8) + ": no JSON");
        }
        byte[] json = new byte[in.remaining()];
        in.get(json);
        return new QueuedEvent(new String(idBytes, StandardCharsets.UTF_8), json);
    }

    public String jsonText() {
        return new String(json, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QueuedEvent q && q.id.equals(id) && Arrays.equals(q.json, json);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + Arrays.hashCode(json);
    }

    @Override
    public String toString() {
        return "QueuedEvent[" + id + ", " + jsonText() + "]";
    }
}
