package io.iontrap.hardware.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.hardware.protocol.Envelope;
import io.iontrap.hardware.protocol.Message;
import io.iontrap.hardware.transport.InProcessLink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * mosquitto publishes every connected client's last will when the broker shuts down: a broker
 * restart must not abort a run whose client comes back, but a client that stays silent must still
 * send the device to its safe state.
 */
class LastWillGraceTest {
    private final List<String> handled = new CopyOnWriteArrayList<>();

    private DeviceServer serve(InProcessLink deviceSide) throws Exception {
        DeviceEndpoint endpoint = (command, events) -> {
            handled.add(command.type());
            return new Message.Ok("done");
        };
        return new DeviceServer(deviceSide, endpoint).start();
    }

    @Test
    void aSilentClientsWillAbortsAfterTheGracePeriod() throws Exception {
        InProcessLink[] pair = InProcessLink.pair();
        pair[1].start(e -> { });
        try (DeviceServer server = serve(pair[0])) {
            Envelope will = Envelope.command(DeviceServer.WILL_PREFIX + "cli-1", 0, new Message.Abort("link lost"));
            pair[1].send(will);
            pair[1].send(will); // QoS 1 duplicate
            Thread.sleep(DeviceServer.WILL_GRACE.toMillis() / 3);
            assertTrue(handled.isEmpty(), "held during the grace period: " + handled);
            long deadline = System.nanoTime() + DeviceServer.WILL_GRACE.toNanos() * 5;
            while (handled.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(200);
            assertEquals(List.of("abort"), handled, "carried out once");
        }
    }

    @Test
    void aClientThatComesBackCancelsItsWill() throws Exception {
        InProcessLink[] pair = InProcessLink.pair();
        pair[1].start(e -> { });
        try (DeviceServer server = serve(pair[0])) {
            pair[1].send(Envelope.command(DeviceServer.WILL_PREFIX + "cli-1", 0, new Message.Abort("broker stopping")));
            Thread.sleep(200);
            pair[1].send(Envelope.command("cli-7", 0, new Message.GetStatus()));
            Thread.sleep(DeviceServer.WILL_GRACE.toMillis() + 1000);
            assertEquals(List.of("status"), handled, "the will was dropped, the status answered");
        }
    }
}
