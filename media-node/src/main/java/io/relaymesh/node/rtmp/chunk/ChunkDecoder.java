package io.relaymesh.node.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reassembles RTMP messages from the chunk stream (Adobe RTMP specification 1.0, section 5.3).
 *
 * <pre>
 * Chunk:  basic header (1-3 bytes) | message header (11, 7, 3 or 0 bytes) | [extended timestamp (4)] | data
 *
 * Basic header:   fmt (2 bits) | cs id (6 bits); cs id 0: one more byte, id = 64 + b1;
 *                                                cs id 1: two more bytes, id = 64 + b1 + 256 * b2
 * Type 0 (11):    timestamp (3) | message length (3) | type id (1) | message stream id (4, little endian)
 * Type 1 (7):     timestamp delta (3) | message length (3) | type id (1)      (same message stream)
 * Type 2 (3):     timestamp delta (3)                                         (same length and type)
 * Type 3 (0):     continuation, or a new message repeating the previous delta
 * A 24-bit timestamp field of 0xFFFFFF means a 32-bit extended timestamp follows the message header; type 3
 * chunks of such a stream repeat it.
 * </pre>
 *
 * <p>{@link #decode} consumes complete chunks only and leaves a partial one unread, so it can be fed whatever TCP
 * delivers. Set Chunk Size and Abort apply at once (they change how the very next chunk is read) and are not
 * passed on. Everything is bounded: chunk size, message length, the number of chunk streams and the bytes held
 * by messages still being reassembled.
 */
public final class ChunkDecoder {

    /** Chunk size until the peer sets another (5.4.1). */
    public static final int DEFAULT_CHUNK_SIZE = 128;
    /** Largest chunk size accepted: a message length is 24 bits, so larger chunks gain nothing. */
    public static final int MAX_CHUNK_SIZE = 0xFFFFFF;
    static final int EXTENDED_TIMESTAMP = 0xFFFFFF;

    /**
     * Bounds of one connection's reassembly.
     *
     * @param maxMessageLength longest message accepted (a keyframe of a high-bitrate stream is well below 4 MiB)
     * @param maxChunkStreams  chunk streams one connection may use (publishers use fewer than ten)
     * @param maxBufferedBytes bytes all unfinished messages may hold together
     */
    public record Limits(int maxMessageLength, int maxChunkStreams, long maxBufferedBytes) {

        public static final Limits DEFAULT = new Limits(8 * 1024 * 1024, 64, 16L * 1024 * 1024);

        public Limits {
            if (maxMessageLength < 1 || maxChunkStreams < 1 || maxBufferedBytes < maxMessageLength) {
                throw new IllegalArgumentException("invalid chunk limits");
            }
        }
    }

    /** What a chunk stream remembers from its previous chunk. */
    private static final class ChunkStream {
        long timestamp;
        long timestampField;
        int length;
        int typeId;
        int streamId;
        boolean extended;
        ByteBuf partial;
        int remaining;
    }

    private final ByteBufAllocator allocator;
    private final Limits limits;
    private final Map<Integer, ChunkStream> streams = new HashMap<>();
    private int chunkSize = DEFAULT_CHUNK_SIZE;
    private long buffered;

    public ChunkDecoder(ByteBufAllocator allocator, Limits limits) {
        this.allocator = allocator;
        this.limits = limits;
    }

    public int chunkSize() {
        return chunkSize;
    }

    /**
     * Reads every complete chunk in {@code in} and adds the messages they complete to {@code out} (the caller owns
     * them). A trailing incomplete chunk is left unread.
     *
     * @throws ProtocolException on a violation; the connection must then be closed (call {@link #release})
     */
    public void decode(ByteBuf in, List<RtmpMessage> out) throws ProtocolException {
        while (in.isReadable()) {
            int start = in.readerIndex();
            if (!readChunk(in, out)) {
                in.readerIndex(start);
                return;
            }
        }
    }

    /** Reads one chunk; false (state untouched) when it is not complete yet. */
    private boolean readChunk(ByteBuf in, List<RtmpMessage> out) throws ProtocolException {
        int b0 = in.readUnsignedByte();
        int fmt = b0 >>> 6;
        int csid = b0 & 0x3F;
        if (csid == 0) {
            if (!in.isReadable()) {
                return false;
            }
            csid = 64 + in.readUnsignedByte();
        } else if (csid == 1) {
            if (in.readableBytes() < 2) {
                return false;
            }
            csid = 64 + in.readUnsignedByte() + (in.readUnsignedByte() << 8);
        }
        ChunkStream st = streams.get(csid);
        if (st == null && fmt != 0) {
            throw new ProtocolException("chunk stream " + csid + " starts with a type " + fmt + " header, not type 0");
        }
        int headerLength = switch (fmt) {
            case 0 -> 11;
            case 1 -> 7;
            case 2 -> 3;
            default -> 0;
        };
        if (in.readableBytes() < headerLength) {
            return false;
        }
        long timestampField = 0;
        int length = st == null ? 0 : st.length;
        int typeId = st == null ? 0 : st.typeId;
        int streamId = st == null ? 0 : st.streamId;
        boolean extended;
        if (fmt <= 2) {
            timestampField = in.readUnsignedMedium();
            if (fmt <= 1) {
                length = in.readUnsignedMedium();
                typeId = in.readUnsignedByte();
                if (fmt == 0) {
                    streamId = in.readIntLE();
                }
            }
            extended = timestampField == EXTENDED_TIMESTAMP;
        } else {
            extended = st.extended;
            timestampField = st.timestampField;
        }
        if (extended) {
            if (in.readableBytes() < 4) {
                return false;
            }
            long ext = in.readUnsignedInt();
            if (fmt <= 2) {
                timestampField = ext;
            }
        }
        boolean continuing = st != null && st.remaining > 0;
        if (continuing && fmt != 3) {
            throw new ProtocolException("chunk stream " + csid + ": type " + fmt
                    + " header while a message is still incomplete");
        }
        if (!continuing) {
            if (length > limits.maxMessageLength()) {
                throw new ProtocolException("message of " + length + " bytes exceeds the limit of "
                        + limits.maxMessageLength());
            }
            if (buffered + length > limits.maxBufferedBytes()) {
                throw new ProtocolException("unfinished messages would hold more than " + limits.maxBufferedBytes()
                        + " bytes");
            }
        }
        int toRead = continuing ? Math.min(chunkSize, st.remaining) : Math.min(chunkSize, length);
        if (in.readableBytes() < toRead) {
            return false;
        }
        // The whole chunk is here: commit.
        if (st == null) {
            if (streams.size() >= limits.maxChunkStreams()) {
                throw new ProtocolException("more than " + limits.maxChunkStreams() + " chunk streams");
            }
            st = new ChunkStream();
            streams.put(csid, st);
        }
        if (!continuing) {
            st.timestamp = fmt == 0 ? timestampField : (st.timestamp + timestampField) & 0xFFFFFFFFL;
            st.timestampField = timestampField;
            st.length = length;
            st.typeId = typeId;
            st.streamId = streamId;
            st.extended = extended;
            st.remaining = length;
            st.partial = allocator.buffer(length, length);
            buffered += length;
        }
        st.partial.writeBytes(in, toRead);
        st.remaining -= toRead;
        if (st.remaining == 0) {
            ByteBuf payload = st.partial;
            st.partial = null;
            buffered -= st.length;
            complete(new RtmpMessage(st.typeId, st.streamId, st.timestamp, payload), out);
        }
        return true;
    }

    private void complete(RtmpMessage message, List<RtmpMessage> out) throws ProtocolException {
        switch (message.typeId()) {
            case RtmpMessage.SET_CHUNK_SIZE -> {
                try {
                    long size = readU32(message, "Set Chunk Size");
                    if (size < 1 || size > MAX_CHUNK_SIZE) {
                        throw new ProtocolException("Set Chunk Size " + size + " outside 1.." + MAX_CHUNK_SIZE);
                    }
                    chunkSize = (int) size;
                } finally {
                    message.release();
                }
            }
            case RtmpMessage.ABORT -> {
                try {
                    long csid = readU32(message, "Abort Message");
                    ChunkStream st = streams.get((int) csid);
                    if (st != null && st.partial != null) {
                        buffered -= st.length;
                        st.partial.release();
                        st.partial = null;
                        st.remaining = 0;
                    }
                } finally {
                    message.release();
                }
            }
            default -> out.add(message);
        }
    }

    private static long readU32(RtmpMessage message, String what) throws ProtocolException {
        if (message.payload().readableBytes() < 4) {
            throw new ProtocolException(what + " message shorter than 4 bytes");
        }
        return message.payload().getUnsignedInt(message.payload().readerIndex());
    }

    /** Releases unfinished messages; call when the connection ends. */
    public void release() {
        for (ChunkStream st : streams.values()) {
            if (st.partial != null) {
                st.partial.release();
                st.partial = null;
            }
        }
        streams.clear();
        buffered = 0;
    }
}
