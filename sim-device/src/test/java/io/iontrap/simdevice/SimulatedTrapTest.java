package io.iontrap.simdevice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.hardware.client.DeviceException;
import io.iontrap.hardware.client.IonTrapClient;
import io.iontrap.hardware.client.RunResult;
import io.iontrap.hardware.drive.DriveSettings;
import io.iontrap.hardware.drive.Feasibility;
import io.iontrap.hardware.trap.TrapSpec;
import io.iontrap.hardware.protocol.ErrorCode;
import io.iontrap.hardware.protocol.Message;
import io.iontrap.hardware.transport.InProcessLink;
import io.iontrap.model.Parameters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The simulated trap's physics and behaviour, on the in-process link. */
class SimulatedTrapTest {

    private static RunResult runOn(SimulatedTrap dev, String runId, List<Double> holds, int shots) throws Exception {
        try (SimDeviceServer s = SimDeviceServer.inProcess(dev); IonTrapClient c = s.connectClient()) {
            c.configure(SimFixtures.plan4());
            return SimLinkScenarios.run(c, runId, holds, shots, null);
        }
    }

    @Test
    void decodesTheDrivesIntoTheModelThatWasCompiled() {
        SimulatedTrap dev = new SimulatedTrap(SimFixtures.trap4(), SimOptions.defaults());
        try (SimDeviceServer s = SimDeviceServer.inProcess(dev); IonTrapClient c = s.connectClient()) {
            assertEquals("not configured", dev.modelProblem());
            c.configure(SimFixtures.plan4());
            Parameters want = SimFixtures.model4();
            Parameters realised = SimFixtures.plan4().achieved(); // the compiler's view after DDS rounding
            Parameters got = dev.nominalModel();
            assertEquals(realised.toString(), got.toString());
            for (int i = 0; i < 4; i++) {
                assertEquals(want.g(i), got.g(i), 5e-3 * Math.abs(want.g(i)), "g" + i + " within DDS rounding");
            }
            assertEquals(got.toString(), dev.trueModel().toString(), "no calibration error by default");
        }
    }

    @Test
    void kineticMonteCarloShotsAgreeWithTheExactPrediction() throws Exception {
        DetectionError det = DetectionError.uniform(0.03);
        SimulatedTrap dev = new SimulatedTrap(SimFixtures.trap4(),
                SimOptions.defaults().withSeed(77).withEngine(Engine.KMC).withDetection(det));
        RunResult r = runOn(dev, "kmc", SimFixtures.HOLDS4, 2000);
        assertEquals("kmc", dev.lastEngine());
        GTest fit = GTest.of(SimFixtures.counts(r.shots(), SimFixtures.HOLDS4.size(), 4),
                SimulatedTrap.predictReadout(SimFixtures.plan4().achieved(), RateModel.DEFAULT, det,
                        SimFixtures.HOLDS4, null));
        System.out.println("kmc vs exact prediction: " + fit);
        assertTrue(fit.p > SimLinkScenarios.ALPHA, fit::toString);
    }

    @Test
    void calibrationErrorMakesTheTrueCouplingsDifferAndTheDataFollowThem() throws Exception {
        SimulatedTrap dev = new SimulatedTrap(SimFixtures.trap4(),
                SimOptions.defaults().withSeed(5).withCalibrationError(0.2));
        double[] f = dev.couplingFactors();
        double rms = 0;
        for (double x : f) {
            rms += (x - 1) * (x - 1);
        }
        assertTrue(rms > 0, "factors differ from 1");
        assertEquals(f[2], new SimulatedTrap(SimFixtures.trap4(),
                SimOptions.defaults().withSeed(5).withCalibrationError(0.2)).couplingFactors()[2], "seeded");
        try (SimDeviceServer s = SimDeviceServer.inProcess(dev); IonTrapClient c = s.connectClient()) {
            c.configure(SimFixtures.plan4());
            for (int i = 0; i < 4; i++) {
                assertEquals(dev.nominalModel().g(i) * f[i], dev.trueModel().g(i), 1e-15);
            }
            RunResult r = SimLinkScenarios.run(c, "cal", SimFixtures.HOLDS4, 6000, null);
            long[][] counts = SimFixtures.counts(r.shots(), SimFixtures.HOLDS4.size(), 4);
            GTest truth = GTest.of(counts, dev.predictReadout(SimFixtures.HOLDS4, null));
            GTest nominal = GTest.of(counts, SimulatedTrap.predictReadout(dev.nominalModel(), RateModel.DEFAULT,
                    DetectionError.NONE, SimFixtures.HOLDS4, null));
            System.out.println("calibration error 0.2, factors " + java.util.Arrays.toString(f) + ": vs true model "
                    + truth + "; vs nominal " + nominal);
            assertTrue(truth.p > SimLinkScenarios.ALPHA, truth::toString);
            assertTrue(nominal.p < SimLinkScenarios.ALPHA, nominal::toString);
        }
    }

