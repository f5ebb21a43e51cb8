package io.iontrap.hardware.device;

import io.iontrap.hardware.protocol.Message;

/**
 * The device side of the protocol, independent of the link: what a real controller, the simulated
 * device (module sim-device) or a test double implements. {@link DeviceServer} does the framing,
 * correlation, expiry and replay checks and calls {@link #handle} on the link's receive thread, one
 * command at a time and in arrival order: return quickly (start long work, such as a run, on a thread
 * of your own) so that an abort is handled the moment it arrives.
 */
public interface DeviceEndpoint {

    /** Unsolicited messages to the client (shot batches, run ends, status changes). Thread-safe. */
    interface EventSink {
        void emit(Message.Event event);
    }

    Message.Reply handle(Message.Command command, EventSink events);
}
