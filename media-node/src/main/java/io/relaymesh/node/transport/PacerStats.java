package io.relaymesh.node.transport;

/**
 * What one connection's {@link Pacer} holds and has done.
 *
 * @param rateBps          the pacing rate now, bits per second ({@link Long#MAX_VALUE}: not pacing, no estimate)
 * @param queuedPackets    packets waiting now
 * @param queuedBytes      bytes waiting now
 * @param packetsPaced     packets that waited in the queue, since the connection opened
 * @param overflows        packets sent unpaced because the queue was full
 * @param longestWaitMillis the longest any packet waited
 */
public record PacerStats(long rateBps, int queuedPackets, long queuedBytes, long packetsPaced, long overflows,
                         double longestWaitMillis) {
}