    @Test
    void aSeedMakesEveryShotReproducible() throws Exception {
        List<Double> holds = List.of(0.1, 0.4);
        RunResult a = runOn(new SimulatedTrap(SimFixtures.trap4(), SimOptions.defaults().withSeed(3)
                .withDetection(DetectionError.uniform(0.05))), "same", holds, 300);
        RunResult b = runOn(new SimulatedTrap(SimFixtures.trap4(), SimOptions.defaults().withSeed(3)
                .withDetection(DetectionError.uniform(0.05))), "same", holds, 300);
        RunResult c = runOn(new SimulatedTrap(SimFixtures.trap4(), SimOptions.defaults().withSeed(4)
                .withDetection(DetectionError.uniform(0.05))), "same", holds, 300);
        assertEquals(a.shots(), b.shots());
        assertNotEquals(a.shots(), c.shots());
        RunResult kmc1 = runOn(new SimulatedTrap(SimFixtures.trap4(), SimOptions.defaults().withSeed(3)
                .withEngine(Engine.KMC)), "k", holds, 200);
        RunResult kmc2 = runOn(new SimulatedTrap(SimFixtures.trap4(), SimOptions.defaults().withSeed(3)
                .withEngine(Engine.KMC)), "k", holds, 200);
        assertEquals(kmc1.shots(), kmc2.shots());
    }

    @Test
    void shotsAndProgressStreamBeforeTheRunEnds() throws Exception {
        SimulatedTrap dev = new SimulatedTrap(SimFixtures.trap4(),
                SimOptions.defaults().withPacing(0.0005, false).withBatchSize(25));
        try (SimDeviceServer s = SimDeviceServer.inProcess(dev); IonTrapClient c = s.connectClient()) {
            c.configure(SimFixtures.plan4());
            List<Message.Status> progress = Collections.synchronizedList(new ArrayList<>());
            c.onStatus(progress::add);
            CompletableFuture<Boolean> firstBatchBeforeDone = new CompletableFuture<>();
            IonTrapClient.RunHandle[] h = new IonTrapClient.RunHandle[1];
            h[0] = c.run("stream", List.of(0.1, 0.2, 0.3, 0.4), 500, null,
                    batch -> firstBatchBeforeDone.complete(h[0] == null || !h[0].completion().isDone()));
            assertTrue(firstBatchBeforeDone.get(60, TimeUnit.SECONDS));
            RunResult r = h[0].await(Duration.ofMinutes(2));
            assertEquals(2000, r.shots().size());
            assertTrue(progress.stream().anyMatch(p -> p.state().equals("running") && p.detail() != null
                    && p.detail().startsWith("point 4/4") && p.shotsDone() >= 1500), () -> "progress: " + progress);
        }
    }

    @Test
    void runsThatRealiseNoModelOrNeedAMissingEngineAreRefusedWithTheReason() throws Exception {
        SimulatedTrap dev = new SimulatedTrap(SimFixtures.trap4(), SimOptions.defaults());
        try (SimDeviceServer s = SimDeviceServer.inProcess(dev); IonTrapClient c = s.connectClient()) {
            DriveSettings off = SimFixtures.plan4().settingsToSend().allOff();
            c.configure(off);
            DeviceException e = assertThrows(DeviceException.class, () -> c.run("r", List.of(0.1), 10, null, b -> { }));
            assertEquals(ErrorCode.EXECUTION_ERROR, e.code());
            assertTrue(e.getMessage().contains("every channel is off"), e.getMessage());
            // one force tone of s1 off: a Jaynes-Cummings coupling the device cannot simulate
            List<io.iontrap.hardware.drive.ChannelSetting> one = new ArrayList<>();
            for (var ch : SimFixtures.plan4().settingsToSend().channels()) {
                one.add(ch.channel().equals("force-blue-s1")
                        ? io.iontrap.hardware.drive.ChannelSetting.off(ch.channel(), ch.frequency()) : ch);
            }
            c.configure(new DriveSettings(one));
            DeviceException jc = assertThrows(DeviceException.class,
                    () -> c.run("r2", List.of(0.1), 10, null, b -> { }));
            assertTrue(jc.getMessage().contains("[s1]") && jc.getMessage().contains("Jaynes-Cummings"),
                    jc.getMessage());
        }
        TrapSpec seven = SimFixtures.trapWithSpins(7);
        SimulatedTrap lb = new SimulatedTrap(seven, SimOptions.defaults().withEngine(Engine.LINDBLAD));
        try (SimDeviceServer s = SimDeviceServer.inProcess(lb); IonTrapClient c = s.connectClient()) {
            c.configure(SimFixtures.plan(seven, Feasibility.scale(Parameters.withEta(1, 0.1, 1, 10,
                    2.1, -1.4, 2.9, -0.6, 1.7, -2.2, 1.1), 0.01)));
            DeviceException e = assertThrows(DeviceException.class, () -> c.run("r", List.of(0.1), 10, null, b -> { }));
            assertEquals(ErrorCode.EXECUTION_ERROR, e.code());
            assertTrue(e.getMessage().contains("lindblad") && e.getMessage().contains("exceeds 6"), e.getMessage());
        }
    }

