package io.iontrap.simdevice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.hardware.client.DeviceException;
import io.iontrap.hardware.client.IonTrapClient;
import io.iontrap.hardware.client.RunResult;
import io.iontrap.hardware.drive.ChannelSetting;
import io.iontrap.hardware.drive.DrivePlan;
import io.iontrap.hardware.drive.DriveSettings;
import io.iontrap.hardware.protocol.ErrorCode;
import io.iontrap.hardware.protocol.Message;
import io.iontrap.hardware.transport.Link;
import io.iontrap.hardware.trap.TrapSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the simulated device must do over every link (in-process here; socat PTYs and mosquitto in the
 * ITs): the hardware client configures it and runs schedules; the measured populations agree with the
 * model's prediction (G-test, p &gt; 1e-3 at a fixed seed); a limit violation the client did not check is
 * refused by the device; an abort mid-run leaves every drive off; throughput for N = 10.
 */
abstract class SimLinkScenarios {
    /** Significance of every goodness-of-fit test: data are rejected when p &lt; ALPHA. */
    static final double ALPHA = 1e-3;

    protected SimDeviceServer server;
    protected SimulatedTrap device;
    protected IonTrapClient client;

    /** A connected pair: [0] client end, [1] device end (neither started). */
    protected abstract Link[] links() throws Exception;

    protected abstract String name();

    protected IonTrapClient.Options clientOptions() {
        return new IonTrapClient.Options(Duration.ofSeconds(2), 3, Duration.ofSeconds(10));
    }

    protected Duration watchdog() {
        return null;
    }

    protected void connect(TrapSpec trap, SimOptions options) throws Exception {
        Link[] l = links();
        device = new SimulatedTrap(trap, options);
        server = SimDeviceServer.serve(device, l[1], watchdog());
        client = new IonTrapClient(l[0], clientOptions());
    }

