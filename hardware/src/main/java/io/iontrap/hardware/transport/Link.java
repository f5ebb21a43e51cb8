package io.iontrap.hardware.transport;

import io.iontrap.hardware.protocol.Envelope;
import io.iontrap.hardware.protocol.ProtocolException;
import java.io.IOException;

/**
 * One end of a message link (serial line, MQTT, in-process), used the same way by the client and the
 * device side. {@link #send} is called from one thread only (the owner's writer); received messages are
 * handed to the {@link Receiver} on the link's own thread, in arrival order.
 */
public interface Link extends AutoCloseable {

    interface Receiver {
        void received(Envelope envelope);

        /** An intact-but-invalid or damaged message; {@code e.commandId()} is set when it can be answered. */
        default void rejected(ProtocolException e) {
        }
    }

    /** Starts delivering received messages; call once, before the first send. */
    void start(Receiver receiver) throws IOException;

    void send(Envelope envelope) throws IOException;

    /** Human-readable description, never containing secrets. */
    String describe();

    /** Counters: frames/messages sent, received and rejected. */
    LinkStats stats();

    @Override
    void close();
}
