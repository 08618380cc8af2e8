package io.relaymesh.node.cluster.membership;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.relaymesh.node.cluster.wire.ClusterKey;
import io.relaymesh.node.cluster.wire.Envelope;
import io.relaymesh.node.cluster.wire.MessageType;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Frames, numbers and signs outgoing messages. The sequence is {@code max(previous + 1, wall clock in µs)}:
 * strictly increasing, never behind the clock, and above anything an earlier process with this id sent.
 */
final class Outbox {

    private final ClusterKey key;
    private final String selfId;
    private final Clock clock;
    private final ByteBufAllocator alloc;
    private final DatagramSink sink;
    private long lastSequence;

    Outbox(ClusterKey key, String selfId, Clock clock, ByteBufAllocator alloc, DatagramSink sink) {
        this.key = key;
        this.selfId = selfId;
        this.clock = clock;
        this.alloc = alloc;
        this.sink = sink;
    }

    /** Largest body of a message to {@code destination}. */
    int maxBody(String destination) {
        return Envelope.MAX_DATAGRAM - Envelope.overhead(selfId, destination);
    }

    /** Sends one message whose body {@code body} writes in exactly {@code bodyLength} bytes. */
    void send(MessageType type, String destination, InetSocketAddress to, int bodyLength, Consumer<ByteBuf> body) {
        ByteBuf buf = alloc.buffer(Envelope.overhead(selfId, destination) + bodyLength);
        try {
            int start = buf.writerIndex();
            int lengthIndex = Envelope.begin(buf, type, nextSequence(), selfId, destination);
            body.accept(buf);
            Envelope.finish(buf, start, lengthIndex, key);
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
        sink.send(buf, to);
    }

    private long nextSequence() {
        lastSequence = Math.max(lastSequence + 1, micros(clock));
        return lastSequence;
    }

    static long micros(Clock clock) {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }
}
