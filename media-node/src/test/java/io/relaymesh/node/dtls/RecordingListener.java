package io.relaymesh.node.dtls;

import io.relaymesh.node.srtp.SrtpProfile;

import java.util.concurrent.atomic.AtomicInteger;

/** Remembers what an endpoint reported, for assertions with Awaitility. */
final class RecordingListener implements DtlsListener {

    volatile SrtpProfile profile;
    volatile byte[] keyingMaterial;
    volatile String closedReason;
    volatile String failureReason;
    volatile Throwable failureCause;
    final AtomicInteger terminalCallbacks = new AtomicInteger();
    final AtomicInteger completions = new AtomicInteger();

    @Override
    public void onHandshakeComplete(SrtpProfile profile, byte[] keyingMaterial) {
        this.profile = profile;
        this.keyingMaterial = keyingMaterial;
        completions.incrementAndGet();
    }

    @Override
    public void onClosed(String reason) {
        closedReason = reason;
        terminalCallbacks.incrementAndGet();
    }

    @Override
    public void onFailure(String reason, Throwable cause) {
        failureReason = reason;
        failureCause = cause;
        terminalCallbacks.incrementAndGet();
    }

    boolean completed() {
        return keyingMaterial != null;
    }

    boolean ended() {
        return terminalCallbacks.get() > 0;
    }

    @Override
    public String toString() {
        return "profile=" + profile + " closed=" + closedReason + " failure=" + failureReason;
    }
}