    @AfterEach
    void disconnect() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        afterDisconnect();
    }

    protected void afterDisconnect() throws Exception {
    }

    static RunResult run(IonTrapClient c, String id, List<Double> holds, int shots, String initial) throws Exception {
        RunResult r = c.run(id, holds, shots, initial, b -> { }).await(Duration.ofMinutes(3));
        assertEquals("completed", r.outcome(), () -> "run " + id + ": " + r.detail());
        assertEquals(0, r.missing());
        assertEquals((long) holds.size() * shots, r.shots().size());
        return r;
    }

    @Test
    void measuredPopulationsAgreeWithTheModelWithinShotNoise() throws Exception {
        DetectionError det = DetectionError.asymmetric(0.02, 0.05);
        connect(SimFixtures.trap4(), SimOptions.defaults().withSeed(20261125).withDetection(det));
        Message.Identity id = client.identify();
        assertEquals(4, id.limits().spins());
        DrivePlan plan = SimFixtures.plan4();
        client.configure(plan);
        int shots = 3000;
        RunResult r = run(client, "agree-" + name(), SimFixtures.HOLDS4, shots, "0000");
        assertEquals("exact", device.lastEngine());
        long[][] counts = SimFixtures.counts(r.shots(), SimFixtures.HOLDS4.size(), 4);
        // the prediction, made on the client side from what was sent: the same calibration inverts the settings
        var decoded = io.iontrap.hardware.drive.DriveDecoder.decode(plan.trap(), plan.settingsToSend(),
                SimulatedTrap.UNIT).parameters();
        double[][] expected = SimulatedTrap.predictReadout(decoded, RateModel.DEFAULT, det, SimFixtures.HOLDS4, "0000");
        GTest fit = GTest.of(counts, expected);
        System.out.println(name() + ": measured vs model " + fit);
        assertTrue(fit.p > ALPHA, () -> "populations disagree with the model: " + fit);
        // the same data reject a model whose rates are 20 % too high, and one without detection errors
        GTest wrongRate = GTest.of(counts, SimulatedTrap.predictReadout(decoded, RateModel.DEFAULT.scaled(1.2), det,
                SimFixtures.HOLDS4, "0000"));
        GTest noDetection = GTest.of(counts, SimulatedTrap.predictReadout(decoded, RateModel.DEFAULT,
                DetectionError.NONE, SimFixtures.HOLDS4, "0000"));
        System.out.println(name() + ": vs rates x1.2 " + wrongRate + "; vs no detection error " + noDetection);
        assertTrue(wrongRate.p < ALPHA, () -> "a 20% wrong rate was not rejected: " + wrongRate);
        assertTrue(noDetection.p < ALPHA, () -> "missing detection errors were not rejected: " + noDetection);
    }

    @Test
    void deviceRefusesSettingsBeyondItsLimitsEvenWhenTheClientDidNotCheck() throws Exception {
        connect(SimFixtures.trap4(), SimOptions.defaults());
        DriveSettings good = SimFixtures.plan4().settingsToSend();
        client.configure(good);
        int applied = device.appliedHistory().size();
        List<ChannelSetting> bad = new ArrayList<>();
        for (ChannelSetting c : good.channels()) {
            bad.add(c.channel().equals("force-red-s1")
                    ? new ChannelSetting(c.channel(), c.frequency(), 0.95, c.phaseTurns(), true) : c);
        }
        DeviceException e = assertThrows(DeviceException.class, () -> client.configure(new DriveSettings(bad)));
        assertEquals(ErrorCode.DATA_OUT_OF_RANGE, e.code());
        assertTrue(e.violations().stream().anyMatch(v -> v.contains("force-red-s1") && v.contains("0.95")),
                () -> "violations: " + e.violations());
        assertEquals(applied, device.appliedHistory().size(), "nothing applied on refusal");
        assertEquals(good, device.settings(), "the settings in force are unchanged");
        // a run beyond the device's hold-time limit is refused too
        DeviceException r = assertThrows(DeviceException.class, () -> client.run("too-long-" + name(),
                List.of(0.1, 1e6), 10, null, b -> { }));
        assertEquals(ErrorCode.DATA_OUT_OF_RANGE, r.code());
        assertTrue(r.violations().get(0).contains("holdTimesSeconds[1]"), () -> "" + r.violations());
    }

    @Test
    void abortDuringARunTurnsEveryDriveOffAtOnce() throws Exception {
        connect(SimFixtures.trap4(), SimOptions.defaults().withPacing(0.001, false).withBatchSize(20));
        client.configure(SimFixtures.plan4());
        assertFalse(device.drivesOff());
        CountDownLatch some = new CountDownLatch(100);
        AtomicLong seen = new AtomicLong();
        IonTrapClient.RunHandle h = client.run("abort-" + name(), List.of(0.1, 0.5, 1.0), 5000, null, b -> {
            seen.addAndGet(b.size());
            for (int i = 0; i < b.size(); i++) {
                some.countDown();
            }
        });
        assertTrue(some.await(60, TimeUnit.SECONDS), "shots stream before the run ends");
        client.abort("test abort mid-run");
        assertTrue(device.drivesOff(), "every drive off when the abort is acknowledged");
        DriveSettings last = device.appliedHistory().get(device.appliedHistory().size() - 1);
        for (ChannelSetting c : last.channels()) {
            assertFalse(c.on(), c.channel());
            assertEquals(0.0, c.amplitude(), c.channel());
        }
        RunResult r = h.await(Duration.ofMinutes(1));
        assertEquals("aborted", r.outcome());
        assertTrue(r.shots().size() < 15000, "the run stopped early: " + r.shots().size());
        assertEquals(0, r.missing());
        DeviceException e = assertThrows(DeviceException.class,
                () -> client.run("after-abort-" + name(), List.of(0.1), 10, null, b -> { }));
        assertEquals(ErrorCode.EXECUTION_ERROR, e.code(), "a new run needs a new configure");
    }

    @Test
    void theShotsDoNotDependOnTheLink() throws Exception {
        SimOptions o = SimOptions.defaults().withSeed(99).withDetection(DetectionError.uniform(0.05));
        connect(SimFixtures.trap4(), o);
        client.configure(SimFixtures.plan4());
        RunResult here = run(client, "same-run", List.of(0.1, 0.4), 300, "0101");
        SimulatedTrap reference = new SimulatedTrap(SimFixtures.trap4(), o);
        try (SimDeviceServer s = SimDeviceServer.inProcess(reference); IonTrapClient c = s.connectClient()) {
            c.configure(SimFixtures.plan4());
            assertEquals(run(c, "same-run", List.of(0.1, 0.4), 300, "0101").shots(), here.shots());
        }
    }

    @Test
    void throughputForTenIons() throws Exception {
        TrapSpec trap = SimFixtures.trap10();
        connect(trap, SimOptions.defaults().withSeed(10).withDetection(DetectionError.uniform(0.01)));
        client.configure(SimFixtures.plan(trap, SimFixtures.model10()));
        List<Double> holds = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            holds.add(0.5 * k);
        }
        int shots = 1000;
        run(client, "warmup-" + name(), List.of(0.1), 200, null);
        long t0 = System.nanoTime();
        RunResult r = run(client, "throughput-" + name(), holds, shots, null);
        double s = (System.nanoTime() - t0) / 1e9;
        assertNotNull(r);
        System.out.printf(Locale.ROOT, "THROUGHPUT %s N=10: %d shots in %.2f s = %.0f shots/s (engine %s)%n", name(),
                r.shots().size(), s, r.shots().size() / s, device.lastEngine());
    }
}