    @Test
    void fullModelShotsAgreeWithTheFullModelPrediction() throws Exception {
        // physics.md §7's N = 2 check model (g = 1.3, -2.2; eta = 10) at 0.03 x: the full model is costly, keep N small
        DetectionError det = DetectionError.uniform(0.02);
        List<Double> holds = List.of(0.05, 0.3, 1.0);
        TrapSpec two = SimFixtures.trapWithSpins(2);
        Parameters model = Feasibility.scale(Parameters.withEta(1, 0.1, 1, 10, 1.3, -2.2), 0.03);
        var plan = SimFixtures.plan(two, model);
        SimulatedTrap dev = new SimulatedTrap(two,
                SimOptions.defaults().withSeed(11).withEngine(Engine.LINDBLAD).withDetection(det));
        long t0 = System.nanoTime();
        RunResult r;
        try (SimDeviceServer s = SimDeviceServer.inProcess(dev); IonTrapClient c = s.connectClient()) {
            c.configure(plan);
            r = SimLinkScenarios.run(c, "full", holds, 3000, null);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        assertEquals("lindblad", dev.lastEngine());
        double[][] full = SimulatedTrap.predictReadoutFullModel(plan.achieved(), det, holds, null);
        GTest fit = GTest.of(SimFixtures.counts(r.shots(), holds.size(), 2), full);
        System.out.printf(java.util.Locale.ROOT, "lindblad engine (N = 2, run %.1f s) vs full-model prediction: %s%n",
                s, fit);
        assertTrue(fit.p > SimLinkScenarios.ALPHA, fit::toString);
        // physics: at this shot count the full model's data are also consistent with the effective model of
        // Eq. (3) (physics.md §7: max |p_eff - p_full| = 0.0078 for this model at eta = 10)
        double[][] eff = SimulatedTrap.predictReadout(plan.achieved(), RateModel.EQ3, det, holds, null);
        GTest effective = GTest.of(SimFixtures.counts(r.shots(), holds.size(), 2), eff);
        System.out.println("lindblad engine vs effective-model prediction: " + effective);
        assertTrue(effective.p > SimLinkScenarios.ALPHA, effective::toString);
    }

    @Test
    void thirtyIonsRunOnKineticMonteCarlo() throws Exception {
        int n = 30;
        TrapSpec trap = SimFixtures.trapWithSpins(n);
        double[] g = new double[n];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            g[i] = (rnd.nextBoolean() ? 1 : -1) * (0.2 + 0.6 * rnd.nextDouble());
        }
        Parameters base = Parameters.withEta(1, 0.1, 1, 10, g);
        Feasibility.Result f = Feasibility.fastest(trap, base, io.iontrap.hardware.units.ModelUnit.TWO_PI_KHZ);
        assertTrue(f.feasible());
        SimulatedTrap dev = new SimulatedTrap(trap, SimOptions.defaults());
        try (SimDeviceServer s = SimDeviceServer.inProcess(dev); IonTrapClient c = s.connectClient()) {
            c.configure(SimFixtures.plan(trap, Feasibility.scale(base, 0.97 * f.scale())));
            String up = "1".repeat(n);
            RunResult r = SimLinkScenarios.run(c, "n30", List.of(0.0, 2.0), 200, up);
            assertEquals("kmc", dev.lastEngine());
            assertTrue(r.shots().subList(0, 200).stream().allMatch(x -> x.bits().equals(up)), "t = 0: the prepared state");
            assertTrue(r.shots().subList(200, 400).stream().anyMatch(x -> !x.bits().equals(up)), "spins flip later");
        }
    }

