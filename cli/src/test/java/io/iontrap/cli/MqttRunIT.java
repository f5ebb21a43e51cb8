package io.iontrap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.iontrap.analysis.data.RunData;
import io.iontrap.hardware.transport.Mosquitto;
import io.iontrap.hardware.transport.MqttConfig;
import io.iontrap.hardware.transport.MqttLink;
import io.iontrap.hardware.trap.TrapFile;
import io.iontrap.simdevice.SimDeviceServer;
import io.iontrap.simdevice.SimOptions;
import io.iontrap.simdevice.SimulatedTrap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * iontrap run through a real mosquitto broker started here: the broker stopped mid-run stops the run with
 * every recorded shot kept; restarted, --resume completes the run (the device, still on its interrupted run,
 * is aborted first) and the analysis recovers the device's true Ω and η.
 */
class MqttRunIT {
    @TempDir
    Path dir;

    @Test
    void brokerStoppedMidRunLosesNoShotAndResumeCompletesIt() throws Exception {
        ExecutorService ex = LinkRuns.executor();
        try (Mosquitto broker = new Mosquitto()) {
            SimulatedTrap dev = new SimulatedTrap(TrapFile.read(Experiments.TRAP),
                    SimOptions.parse("sim:seed=9,detection-error=0.02,shot-time=0.0015,device-id=trap-m"));
            try (SimDeviceServer server = SimDeviceServer.mqtt(dev, MqttConfig.of(broker.uri()), null)) {
                String uri = "mqtt://127.0.0.1:" + broker.port + "/trap-m";
                Path exp = Experiments.write(dir, uri, 1000,
                        "\"linkTimeoutSeconds\": 1, \"timeoutSeconds\": 1, \"retries\": 1", 0.999);
                Path out = dir.resolve("out");
                Future<Experiments.Result> run = LinkRuns.start(ex, "run", exp.toString());
                LinkRuns.awaitShots(out.resolve("run-0.journal"), 1500, run);
                broker.stop();
                Experiments.Result r = run.get(60, TimeUnit.SECONDS);
                RunData partial = LinkRuns.assertStoppedKeepingEveryShot(r, out);
                System.out.println("MQTT: broker stopped after " + partial.totalRecorded() + " shots");
                broker.start();
                MqttLink deviceLink = (MqttLink) server.link();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!deviceLink.connected() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                Experiments.Result resumed = Experiments.run("run", "--resume", out.resolve("run-0.h5").toString());
                LinkRuns.assertResumed(resumed, out, partial, 1000);
            }
            // throughput through the broker, unpaced: a fresh 6 x 3000-shot run, recorded only
            SimulatedTrap fast = new SimulatedTrap(TrapFile.read(Experiments.TRAP),
                    SimOptions.parse("sim:seed=9,device-id=trap-f"));
            try (SimDeviceServer server = SimDeviceServer.mqtt(fast, MqttConfig.of(broker.uri()), null)) {
                Path d2 = Files.createDirectories(dir.resolve("t"));
                Experiments.Result t = Experiments.run("run", Experiments.write(d2,
                        "mqtt://127.0.0.1:" + broker.port + "/trap-f", 3000, null).toString(), "--no-analysis");
                assertEquals(0, t.status(), t.err());
                System.out.printf(Locale.ROOT, "THROUGHPUT run MQTT (mosquitto): %.0f shots/s recorded%n",
                        LinkRuns.shotsPerSecond(t));
            }
        } finally {
            ex.shutdownNow();
        }
    }
}
