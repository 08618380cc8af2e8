package io.relaymesh.node.sfu;

/** What the SFU's timer and room bookkeeping need from a publisher or a subscriber. */
interface SfuSession {

    String sessionId();

    Room room();

    /** Periodic work on the event loop (feedback, reports). */
    void tick(long nowNanos);
}