    @Test
    void automaticEngineChoice() {
        Parameters p4 = SimFixtures.model4();
        var rates = RateModel.DEFAULT;
        double[] t = SimulatedTrap.modelTimes(SimFixtures.HOLDS4);
        assertEquals(Engine.EXACT, EngineSelector.choose(Engine.AUTO, p4, rates.rates(p4), new long[1], t, 1000)
                .engine());
        double[] g = new double[22];
        for (int i = 0; i < g.length; i++) {
            g[i] = (i % 2 == 0 ? 1 : -1) * (0.03 + 0.003 * i);
        }
        Parameters p22 = p4.withCouplings(g);
        EngineSelector.Choice big = EngineSelector.choose(Engine.AUTO, p22, rates.rates(p22), new long[1], t, 100);
        assertEquals(Engine.KMC, big.engine(), big.reason());
        assertEquals(Engine.EXACT, EngineSelector.choose(Engine.EXACT, p22, rates.rates(p22), new long[1], t, 100)
                .engine());
        Parameters p30 = p4.withCouplings(java.util.Arrays.copyOf(g, 30));
        assertThrows(IllegalArgumentException.class,
                () -> EngineSelector.choose(Engine.EXACT, p30, rates.rates(p30), new long[1], t, 100));
        assertEquals(Engine.KMC, Engine.parse("kmc"));
        assertThrows(IllegalArgumentException.class, () -> Engine.parse("magic"));
    }

    @Test
    void deviceSpecsOfExperimentFiles() throws Exception {
        assertEquals(SimOptions.defaults().seed(), SimOptions.parse("sim:").seed());
        SimOptions o = SimOptions.parse("sim:seed=3,engine=kmc,detection-error=0.01,calibration-error=0.05");
        assertEquals(3, o.seed());
        assertEquals(Engine.KMC, o.engine());
        assertEquals(0.01, o.detection().readOneGivenZero(2));
        assertEquals(0.05, o.calibrationError());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SimOptions.parse("sim:sed=3"));
        assertTrue(e.getMessage().contains("unknown key \"sed\""), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SimOptions.parse("sim:seed=x"));
        assertThrows(IllegalArgumentException.class, () -> SimOptions.parse("serial:/dev/ttyUSB0"));
        try (SimDeviceServer s = SimDeviceServer.inProcess(io.iontrap.hardware.TrapFixtures.EXAMPLE, 9);
             IonTrapClient c = s.connectClient()) {
            assertEquals("sim-trap", c.identify().deviceId());
            assertEquals(9, s.device().options().seed());
        }
    }

    @Test
    void pacedShotsStreamInSmallerBatches() {
        assertEquals(100, SimulatedTrap.streamingBatch(SimOptions.defaults()));
        assertEquals(25, SimulatedTrap.streamingBatch(SimOptions.defaults().withPacing(0.01, false)));
        assertEquals(1, SimulatedTrap.streamingBatch(SimOptions.defaults().withPacing(0.5, false)));
        assertEquals(1, SimulatedTrap.streamingBatch(SimOptions.defaults().withPacing(0, true)));
    }

    @Test
    void detectionErrorsFoldLikeTheyAreSampled() {
        DetectionError d = DetectionError.asymmetric(0.1, 0.2);
        double[] p = {0.5, 0.25, 0.125, 0.125}; // two ions
        double[] q = d.fold(p, 2);
        // read "00" from true 00: 0.9*0.9; from 01 (ion0 up): 0.2*0.9; from 10: 0.9*0.2; from 11: 0.2*0.2
        assertEquals(0.5 * 0.81 + 0.25 * 0.18 + 0.125 * 0.18 + 0.125 * 0.04, q[0], 1e-15);
        double s = 0;
        for (double x : q) {
            s += x;
        }
        assertEquals(1, s, 1e-15);
        assertThrows(IllegalArgumentException.class, () -> DetectionError.uniform(0.6));
    }

    @Test
    void theWatchdogPutsASilentDeviceInItsSafeState() throws Exception {
        SimulatedTrap dev = new SimulatedTrap(SimFixtures.trap4(), SimOptions.defaults());
        InProcessLink[] l = InProcessLink.pair();
        try (SimDeviceServer s = SimDeviceServer.serve(dev, l[1], Duration.ofMillis(500));
             IonTrapClient c = new IonTrapClient(l[0])) {
            c.configure(SimFixtures.plan4());
            assertFalse(dev.drivesOff());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!dev.drivesOff() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(dev.drivesOff());
            assertEquals("idle", c.status().state());
        }
    }

    @Test
    void closingTheServerLeavesTheDrivesOff() {
        SimulatedTrap dev = new SimulatedTrap(SimFixtures.trap4(), SimOptions.defaults());
        try (SimDeviceServer s = SimDeviceServer.inProcess(dev); IonTrapClient c = s.connectClient()) {
            c.configure(SimFixtures.plan4());
            assertFalse(dev.drivesOff());
            s.close();
            assertTrue(dev.drivesOff());
        }
    }
}
