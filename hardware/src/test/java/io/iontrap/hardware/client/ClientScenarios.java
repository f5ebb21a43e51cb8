package io.iontrap.hardware.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.hardware.TestDevice;
import io.iontrap.hardware.TrapFixtures;
import io.iontrap.hardware.device.DeviceServer;
import io.iontrap.hardware.drive.ChannelSetting;
import io.iontrap.hardware.drive.DriveCompiler;
import io.iontrap.hardware.drive.DrivePlan;
import io.iontrap.hardware.drive.DriveSettings;
import io.iontrap.hardware.drive.Feasibility;
import io.iontrap.hardware.drive.PlanRefusedException;
import io.iontrap.hardware.protocol.ErrorCode;
import io.iontrap.hardware.protocol.Message;
import io.iontrap.hardware.transport.Link;
import io.iontrap.hardware.units.CyclicFrequency;
import io.iontrap.hardware.units.ModelUnit;
import io.iontrap.model.Parameters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client ↔ device scenarios every link must pass: subclasses provide the link pair
 * (in-process, socat PTYs, mosquitto).
 */
public abstract class ClientScenarios {
    protected TestDevice device;
    protected DeviceServer server;
    protected IonTrapClient client;

    /** A connected pair: [0] client end, [1] device end (not started). */
    protected abstract Link[] links() throws Exception;

    protected abstract String name();

    protected IonTrapClient.Options options() {
        return new IonTrapClient.Options(Duration.ofMillis(1500), 3, Duration.ofSeconds(10));
    }

    protected void connect(long shotDelayMicros, int batch) throws Exception {
        Link[] l = links();
        device = new TestDevice(shotDelayMicros, batch);
        server = new DeviceServer(l[1], device).start();
        client = new IonTrapClient(l[0], options());
    }

