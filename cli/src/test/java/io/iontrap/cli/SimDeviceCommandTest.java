package io.iontrap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.hardware.TrapFixtures;
import io.iontrap.hardware.client.IonTrapClient;
import io.iontrap.hardware.client.RunResult;
import io.iontrap.hardware.drive.DriveCompiler;
import io.iontrap.hardware.drive.Feasibility;
import io.iontrap.hardware.transport.SerialLink;
import io.iontrap.hardware.transport.Socat;
import io.iontrap.hardware.units.ModelUnit;
import io.iontrap.model.Parameters;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code iontrap sim-device}: usage errors, and a real server on a socat PTY that a client drives and that stops cleanly. */
class SimDeviceCommandTest {

    @Test
    void needsExactlyOneLinkAndTakesNoSecretOnTheCommandLine() {
        assertEquals(2, CommandLineTest.run("sim-device").exit());
        assertEquals(2, CommandLineTest.run("sim-device", "--serial", "/dev/null", "--mqtt", "tcp://x:1").exit());
        CommandLineTest.Result r = CommandLineTest.run("sim-device", "--mqtt", "tcp://x:1", "--mqtt-password", "s3cret");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--mqtt-password"), r.err());
        CommandLineTest.Result e = CommandLineTest.run("sim-device", "--serial", "/tmp/x", "--engine", "magic");
        assertEquals(2, e.exit());
        assertTrue(e.err().contains("engine"), e.err());
    }

    @Test
    void servesOnASerialPortUntilStoppedAndLeavesTheDrivesOff() throws Exception {
        try (Socat socat = new Socat()) {
            SimDeviceCommand cmd = new SimDeviceCommand();
            CommandLine cl = new CommandLine(cmd);
            StringWriter out = new StringWriter();
            cl.setOut(new PrintWriter(out, true));
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute("--serial",
                    socat.b.toString(), "--device-id", "cli-sim", "--seed", "3", "--detection-error", "0.01",
                    "--trap", TrapFixtures.EXAMPLE.toString()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (cmd.server() == null && !exit.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertNotNull(cmd.server(), () -> "server not up: " + out);
            try (IonTrapClient client = new IonTrapClient(new SerialLink(socat.a.toString(), 115200),
                    new IonTrapClient.Options(Duration.ofMillis(500), 6, Duration.ofSeconds(20)))) {
                assertEquals("cli-sim", client.identify().deviceId());
                Parameters p = Feasibility.scale(Parameters.withEta(1, 0.1, 1, 10, 2.1, -1.4, 2.9, -0.6), 0.03);
                client.configure(DriveCompiler.compile(TrapFixtures.example(), p, ModelUnit.TWO_PI_KHZ));
                RunResult r = client.run("cli-run", List.of(0.0, 0.2), 50, null, b -> { })
                        .await(Duration.ofMinutes(1));
                assertEquals(100, r.shots().size());
                assertFalse(cmd.server().device().drivesOff());
            }
            cmd.stop();
            assertEquals(0, exit.get(30, TimeUnit.SECONDS));
            assertTrue(cmd.server().device().drivesOff(), "stopping turns every drive off");
            assertTrue(out.toString().contains("sim-device cli-sim serving on serial"), out.toString());
        }
    }
}
