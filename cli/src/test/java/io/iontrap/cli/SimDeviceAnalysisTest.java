package io.iontrap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.analysis.Analysis;
import io.iontrap.analysis.data.RunData;
import io.iontrap.analysis.fit.FitSpec;
import io.iontrap.hardware.TrapFixtures;
import io.iontrap.hardware.client.IonTrapClient;
import io.iontrap.hardware.client.RunResult;
import io.iontrap.hardware.drive.DriveCompiler;
import io.iontrap.hardware.drive.DrivePlan;
import io.iontrap.hardware.drive.Feasibility;
import io.iontrap.hardware.protocol.Message;
import io.iontrap.hardware.units.ModelUnit;
import io.iontrap.model.Parameters;
import io.iontrap.simdevice.DetectionError;
import io.iontrap.simdevice.SimDeviceServer;
import io.iontrap.simdevice.SimOptions;
import io.iontrap.simdevice.SimulatedTrap;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulated device and the analysis agree on conventions (bits, hold times in seconds vs model
 * time, detection errors): shots from the device, analysed with the compiled model, give fitted Ω and η
 * whose intervals contain the device's true values. (The run workflow of issue 7 does this end to end.)
 */
class SimDeviceAnalysisTest {
    @TempDir
    Path out;

    @SuppressWarnings("unchecked")
    @Test
    void analysisOfSimulatedShotsRecoversTheTrueDriveAndLoss() throws Exception {
        Parameters p = Feasibility.scale(Parameters.withEta(1, 0.1, 1, 10, 2.1, -1.4, 2.9, -0.6), 0.03);
        DrivePlan plan = DriveCompiler.compile(TrapFixtures.example(), p, ModelUnit.TWO_PI_KHZ);
        DetectionError det = DetectionError.uniform(0.02);
        SimulatedTrap dev = new SimulatedTrap(TrapFixtures.example(),
                SimOptions.defaults().withSeed(2026).withDetection(det));
        List<Double> holds = List.of(0.0, 0.05, 0.15, 0.4, 1.0, 3.0);
        int shots = 1500;
        RunResult r;
        Parameters truth;
        try (SimDeviceServer s = SimDeviceServer.inProcess(dev); IonTrapClient c = s.connectClient()) {
            c.configure(plan);
            truth = dev.trueModel();
            r = c.run("analysis", holds, shots, null, b -> { }).await(Duration.ofMinutes(2));
        }
        assertEquals("completed", r.outcome());
        int n = 4;
        long[][] byTime = new long[holds.size()][shots];
        int[] k = new int[holds.size()];
        for (Message.Shot sh : r.shots()) {
            long conf = 0;
            for (int i = 0; i < n; i++) {
                if (sh.bits().charAt(i) == '1') {
                    conf |= 1L << i;
                }
            }
            byTime[sh.point()][k[sh.point()]++] = conf;
        }
        double[] times = SimulatedTrap.modelTimes(holds); // seconds -> 1/(2pi kHz)
        int[] planned = new int[holds.size()];
        java.util.Arrays.fill(planned, shots);
        double[][] e = new double[n][];
        for (int i = 0; i < n; i++) {
            e[i] = new double[]{det.readOneGivenZero(i), det.readZeroGivenOne(i)};
        }
        RunData run = RunData.builder(n).model(plan.achieved()).units("2pi*kHz").schedule(times, planned).initial(0)
                .shots(byTime).detectionError(e).complete(true).build();
        Map<String, Object> summary = Analysis.run(run, "sim", new ArrayList<>(), plan.achieved(),
                FitSpec.parse("Omega,eta"), out, new Analysis.Options().plots(false));
        Map<String, Object> fit = (Map<String, Object>) summary.get("fit");
        Map<String, Object> omega = (Map<String, Object>) fit.get("Omega");
        Map<String, Object> eta = (Map<String, Object>) fit.get("eta");
        System.out.println("analysis of simulated shots: Omega " + omega + " (true " + truth.drive() + "), eta " + eta
                + " (true " + truth.eta() + "), quality " + summary.get("fitQuality"));
        assertInside(truth.drive(), (List<Object>) omega.get("ci95"), "Omega");
        assertInside(truth.eta(), (List<Object>) eta.get("ci95"), "eta");
    }

    private static void assertInside(double x, List<Object> ci, String what) {
        double lo = ci.get(0) == null ? Double.NEGATIVE_INFINITY : ((Number) ci.get(0)).doubleValue();
        double hi = ci.get(1) == null ? Double.POSITIVE_INFINITY : ((Number) ci.get(1)).doubleValue();
        assertTrue(lo <= x && x <= hi, what + " = " + x + " outside " + ci);
    }
}
