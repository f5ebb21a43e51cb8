package io.iontrap.hardware.transport;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of one link end. */
public final class LinkStats {
    public final AtomicLong sent = new AtomicLong();
    public final AtomicLong received = new AtomicLong();
    public final AtomicLong rejected = new AtomicLong();
    public final AtomicLong bytesSent = new AtomicLong();
    public final AtomicLong bytesReceived = new AtomicLong();

    @Override
    public String toString() {
        return "sent=" + sent + " received=" + received + " rejected=" + rejected + " bytesSent=" + bytesSent
                + " bytesReceived=" + bytesReceived;
    }
}
