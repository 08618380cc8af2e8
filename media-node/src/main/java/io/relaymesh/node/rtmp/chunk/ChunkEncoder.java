package io.relaymesh.node.rtmp.chunk;

import io.netty.buffer.ByteBuf;

/**
 * Splits outgoing messages into chunks (Adobe RTMP specification 1.0, section 5.3): a type 0 header on the first
 * chunk, type 3 on the rest, with the extended timestamp where the timestamp does not fit 24 bits. The server
 * sends few, small messages (command replies, control), so it never compresses headers to types 1 and 2.
 */
public final class ChunkEncoder {

    /** Chunk stream for protocol control messages (5.4). */
    public static final int CONTROL_CHUNK_STREAM = 2;
    /** Chunk stream the server sends commands and status on. */
    public static final int COMMAND_CHUNK_STREAM = 3;
    /** Highest chunk stream id the three-byte basic header can carry. */
    public static final int MAX_CHUNK_STREAM_ID = 65599;

    private int chunkSize = ChunkDecoder.DEFAULT_CHUNK_SIZE;

    /** Chunk size for messages written from now on; the caller sends Set Chunk Size first. */
    public void chunkSize(int size) {
        if (size < 1 || size > ChunkDecoder.MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunk size out of range: " + size);
        }
        this.chunkSize = size;
    }

    public int chunkSize() {
        return chunkSize;
    }

    /** Writes {@code message} (its payload's readable bytes, which are not consumed) as chunks on {@code csid}. */
    public void write(ByteBuf out, int csid, RtmpMessage message) {
        write(out, csid, message.typeId(), message.streamId(), message.timestamp(), message.payload());
    }

    public void write(ByteBuf out, int csid, int typeId, int streamId, long timestamp, ByteBuf payload) {
        if (csid < 2 || csid > MAX_CHUNK_STREAM_ID) {
            throw new IllegalArgumentException("chunk stream id out of 2.." + MAX_CHUNK_STREAM_ID + ": " + csid);
        }
        int length = payload.readableBytes();
        if (length > 0xFFFFFF) {
            throw new IllegalArgumentException("message longer than 24 bits: " + length);
        }
        boolean extended = timestamp >= ChunkDecoder.EXTENDED_TIMESTAMP;
        writeBasicHeader(out, 0, csid);
        out.writeMedium(extended ? ChunkDecoder.EXTENDED_TIMESTAMP : (int) timestamp);
        out.writeMedium(length);
        out.writeByte(typeId);
        out.writeIntLE(streamId);
        if (extended) {
            out.writeInt((int) timestamp);
        }
        int offset = payload.readerIndex();
        int end = offset + length;
        boolean first = true;
        while (first || offset < end) {
            if (!first) {
                writeBasicHeader(out, 3, csid);
                if (extended) {
                    out.writeInt((int) timestamp);
                }
            }
            int n = Math.min(chunkSize, end - offset);
            out.writeBytes(payload, offset, n);
            offset += n;
            first = false;
        }
    }

    private static void writeBasicHeader(ByteBuf out, int fmt, int csid) {
        if (csid < 64) {
            out.writeByte((fmt << 6) | csid);
        } else if (csid < 64 + 256) {
            out.writeByte(fmt << 6);
            out.writeByte(csid - 64);
        } else {
            out.writeByte((fmt << 6) | 1);
            out.writeByte((csid - 64) & 0xFF);
            out.writeByte((csid - 64) >>> 8);
        }
    }
}
