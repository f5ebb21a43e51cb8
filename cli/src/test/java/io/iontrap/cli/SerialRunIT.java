package io.iontrap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.analysis.data.RunData;
import io.iontrap.analysis.data.RunFile;
import io.iontrap.hardware.trap.TrapFile;
import io.iontrap.simdevice.SimDeviceServer;
import io.iontrap.simdevice.SimOptions;
import io.iontrap.simdevice.SimulatedTrap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * iontrap run over a serial line (a socat PTY pair started here, the simulated trap served on its device end):
 * a dry run sends nothing (device side), the line dropped mid-run loses no recorded shot and --resume completes
 * the run on a restarted device; Ctrl-C (SIGTERM to a separate JVM) aborts the device first.
 */
class SerialRunIT {
    @TempDir
    Path dir;

    private static Process socat(Path a, Path b) throws IOException, InterruptedException {
        Files.deleteIfExists(a);
        Files.deleteIfExists(b);
        Process p = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(Files.exists(a) && Files.exists(b))) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("socat did not create the PTY pair (is socat installed?)");
            }
            Thread.sleep(10);
        }
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static SimulatedTrap device(String spec) {
        return new SimulatedTrap(TrapFile.read(Experiments.TRAP), SimOptions.parse(spec));
    }

    @Test
    void dryRunSendsNothingLinkDroppedMidRunLosesNoShotAndResumeCompletesIt() throws Exception {
        Path a = dir.resolve("client-pty");
        Path b = dir.resolve("device-pty");
        Process socat = socat(a, b);
        SimDeviceServer server = null;
        ExecutorService ex = LinkRuns.executor();
        try {
            SimulatedTrap dev = device("sim:seed=4,detection-error=0.02,shot-time=0.0015");
            server = SimDeviceServer.serial(dev, b.toString(), Duration.ofSeconds(60));
            Path exp = Experiments.write(dir, "serial:" + a, 1000, "\"linkTimeoutSeconds\": 1", 0.999);
            Path out = dir.resolve("out");

            Experiments.Result dry = Experiments.run("run", exp.toString(), "--dry-run");
            assertEquals(0, dry.status(), dry.err());
            Thread.sleep(500);
            assertEquals(0, server.link().stats().received.get(), "the device received nothing from a dry run");
            assertTrue(dev.appliedHistory().isEmpty());

            Future<Experiments.Result> run = LinkRuns.start(ex, "run", exp.toString());
            LinkRuns.awaitShots(out.resolve("run-0.journal"), 1500, run);
            stop(socat); // the serial line is gone
            Experiments.Result r = run.get(60, TimeUnit.SECONDS);
            RunData partial = LinkRuns.assertStoppedKeepingEveryShot(r, out);
            System.out.println("serial: line dropped after " + partial.totalRecorded() + " shots");
            server.close();

            socat = socat(a, b); // the line is back, the device restarted (unpaced now)
            server = SimDeviceServer.serial(device("sim:seed=4,detection-error=0.02"), b.toString(),
                    Duration.ofSeconds(60));
            Experiments.Result resumed = Experiments.run("run", "--resume", out.resolve("run-0.h5").toString());
            LinkRuns.assertResumed(resumed, out, partial, 1000);

            // throughput over the line, unpaced: a fresh 6 x 3000-shot run, recorded only
            Path exp2 = Files.createDirectories(dir.resolve("t"));
            Experiments.Result t = Experiments.run("run", Experiments.write(exp2, "serial:" + a, 3000, null).toString(),
                    "--no-analysis");
            assertEquals(0, t.status(), t.err());
            System.out.printf(Locale.ROOT, "THROUGHPUT run serial (socat PTY): %.0f shots/s recorded%n",
                    LinkRuns.shotsPerSecond(t));
        } finally {
            ex.shutdownNow();
            if (server != null) {
                server.close();
            }
            stop(socat);
        }
    }

    @Test
    void sigtermAbortsTheDeviceFirstAndKeepsTheShots() throws Exception {
        Path a = dir.resolve("client-pty");
        Path b = dir.resolve("device-pty");
        Process socat = socat(a, b);
        SimDeviceServer server = null;
        Process child = null;
        try {
            SimulatedTrap dev = device("sim:seed=6,shot-time=0.002");
            server = SimDeviceServer.serial(dev, b.toString(), Duration.ofSeconds(60));
            Path exp = Experiments.write(dir, "serial:" + a, 1000, null);
            Path out = dir.resolve("out");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Djava.awt.headless=true",
                    IonTrap.class.getName(), "run", exp.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (LinkRuns.journalled(out.resolve("run-0.journal")) < 500) {
                assertTrue(child.isAlive(), () -> "child ended early: " + read(dir.resolve("child.log")));
                assertTrue(System.nanoTime() < deadline, "no shots from the child");
                Thread.sleep(20);
            }
            assertFalse(dev.drivesOff());
            child.destroy(); // SIGTERM: the same shutdown path as Ctrl-C
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
            String log = read(dir.resolve("child.log"));
            assertTrue(dev.drivesOff(), "the device is in its safe state: " + log);
            assertTrue(log.contains("device aborted"), log);
            RunData partial = RunFile.read(out.resolve("run-0.h5"));
            assertFalse(partial.complete());
            assertEquals(LinkRuns.journalled(out.resolve("run-0.journal")), partial.totalRecorded(), log);
            assertTrue(partial.totalRecorded() < 6000);
            System.out.println("SIGTERM: device aborted, " + partial.totalRecorded() + " shots kept; child exit "
                    + child.exitValue());
            Experiments.Result resumed = Experiments.run("run", "--resume", out.resolve("run-0.h5").toString());
            assertEquals(0, resumed.status(), resumed.err());
            assertTrue(RunFile.read(out.resolve("run-0.h5")).complete());
        } finally {
            if (child != null && child.isAlive()) {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            if (server != null) {
                server.close();
            }
            stop(socat);
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
