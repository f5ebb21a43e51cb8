package io.iontrap.hardware.transport;

import io.iontrap.hardware.protocol.Envelope;
import io.iontrap.hardware.protocol.JsonCodec;
import io.iontrap.hardware.protocol.ProtocolException;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of one link end. */
public final class LinkStats {
    public final AtomicLong sent = new AtomicLong();
    public final AtomicLong received = new AtomicLong();
    public final AtomicLong rejected = new AtomicLong();
    public final AtomicLong bytesSent = new AtomicLong();
    public final AtomicLong bytesReceived = new AtomicLong();

    /**
     * Counts one JSON message received and decodes it; a message that does not decode is counted as
     * rejected, handed to {@code receiver.rejected} and {@code null} is returned.
     */
    Envelope decodeJson(byte[] wire, Link.Receiver receiver) {
        received.incrementAndGet();
        bytesReceived.addAndGet(wire.length);
        try {
            return JsonCodec.decode(wire);
        } catch (ProtocolException ex) {
            rejected.incrementAndGet();
            receiver.rejected(ex);
            return null;
        }
    }

    @Override
    public String toString() {
        return "sent=" + sent + " received=" + received + " rejected=" + rejected + " bytesSent=" + bytesSent
                + " bytesReceived=" + bytesReceived;
    }
}
