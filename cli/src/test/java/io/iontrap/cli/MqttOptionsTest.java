package io.iontrap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.hardware.transport.MqttConfig;
import io.iontrap.hardware.transport.MqttLink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** The MQTT security flags: what they produce, what they refuse, and that no secret ever shows. */
class MqttOptionsTest {
    private static final String SECRET = "pa55-Wd-7f3e-never-shown";

    @TempDir
    Path dir;

    /** A command that opens an MQTT link, as the integrator will write it. */
    @Command(name = "probe")
    static final class Probe implements Callable<Integer> {
        @Mixin
        MqttOptions mqtt;
        @Parameters(index = "0")
        String uri;
        MqttConfig config;

        @Override
        public Integer call() {
            config = mqtt.config(uri);
            return 0;
        }
    }

    record Run(int exit, String out, String err, Probe probe) {
    }

    private static Run run(java.util.function.Function<String, String> env, String... args) {
        Probe p = new Probe();
        CommandLine cl = new CommandLine(p);
        p.mqtt.env = env;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            line.getErr().println("iontrap: error: " + ex.getMessage());
            return 2;
        });
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString(), p);
    }

    private static Run run(String... args) {
        return run(name -> null, args);
    }

    private Path file(String name, String content, String mode) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    @Test
    void theFiveFlagsMakeATlsConfigWithClientCertificate() throws Exception {
        Path pw = file("pw", SECRET + "\n", "rw-------");
        Path ca = file("ca.crt", "x", "rw-r--r--");
        Path cert = file("c.crt", "x", "rw-r--r--");
        Path key = file("c.pk8", "x", "rw-------");
        Run r = run("mqtts://broker.lab:8883", "--mqtt-username", "alice", "--mqtt-password-file", pw.toString(),
                "--mqtt-ca", ca.toString(), "--mqtt-cert", cert.toString(), "--mqtt-key", key.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err(), "no warning for private files over TLS");
        MqttConfig c = r.probe().config;
        assertEquals("alice", c.username());
        assertEquals(pw, c.passwordFile());
        assertEquals(ca, c.caFile());
        assertEquals(cert, c.certFile());
        assertEquals(key, c.keyFile());
        assertTrue(c.tls());
        assertEquals("ssl://broker.lab:8883", c.pahoUri());
    }

    @Test
    void noFlagsLeaveThePlainConfig() {
        Run r = run("tcp://127.0.0.1:1883");
        assertEquals(0, r.exit(), r.err());
        assertEquals(MqttConfig.of("tcp://127.0.0.1:1883"), r.probe().config);
        assertFalse(r.probe().mqtt.given());
    }

    @Test
    void aPasswordOnTheCommandLineIsRefusedWithoutRepeatingIt() {
        for (String[] args : List.of(new String[]{"tcp://h:1", "--mqtt-username", "u", "--mqtt-password", SECRET},
                new String[]{"tcp://h:1", "--mqtt-password=" + SECRET}, new String[]{"--mqtt-password", SECRET, "tcp://h:1"})) {
            Run r = run(args);
            assertEquals(2, r.exit(), "usage error");
            assertNull(r.probe().config, "the command did not run");
            assertTrue(r.err().contains("--mqtt-password-file"), r.err());
            assertTrue(r.err().contains(MqttOptions.PASSWORD_ENV), r.err());
            assertFalse(r.err().contains(SECRET), "the refused password was echoed: " + r.err());
            assertFalse(r.out().contains(SECRET));
        }
        // and the help does not advertise it
        Run help = run("--help");
        assertFalse(new CommandLine(new Probe()).getUsageMessage().contains("--mqtt-password "), help.out());
    }

    @Test
    void thePasswordComesFromTheEnvironmentWhenNoFileIsGiven() {
        Run r = run(name -> name.equals(MqttOptions.PASSWORD_ENV) ? SECRET : null, "mqtts://h:8883",
                "--mqtt-username", "bob");
        assertEquals(0, r.exit(), r.err());
        assertEquals(MqttOptions.PASSWORD_ENV, r.probe().config.passwordEnv());
        assertNull(r.probe().config.passwordFile());
        assertTrue(r.probe().mqtt.toString().contains("$" + MqttOptions.PASSWORD_ENV));
        assertFalse(r.probe().mqtt.toString().contains(SECRET));
        assertFalse(r.probe().config.toString().contains(SECRET));
    }

    @Test
    void aNamedEnvironmentVariableIsUsedAndCheckedWithoutEchoingAMistypedPassword() {
        Run r = run(name -> name.equals("LAB_PW") ? SECRET : null, "mqtts://h:8883", "--mqtt-username", "bob",
                "--mqtt-password-env", "LAB_PW");
        assertEquals(0, r.exit(), r.err());
        assertEquals("LAB_PW", r.probe().config.passwordEnv());
        Run unset = run(name -> null, "mqtts://h:8883", "--mqtt-username", "bob", "--mqtt-password-env", "LAB_PW");
        assertEquals(2, unset.exit());
        assertTrue(unset.err().contains("LAB_PW is not set"), unset.err());
        // a password typed where the variable name belongs is refused without being repeated
        Run typo = run("mqtts://h:8883", "--mqtt-username", "bob", "--mqtt-password-env", SECRET);
        assertEquals(2, typo.exit());
        assertTrue(typo.err().contains("not a password"), typo.err());
        assertFalse(typo.err().contains(SECRET), typo.err());
    }

    @Test
    void aPasswordFileOthersCanReadIsWarnedAbout() throws Exception {
        Path open = file("open.pw", SECRET + "\n", "rw-r--r--");
        Run r = run("mqtts://h:8883", "--mqtt-username", "u", "--mqtt-password-file", open.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("can be read by other users"), r.err());
        assertTrue(r.err().contains("chmod 600 " + open), r.err());
        assertFalse(r.err().contains(SECRET));
        Path closed = file("closed.pw", SECRET + "\n", "rw-------");
        Run ok = run("mqtts://h:8883", "--mqtt-username", "u", "--mqtt-password-file", closed.toString());
        assertEquals("", ok.err());
    }

    @Test
    void aPasswordWithoutTlsIsWarnedAbout() throws Exception {
        Path pw = file("pw", SECRET, "rw-------");
        Run r = run("tcp://10.0.0.1:1883", "--mqtt-username", "u", "--mqtt-password-file", pw.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("clear text"), r.err());
    }

    @Test
    void inconsistentFlagsAreRefusedNamingTheFlag() throws Exception {
        Path pw = file("pw", SECRET, "rw-------");
        Path crt = file("c.crt", "x", "rw-r--r--");
        Path empty = file("empty.pw", "", "rw-------");
        String[][] cases = {
            {"--mqtt-cert and --mqtt-key go together", "mqtts://h:1", "--mqtt-cert", crt.toString()},
            {"needs TLS", "tcp://h:1", "--mqtt-cert", crt.toString(), "--mqtt-key", crt.toString()},
            {"needs --mqtt-username", "mqtts://h:1", "--mqtt-password-file", pw.toString()},
            {"--mqtt-password-file " + dir.resolve("nope") + ": no such file", "mqtts://h:1", "--mqtt-username", "u",
                "--mqtt-password-file", dir.resolve("nope").toString()},
            {"--mqtt-ca " + dir.resolve("ca") + ": no such file", "mqtts://h:1", "--mqtt-ca", dir.resolve("ca").toString()},
            {"is empty", "mqtts://h:1", "--mqtt-username", "u", "--mqtt-password-file", empty.toString()},
            {"give one of them", "mqtts://h:1", "--mqtt-username", "u", "--mqtt-password-file", pw.toString(),
                "--mqtt-password-env", "X"},
        };
        for (String[] c : cases) {
            Run r = run(java.util.Arrays.copyOfRange(c, 1, c.length));
            assertEquals(2, r.exit(), String.join(" ", c));
            assertTrue(r.err().contains(c[0]), r.err());
            assertFalse(r.err().contains(SECRET));
        }
    }

    /**
     * The password really is sent to the broker (a fake one that records the CONNECT packet and hangs
     * up), yet it appears in no exception, no toString and no log record, with Paho's and our loggers
     * at their most verbose.
     */
    @Test
    void theSecretReachesTheBrokerAndNothingElse() throws Exception {
        Path pw = file("pw", SECRET + "\n", "rw-------");
        List<String> logged = new ArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                StringBuilder sb = new StringBuilder(String.valueOf(r.getMessage()));
                if (r.getParameters() != null) {
                    for (Object o : r.getParameters()) {
                        sb.append(' ').append(o);
                    }
                }
                if (r.getThrown() != null) {
                    sb.append(' ').append(r.getThrown());
                }
                synchronized (logged) {
                    logged.add(sb.toString());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        Level rootLevel = root.getLevel();
        Logger paho = Logger.getLogger("org.eclipse.paho");
        Logger ours = Logger.getLogger("io.iontrap");
        Level pahoLevel = paho.getLevel();
        Level oursLevel = ours.getLevel();
        root.addHandler(h);
        paho.setLevel(Level.ALL);
        ours.setLevel(Level.ALL);
        h.setLevel(Level.ALL);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread fake = new Thread(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    s.setSoTimeout(5000);
                    byte[] buf = new byte[4096];
                    int n = in.read(buf);
                    if (n > 0) {
                        wire.write(buf, 0, n);
                    }
                } catch (IOException ignored) {
                    // the test checks what arrived
                }
            });
            fake.setDaemon(true);
            fake.start();
            Run r = run("tcp://127.0.0.1:" + server.getLocalPort(), "--mqtt-username", "carol",
                    "--mqtt-password-file", pw.toString());
            assertEquals(0, r.exit(), r.err());
            MqttConfig config = r.probe().config;
            MqttLink link = new MqttLink(config, "trap-1", MqttLink.Role.CLIENT);
            IOException e = assertThrows(IOException.class, () -> link.start(x -> { }));
            link.close();
            fake.join(10_000);
            assertTrue(wire.toString(StandardCharsets.ISO_8859_1).contains(SECRET),
                    "the password file was not used: the broker never saw the password");
            StringBuilder everything = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                everything.append(t).append('\n');
                for (StackTraceElement el : t.getStackTrace()) {
                    everything.append(el).append('\n');
                }
            }
            everything.append(config).append(r.probe().mqtt).append(link.describe()).append(r.out()).append(r.err());
            synchronized (logged) {
                assertFalse(logged.isEmpty(), "nothing was logged: the log check saw nothing");
                logged.forEach(s -> everything.append(s).append('\n'));
            }
            assertFalse(everything.toString().contains(SECRET), "the password leaked: " + everything);
            assertNotNull(e.getMessage());
        } finally {
            root.removeHandler(h);
            root.setLevel(rootLevel);
            paho.setLevel(pahoLevel);
            ours.setLevel(oursLevel);
        }
    }
}
