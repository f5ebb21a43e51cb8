package io.iontrap.simdevice;

import io.iontrap.hardware.client.IonTrapClient;
import io.iontrap.hardware.client.RunResult;
import io.iontrap.hardware.transport.InProcessLink;
import io.iontrap.hardware.transport.Link;
import io.iontrap.hardware.transport.Mosquitto;
import io.iontrap.hardware.transport.MqttConfig;
import io.iontrap.hardware.transport.MqttLink;
import io.iontrap.hardware.transport.SerialLink;
import io.iontrap.hardware.transport.Socat;
import io.iontrap.hardware.trap.TrapSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Shots per second for N = 10 over every link, larger than the test's figure (5 × 50 000 shots per link,
 * best and median reported). Not part of the build: {@code mvn -pl sim-device -am verify -Dsim.bench=true
 * -Dit.test=ThroughputBenchIT}.
 */
@EnabledIfSystemProperty(named = "sim.bench", matches = "true")
class ThroughputBenchIT {
    private static final int REPEATS = 5;

    @Test
    void shotsPerSecondForTenIons() throws Exception {
        TrapSpec trap = SimFixtures.trap10();
        List<Double> holds = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            holds.add(0.5 * k);
        }
        bench("in-process", trap, holds, InProcessLink.pair());
        try (Socat socat = new Socat()) {
            bench("serial (socat PTY)", trap, holds, new Link[]{new SerialLink(socat.a.toString(), 115200),
                    new SerialLink(socat.b.toString(), 115200)});
        }
        try (Mosquitto broker = new Mosquitto()) {
            MqttConfig cfg = MqttConfig.of(broker.uri());
            bench("MQTT (mosquitto)", trap, holds, new Link[]{new MqttLink(cfg, "bench", MqttLink.Role.CLIENT),
                    new MqttLink(cfg, "bench", MqttLink.Role.DEVICE)});
        }
    }

    private static void bench(String name, TrapSpec trap, List<Double> holds, Link[] links) throws Exception {
        SimulatedTrap dev = new SimulatedTrap(trap, SimOptions.defaults().withSeed(10)
                .withDetection(DetectionError.uniform(0.01)));
        try (SimDeviceServer server = SimDeviceServer.serve(dev, links[1], null);
             IonTrapClient client = new IonTrapClient(links[0],
                     new IonTrapClient.Options(Duration.ofSeconds(2), 5, Duration.ofSeconds(30)))) {
            client.configure(SimFixtures.plan(trap, SimFixtures.model10()));
            SimLinkScenarios.run(client, "warm", holds, 2000, null);
            double[] rate = new double[REPEATS];
            for (int k = 0; k < REPEATS; k++) {
                long t0 = System.nanoTime();
                RunResult r = SimLinkScenarios.run(client, "b" + k, holds, 5000, null);
                rate[k] = r.shots().size() / ((System.nanoTime() - t0) / 1e9);
            }
            java.util.Arrays.sort(rate);
            System.out.printf(Locale.ROOT, "BENCH %s N=10: best %.0f, median %.0f shots/s (5 runs of 50 000 shots, "
                    + "engine %s)%n", name, rate[REPEATS - 1], rate[REPEATS / 2], dev.lastEngine());
        }
    }
}
