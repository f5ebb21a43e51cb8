package io.iontrap.simdevice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.hardware.client.IonTrapClient;
import io.iontrap.hardware.client.RunResult;
import io.iontrap.hardware.transport.Link;
import io.iontrap.hardware.transport.Mosquitto;
import io.iontrap.hardware.transport.MqttConfig;
import io.iontrap.hardware.transport.MqttLink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scenarios through a real mosquitto started by the test (hardware's Mosquitto helper, from its test-jar). */
class MqttSimDeviceIT extends SimLinkScenarios {
    private static Mosquitto broker;
    private static int devices;
    private MqttLink clientEnd;
    private String deviceId;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new Mosquitto();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    protected Link[] links() {
        String id = "sim-" + (++devices);
        deviceId = id;
        MqttConfig cfg = MqttConfig.of(broker.uri());
        clientEnd = new MqttLink(cfg, id, MqttLink.Role.CLIENT);
        return new Link[]{clientEnd, new MqttLink(cfg, id, MqttLink.Role.DEVICE)};
    }

    @Override
    protected String name() {
        return "mqtt";
    }

    @Test
    void aClientThatDiesMidRunLeavesItsLastWillAndTheDrivesGoOff() throws Exception {
        connect(SimFixtures.trap4(), SimOptions.defaults().withPacing(0.001, false).withBatchSize(20));
        client.configure(SimFixtures.plan4());
        CountDownLatch some = new CountDownLatch(50);
        client.run("will", List.of(0.1, 0.5), 5000, null, b -> b.forEach(s -> some.countDown()));
        assertTrue(some.await(60, TimeUnit.SECONDS));
        assertFalse(device.drivesOff());
        clientEnd.abandon(); // TCP dropped without DISCONNECT: the broker publishes the client's will
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!(device.drivesOff() && !device.state().equals("running")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(device.drivesOff(), "the client's last will put the drives in the safe state");
        assertEquals("idle", device.state(), "the run ended");
        client.close();
        client = null;
        // a new client finds the device safe, reconfigures and runs; a clean close leaves no will
        MqttLink again = new MqttLink(MqttConfig.of(broker.uri()), deviceId, MqttLink.Role.CLIENT);
        try (IonTrapClient c = new IonTrapClient(again, clientOptions())) {
            assertEquals("idle", c.status().state());
            c.configure(SimFixtures.plan4());
            RunResult r = run(c, "after-will", List.of(0.1), 100, null);
            assertEquals(100, r.shots().size());
        }
        Thread.sleep(500);
        assertFalse(device.drivesOff(), "a clean disconnect does not abort");
    }
}
