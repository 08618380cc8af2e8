package io.relaymesh.node.dtls;

import io.netty.buffer.ByteBuf;

/**
 * Receives every datagram a {@link DtlsEndpoint} wants to put on the wire.
 *
 * <p>Ownership of the buffer passes to the sink the moment {@link #send} is called, even when it throws: the
 * sink must write it out or release it. Calls come from the endpoint's worker thread, one at a time, never
 * from the caller of {@link DtlsEndpoint#receive}. A sink that cannot send (socket closed) should drop the
 * datagram: DTLS treats that as loss and retransmits.
 */
@FunctionalInterface
public interface DtlsRecordSink {

    /** Sends one datagram holding one or more DTLS records; at most the endpoint's MTU bytes. */
    void send(ByteBuf datagram);
}
