package io.iontrap.hardware.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.hardware.TestDevice;
import io.iontrap.hardware.client.ClientScenarios;
import io.iontrap.hardware.client.IonTrapClient;
import io.iontrap.hardware.device.DeviceServer;
import io.iontrap.hardware.protocol.Envelope;
import io.iontrap.hardware.protocol.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client scenarios through a real mosquitto broker started by the test on a free port. */
class MqttLinkIT extends ClientScenarios {
    private static Mosquitto broker;
    private static int devices;
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

    private MqttLink deviceEnd;

    @Override
    protected Link[] links() {
        deviceId = "trap-" + (++devices);
        MqttConfig cfg = MqttConfig.of(broker.uri());
        deviceEnd = new MqttLink(cfg, deviceId, MqttLink.Role.DEVICE);
        return new Link[]{new MqttLink(cfg, deviceId, MqttLink.Role.CLIENT), deviceEnd};
    }

    @Override
    protected String name() {
        return "mqtt/mosquitto";
    }

    /** An observer's view of the retained status topic. */
    private static Message.Status retainedStatus(String deviceId) throws Exception {
        LinkedBlockingQueue<Envelope> got = new LinkedBlockingQueue<>();
        MqttLink observer = new MqttLink(MqttConfig.of(broker.uri()), deviceId, MqttLink.Role.CLIENT);
        try {
            observer.start(got::add);
            Envelope e = got.poll(5, TimeUnit.SECONDS);
            return e == null ? null : (Message.Status) e.message();
        } finally {
            observer.close();
        }
    }

    @Test
    void retainedStatusAndLastWill() throws Exception {
        connect(0, 10);
        client.configure(plan());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Message.Status s = retainedStatus(deviceId);
        while ((s == null || !s.state().equals("configured")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            s = retainedStatus(deviceId);
        }
        assertEquals("configured", s.state(), "retained status seen by a newcomer");
        // kill the device's connection without a DISCONNECT: the broker publishes the will
        deviceEnd.abandon();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        s = retainedStatus(deviceId);
        while (!s.state().equals("offline") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            s = retainedStatus(deviceId);
        }
        assertEquals("offline", s.state());
        assertEquals("link lost", s.detail(), "published by the broker as the device's last will");
        server.close();
        server = null;
    }

    @Test
    void gracefulCloseMarksTheDeviceOffline() throws Exception {
        connect(0, 10);
        client.status();
        server.close();
        server = null;
        Message.Status s = retainedStatus(deviceId);
        assertEquals("offline", s.state());
        assertEquals("device closed", s.detail());
    }

    @Test
    void brokerRestartMidRunLosesNoShotAndRecordsNoneTwice() throws Exception {
        connect(1000, 20);
        client.close();
        client = new IonTrapClient(new MqttLink(MqttConfig.of(broker.uri()), deviceId, MqttLink.Role.CLIENT),
                new IonTrapClient.Options(Duration.ofMillis(500), 4, Duration.ofSeconds(30)));
        client.configure(plan());
        java.util.concurrent.atomic.AtomicLong streamed = new java.util.concurrent.atomic.AtomicLong();
        IonTrapClient.RunHandle h = client.run("restart", java.util.List.of(0.0, 0.001), 1500, null,
                b -> streamed.addAndGet(b.size()));
        while (h.received() < 300) {
            Thread.sleep(10);
        }
        broker.stop();
        Thread.sleep(800);
        broker.start();
        io.iontrap.hardware.client.RunResult r = h.await(Duration.ofSeconds(60));
        assertEquals(3000, r.shots().size());
        assertEquals(0, r.missing());
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (Message.Shot s : r.shots()) {
            assertTrue(seen.add(s.index()), "shot " + s.index() + " twice");
        }
        assertEquals(3000, streamed.get(), "the listener saw every shot exactly once");
        System.out.printf("[mqtt/restart] outcome %s, %d shots, %d client retries%n", r.outcome(), r.shots().size(),
                client.retries());
    }

    @Test
    void secretsNeverAppearInDescriptions() throws Exception {
        Path pw = Files.createTempFile("pw", ".txt");
        try {
            Files.writeString(pw, "s3cret-passw0rd\n");
            MqttConfig cfg = MqttConfig.of("mqtts://broker.lab:8883").withUsername("op").withPasswordFile(pw);
            assertTrue(!cfg.toString().contains("s3cret"));
            assertEquals("ssl://broker.lab:8883", cfg.pahoUri());
            assertTrue(cfg.tls());
            MqttLink l = new MqttLink(cfg, "trap-x", MqttLink.Role.CLIENT);
            assertTrue(!l.describe().contains("s3cret"));
        } finally {
            Files.delete(pw);
        }
    }

    @Test
    void aDeadBrokerTimesOutAndReportsTheLink() throws Exception {
        connect(0, 10);
        assertEquals("idle", client.status().state());
        client.close();
        client = new IonTrapClient(new MqttLink(MqttConfig.of(broker.uri()), deviceId, MqttLink.Role.CLIENT),
                new IonTrapClient.Options(Duration.ofMillis(300), 1, Duration.ofSeconds(10)));
        broker.stop();
        try {
            org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, client::status);
        } finally {
            broker.start();
        }
        // automatic reconnect + resubscribe in connectComplete, on both ends
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String state = null;
        while (state == null && System.nanoTime() < deadline) {
            try {
                state = client.status().state();
            } catch (RuntimeException e) {
                Thread.sleep(100);
            }
        }
        assertEquals("idle", state);
    }
}
