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
import io.iontrap.hardware.transport.Mosquitto;
import io.iontrap.hardware.transport.MqttConfig;
import io.iontrap.hardware.transport.MqttLink;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
        assertFalse(r.err().contains("s3cret"), "the refused password is not repeated: " + r.err());
        CommandLineTest.Result e = CommandLineTest.run("sim-device", "--serial", "/tmp/x", "--engine", "magic");
        assertEquals(2, e.exit());
        assertTrue(e.err().contains("engine"), e.err());
    }

    /** The MQTT flags are {@link MqttOptions}: checked as for every command, before any server starts. */
    @Test
    void mqttFlagsAreCheckedByMqttOptions() {
        CommandLineTest.Result env = CommandLineTest.run("sim-device", "--mqtt", "tcp://127.0.0.1:1", "--mqtt-username",
                "u", "--mqtt-password-env", "IONTRAP_TEST_NO_SUCH_VARIABLE");
        assertEquals(2, env.exit());
        assertTrue(env.err().contains("IONTRAP_TEST_NO_SUCH_VARIABLE is not set"), env.err());
        CommandLineTest.Result cert = CommandLineTest.run("sim-device", "--mqtt", "tcp://127.0.0.1:1", "--mqtt-cert",
                "c.pem");
        assertEquals(2, cert.exit());
        assertTrue(cert.err().contains("--mqtt-cert and --mqtt-key go together"), cert.err());
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

    @TempDir
    Path dir;

    private void exec(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("tool.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + Files.readString(dir.resolve("tool.log")));
        }
    }

    /** The MQTT security flags: the device logs in with a password from a file over TLS; no secret on the command line. */
    @Test
    void servesThroughAPasswordProtectedTlsBroker() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        exec("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days",
                "2", "-subj", "/CN=iontrap test CA");
        Files.writeString(dir.resolve("san.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        exec("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj",
                "/CN=localhost");
        exec("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", "san.cnf", "-out", "server.crt");
        Files.writeString(dir.resolve("passwd"), "trap-9:dev-Pw-9\noperator:op-Pw-1\n");
        exec("mosquitto_passwd", "-U", "passwd");
        Files.writeString(dir.resolve("device.pw"), "dev-Pw-9\n");
        Files.writeString(dir.resolve("operator.pw"), "op-Pw-1\n");
        try (var l = Files.list(dir)) {
            for (Path p : (Iterable<Path>) l::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        Path brokerDir = Files.createTempDirectory("iontrap-sim-mqtts");
        Files.setPosixFilePermissions(brokerDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Mosquitto broker = new Mosquitto(brokerDir, Mosquitto.freePort(), List.of("allow_anonymous false",
                "password_file " + dir.resolve("passwd"), "cafile " + dir.resolve("ca.crt"),
                "certfile " + dir.resolve("server.crt"), "keyfile " + dir.resolve("server.key")))) {
            String uri = "mqtts://127.0.0.1:" + broker.port;
            SimDeviceCommand cmd = new SimDeviceCommand();
            CommandLine cl = new CommandLine(cmd);
            StringWriter out = new StringWriter();
            cl.setOut(new PrintWriter(out, true));
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute("--mqtt", uri,
                    "--device-id", "trap-9", "--mqtt-username", "trap-9", "--mqtt-password-file",
                    dir.resolve("device.pw").toString(), "--mqtt-ca", dir.resolve("ca.crt").toString(), "--json"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (cmd.server() == null && !exit.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertNotNull(cmd.server(), () -> "server not up: " + out + " " + (exit.isDone() ? exit.join() : ""));
            assertFalse(out.toString().contains("dev-Pw-9"), "no secret printed");
            MqttConfig operator = MqttConfig.of(uri).withCa(dir.resolve("ca.crt")).withUsername("operator")
                    .withPasswordFile(dir.resolve("operator.pw"));
            try (IonTrapClient client = new IonTrapClient(new MqttLink(operator, "trap-9", MqttLink.Role.CLIENT))) {
                assertEquals("trap-9", client.identify().deviceId());
                Parameters p = Feasibility.scale(Parameters.withEta(1, 0.1, 1, 10, 2.1, -1.4, 2.9, -0.6), 0.03);
                client.configure(DriveCompiler.compile(TrapFixtures.example(), p, ModelUnit.TWO_PI_KHZ));
                RunResult r = client.run("tls-run", List.of(0.1), 100, null, b -> { }).await(Duration.ofMinutes(1));
                assertEquals(100, r.shots().size());
            }
            cmd.stop();
            assertEquals(0, exit.get(30, TimeUnit.SECONDS));
            assertTrue(cmd.server().device().drivesOff());
        } finally {
            Files.deleteIfExists(brokerDir.resolve("mosquitto.conf"));
            Files.deleteIfExists(brokerDir.resolve("log"));
            Files.deleteIfExists(brokerDir);
        }
    }
}
