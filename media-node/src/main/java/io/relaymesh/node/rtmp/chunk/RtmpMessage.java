package io.relaymesh.node.rtmp.chunk;

import io.netty.buffer.ByteBuf;

/**
 * One RTMP message (Adobe RTMP specification 1.0, section 6.1) reassembled from chunks: its type, the message
 * stream it belongs to, its 32-bit millisecond timestamp and its payload. Whoever holds the message owns the
 * payload and releases it.
 *
 * @param typeId    message type id (see the constants)
 * @param streamId  message stream id (0 for the connection's control and NetConnection commands)
 * @param timestamp milliseconds, unsigned 32 bits
 * @param payload   the message body
 */
public record RtmpMessage(int typeId, int streamId, long timestamp, ByteBuf payload) {

    /** Protocol control: Set Chunk Size (section 5.4.1). */
    public static final int SET_CHUNK_SIZE = 1;
    /** Protocol control: Abort Message (5.4.2). */
    public static final int ABORT = 2;
    /** Protocol control: Acknowledgement (5.4.3). */
    public static final int ACKNOWLEDGEMENT = 3;
    /** User Control Message (6.2, 7.1.7). */
    public static final int USER_CONTROL = 4;
    /** Protocol control: Window Acknowledgement Size (5.4.4). */
    public static final int WINDOW_ACK_SIZE = 5;
    /** Protocol control: Set Peer Bandwidth (5.4.5). */
    public static final int SET_PEER_BANDWIDTH = 6;
    /** Audio data: an FLV audio tag body (7.1.4). */
    public static final int AUDIO = 8;
    /** Video data: an FLV video tag body (7.1.5). */
    public static final int VIDEO = 9;
    /** Data message in AMF3 (7.1.2). */
    public static final int DATA_AMF3 = 15;
    /** Command message in AMF3 (7.1.1): a format byte, then AMF0 in practice. */
    public static final int COMMAND_AMF3 = 17;
    /** Data message in AMF0: {@code @setDataFrame}, {@code onMetaData}. */
    public static final int DATA_AMF0 = 18;
    /** Command message in AMF0: connect, createStream, publish, ... */
    public static final int COMMAND_AMF0 = 20;
    /** Aggregate message (7.1.6): FLV tags back to back. */
    public static final int AGGREGATE = 22;

    /** Releases the payload. */
    public void release() {
        payload.release();
    }
}