    @AfterEach
    void disconnect() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (device != null) {
            device.close();
        }
    }

    protected static DrivePlan plan() {
        Parameters p = Feasibility.scale(Parameters.withEta(1, 0.1, 1, 10, 2.1, -1.4, 2.9, -0.6), 0.03);
        return DriveCompiler.compile(TrapFixtures.example(), p, ModelUnit.TWO_PI_KHZ);
    }

    @Test
    void identifyConfigureRunStreamsEveryShot() throws Exception {
        connect(0, 25);
        Message.Identity id = client.identify();
        assertEquals("trap-1", id.deviceId());
        assertEquals(11, id.limits().channels().size());
        assertTrue(id.capabilities().contains("abort"));
        DrivePlan plan = plan();
        client.configure(plan);
        assertEquals(plan.quantised(), device.lastApplied());
        List<Message.Shot> streamed = new ArrayList<>();
        IonTrapClient.RunHandle h = client.run("r1", List.of(0.0, 0.01, 0.02, 0.05), 50, "0000",
                batch -> streamed.addAll(batch));
        RunResult r = h.await(Duration.ofSeconds(20));
        assertEquals("completed", r.outcome());
        assertEquals(200, r.shots().size());
        assertEquals(0, r.missing());
        assertEquals(200, streamed.size(), "every shot streamed once");
        for (int i = 0; i < 200; i++) {
            assertEquals(i, r.shots().get(i).index());
            assertEquals(i / 50, r.shots().get(i).point());
            assertEquals(4, r.shots().get(i).bits().length());
        }
        assertEquals("configured", client.status().state());
    }

    @Test
    void abortMidRunStopsAndSwitchesEverythingOff() throws Exception {
        connect(2000, 5);
        client.configure(plan());
        CountDownLatch started = new CountDownLatch(1);
        IonTrapClient.RunHandle h = client.run("r2", List.of(0.0, 0.1), 2000, null, b -> started.countDown());
        assertTrue(started.await(10, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        client.abort("test");
        double abortMs = (System.nanoTime() - t0) / 1e6;
        RunResult r = h.await(Duration.ofSeconds(10));
        assertEquals("aborted", r.outcome());
        assertTrue(r.shots().size() < 4000, "stopped early: " + r.shots().size());
        assertEquals(0, r.missing());
        DriveSettings last = device.lastApplied();
        for (ChannelSetting c : last.channels()) {
            assertFalse(c.on(), c.channel() + " still on after abort");
            assertEquals(0.0, c.amplitude());
        }
        assertNull(device.settings());
        assertEquals("idle", client.status().state());
        // a run now needs a new configure
        DeviceException e = assertThrows(DeviceException.class, () -> client.run("r3", List.of(0.0), 1, null, null));
        assertEquals(ErrorCode.EXECUTION_ERROR, e.code());
        System.out.printf(Locale.ROOT, "[%s] abort acknowledged in %.2f ms after %d shots%n", name(), abortMs,
                r.shots().size());
    }

    @Test
    void deviceRefusesOutOfLimitSettingsListingEveryViolation() throws Exception {
        connect(0, 10);
        List<ChannelSetting> bad = new ArrayList<>(plan().quantised().channels());
        ChannelSetting c0 = bad.get(0);
        bad.set(0, new ChannelSetting(c0.channel(), c0.frequency(), 0.95, c0.phaseTurns(), true));
        ChannelSetting c1 = bad.get(1);
        bad.set(1, new ChannelSetting(c1.channel(), CyclicFrequency.MHz(95), c1.amplitude(), c1.phaseTurns(), true));
        DeviceException e = assertThrows(DeviceException.class, () -> client.configure(new DriveSettings(bad)));
        assertEquals(ErrorCode.DATA_OUT_OF_RANGE, e.code());
        assertEquals(2, e.violations().size(), e.violations().toString());
        assertTrue(e.violations().get(0).startsWith("force-red-s0: amplitude = 0.95"), e.violations().get(0));
        assertTrue(e.violations().get(1).contains("maxFrequencyHz"), e.violations().get(1));
        assertNull(device.lastApplied(), "nothing applied");
        // and a run schedule outside the device's limits
        client.configure(plan());
        e = assertThrows(DeviceException.class, () -> client.run("r4", List.of(0.0, 99.0, -1.0), 10, null, null));
        assertEquals(2, e.violations().size(), e.violations().toString());
    }

    @Test
    void refusedPlanIsNeverSent() throws Exception {
        connect(0, 10);
        DrivePlan refused = DriveCompiler.compile(TrapFixtures.example(),
                Parameters.withEta(1, 0.1, 1, 10, 2.1, -1.4, 2.9, -0.6), ModelUnit.TWO_PI_KHZ);
        assertTrue(refused.refused());
        String before = client.linkStats().link();
        assertThrows(PlanRefusedException.class, () -> client.configure(refused));
        assertEquals(before, client.linkStats().link());
        assertNull(device.lastApplied());
    }

    @Test
    void roundTripLatency() throws Exception {
        connect(0, 100);
        client.status();
        int n = 200;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            client.status();
        }
        double ms = (System.nanoTime() - t0) / 1e6 / n;
        client.configure(plan());
        long t1 = System.nanoTime();
        RunResult r = client.run("tp", List.of(0.0), 5000, null, null).await(Duration.ofSeconds(60));
        double s = (System.nanoTime() - t1) / 1e9;
        assertEquals(5000, r.shots().size());
        System.out.printf(Locale.ROOT, "[%s] status round trip %.3f ms (mean of %d); 5000 shots in %.3f s "
                        + "(%.0f shots/s, %.0f event frames/s); %s%n", name(), ms, n, s, 5000 / s, 50 / s,
                client.linkStats());
        assertTrue(ms < 200, "round trip " + ms + " ms");
    }

    @Test
    void abortOvertakesQueuedCommands() throws Exception {
        connect(0, 10);
        client.configure(plan());
        // many requests from other threads, then an abort: the abort must not wait for them
        AtomicInteger done = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> {
                for (int k = 0; k < 20; k++) {
                    client.status();
                }
                done.incrementAndGet();
            });
            threads.add(t);
            t.start();
        }
        client.abort("now");
        assertNull(device.settings());
        for (Thread t : threads) {
            t.join(30_000);
        }
        assertEquals(8, done.get());
    }
}
