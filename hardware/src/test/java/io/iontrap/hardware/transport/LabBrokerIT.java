package io.iontrap.hardware.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.hardware.TestDevice;
import io.iontrap.hardware.TrapFixtures;
import io.iontrap.hardware.client.IonTrapClient;
import io.iontrap.hardware.client.RunResult;
import io.iontrap.hardware.device.DeviceServer;
import io.iontrap.hardware.drive.ChannelSetting;
import io.iontrap.hardware.drive.DriveSettings;
import io.iontrap.hardware.protocol.CodecTest;
import io.iontrap.hardware.protocol.Envelope;
import io.iontrap.hardware.protocol.JsonCodec;
import io.iontrap.hardware.protocol.Message;
import io.iontrap.hardware.protocol.ProtocolException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lab broker configuration shipped in docs/ ({@code mosquitto-lab.conf} and
 * {@code mosquitto-lab.acl}), run by a real mosquitto with only its ports and paths substituted,
 * certificates made by the test (openssl) and a password file hashed by mosquitto_passwd. Accounts
 * as in the shipped ACL: the device {@code trap-1}, the operator {@code alice}, the observer
 * {@code bob}. Whether a command was executed is observed on the device itself: every envelope its
 * link delivered ({@link Recording}) and every setting it applied ({@link TestDevice#applied}).
 */
class LabBrokerIT {
    private static final String DEVICE = "trap-1";
    private static final String DEVICE_PW = "dev-Pw-1c9a";
    private static final String OPERATOR_PW = "alice-Pw-5e21";
    private static final String OBSERVER_PW = "bob-Pw-77d0";
    private static Path dir;
    private static Mosquitto broker;

    private TestDevice device;
    private Recording deviceLink;
    private DeviceServer server;

    /** The device's own view: every envelope its link delivered to it. */
    static final class Recording implements Link {
        private final Link inner;
        final List<Envelope> received = new ArrayList<>();

        Recording(Link inner) {
            this.inner = inner;
        }

        synchronized List<String> ids() {
            return received.stream().map(Envelope::id).toList();
        }

        @Override
        public void start(Receiver r) throws IOException {
            inner.start(new Receiver() {
                @Override
                public void received(Envelope e) {
                    synchronized (Recording.this) {
                        received.add(e);
                    }
                    r.received(e);
                }

                @Override
                public void rejected(ProtocolException e) {
                    r.rejected(e);
                }
            });
        }

        @Override
        public void send(Envelope e) throws IOException {
            inner.send(e);
        }

        @Override
        public String describe() {
            return inner.describe();
        }

        @Override
        public LinkStats stats() {
            return inner.stats();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("tool.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + Files.readString(dir.resolve("tool.log")));
        }
    }

    private static String substitute(String text, String from, String to) {
        assertTrue(text.contains(from), "docs/mosquitto-lab.conf no longer contains \"" + from + "\": update the test");
        return text.replace(from, to);
    }

    @BeforeAll
    static void startTheLabBroker() throws Exception {
        dir = Files.createTempDirectory("iontrap-lab");
        // mosquitto started as root drops to the user mosquitto, which must still write its log and store
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                "-days", "2", "-subj", "/CN=iontrap lab test CA");
        Files.writeString(dir.resolve("san.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                "-subj", "/CN=localhost");
        run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", "san.cnf", "-out", "server.crt");
        // written in clear and hashed in place (docs/security.md): no password on a command line
        Files.writeString(dir.resolve("passwd"), DEVICE + ":" + DEVICE_PW + "\nalice:" + OPERATOR_PW + "\nbob:"
                + OBSERVER_PW + "\n");
        run("mosquitto_passwd", "-U", "passwd");
        assertFalse(Files.readString(dir.resolve("passwd")).contains(OPERATOR_PW), "mosquitto_passwd hashed the file");
        Files.writeString(dir.resolve("device.pw"), DEVICE_PW + "\n");
        Files.writeString(dir.resolve("alice.pw"), OPERATOR_PW + "\n");
        Files.writeString(dir.resolve("bob.pw"), OBSERVER_PW + "\n");
        Files.writeString(dir.resolve("wrong.pw"), "alice-Pw-5e22\n");
        Files.copy(TrapFixtures.locate("docs/mosquitto-lab.acl"), dir.resolve("acl"));
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        int port = Mosquitto.freePort();
        String conf = Files.readString(TrapFixtures.locate("docs/mosquitto-lab.conf"));
        conf = substitute(conf, "/etc/mosquitto/iontrap/", dir + "/");
        conf = substitute(conf, "/var/lib/mosquitto/", dir + "/");
        conf = substitute(conf, "/var/log/mosquitto/mosquitto.log", dir.resolve("mosquitto.log").toString());
        conf = substitute(conf, "listener 8883", "listener " + port + " 127.0.0.1");
        broker = Mosquitto.withConfig(dir, port, conf);
    }

    @AfterAll
    static void stopTheBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    private static MqttConfig tls(String user, String passwordFile) {
        MqttConfig c = MqttConfig.of("mqtts://127.0.0.1:" + broker.port).withCa(dir.resolve("ca.crt"));
        return user == null ? c : c.withUsername(user).withPasswordFile(dir.resolve(passwordFile));
    }

    /** A bare Paho client over TLS, for publishing raw envelopes where the ACL may forbid it. */
    private static MqttClient raw(String user, String password) throws Exception {
        MqttClient c = new MqttClient("ssl://127.0.0.1:" + broker.port, "raw-" + user + "-"
                + UUID.randomUUID().toString().substring(0, 8), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        o.setConnectionTimeout(10);
        if (user != null) {
            o.setUserName(user);
            o.setPassword(password.toCharArray());
        }
        o.setSocketFactory(Tls.socketFactory(dir.resolve("ca.crt"), null, null));
        c.connect(o);
        return c;
    }

    private static DriveSettings distinct(double factor) {
        List<ChannelSetting> ch = new ArrayList<>();
        for (ChannelSetting c : CodecTest.settings().channels()) {
            ch.add(new ChannelSetting(c.channel(), c.frequency(), c.on() ? Math.min(0.9, c.amplitude() * factor) : 0,
                    c.phaseTurns(), c.on()));
        }
        return new DriveSettings(ch);
    }

    private static byte[] configure(String id, DriveSettings s) {
        return JsonCodec.encodeBytes(Envelope.command(id, System.currentTimeMillis() + 60_000,
                new Message.Configure(s)));
    }

    @BeforeEach
    void startTheDevice() throws Exception {
        device = new TestDevice(0, 10);
        deviceLink = new Recording(new MqttLink(tls(DEVICE, "device.pw"), DEVICE, MqttLink.Role.DEVICE));
        server = new DeviceServer(deviceLink, device).start();
    }

    @AfterEach
    void stopTheDevice() {
        server.close();
        device.close();
    }

    private List<DriveSettings> applied() {
        synchronized (device) {
            return List.copyOf(device.applied);
        }
    }

    private IonTrapClient operator() throws IOException {
        return new IonTrapClient(new MqttLink(tls("alice", "alice.pw"), DEVICE, MqttLink.Role.CLIENT));
    }

    @Test
    void theOperatorCommandsTheDeviceOverTls() throws Exception {
        DriveSettings s = distinct(0.8);
        try (IonTrapClient alice = operator()) {
            assertEquals("trap-1", alice.identify().deviceId());
            alice.configure(s);
            RunResult r = alice.run("lab-1", List.of(0.0, 0.001), 20, null, null).await(Duration.ofSeconds(60));
            assertEquals(40, r.shots().size(), "shots came back on the data topic");
        }
        assertEquals(List.of(s), applied(), "the device applied the operator's setting");
    }

    @Test
    void anonymousWrongPasswordUnknownUserAndPlainTextCannotConnect() throws Exception {
        List<MqttConfig> refused = List.of(
                tls(null, null),                                              // anonymous
                tls("alice", "wrong.pw"),                                     // wrong password
                tls("mallory", "alice.pw"),                                   // no such account
                tls("trap-1", "alice.pw"),                                    // someone else's password
                MqttConfig.of("tcp://127.0.0.1:" + broker.port).withUsername("alice")
                        .withPasswordFile(dir.resolve("alice.pw")));          // plain text to the TLS port
        for (MqttConfig c : refused) {
            MqttLink l = new MqttLink(c, DEVICE, MqttLink.Role.CLIENT);
            IOException e = assertThrows(IOException.class, () -> l.start(x -> { }), c.toString());
            assertFalse(e.getMessage().contains("Pw-"), "a password in the message: " + e.getMessage());
            l.close();
        }
        // a bare anonymous or wrong-password client does not get as far as publishing a command
        MqttException anon = assertThrows(MqttException.class, () -> raw(null, null));
        assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, anon.getReasonCode());
        MqttException wrong = assertThrows(MqttException.class, () -> raw("alice", "guess"));
        assertTrue(wrong.getReasonCode() == MqttException.REASON_CODE_FAILED_AUTHENTICATION
                || wrong.getReasonCode() == MqttException.REASON_CODE_NOT_AUTHORIZED, wrong.toString());
        // the device saw exactly the operator's command that follows, nothing before it
        try (IonTrapClient alice = operator()) {
            alice.status();
        }
        List<Envelope> seen;
        synchronized (deviceLink) {
            seen = List.copyOf(deviceLink.received);
        }
        assertEquals(1, seen.size(), "the device received " + seen);
        assertEquals("status", seen.get(0).message().type());
        assertTrue(applied().isEmpty());
    }

    /**
     * The observer connects and reads (its account is valid), but its configure on the command topic is
     * dropped by the broker: the device never receives it and never applies it. The same bytes sent
     * under the operator's account are executed (the control), and the observer cannot overwrite the
     * device's retained status either.
     */
    @Test
    void theObserverReadsButItsCommandsNeverReachTheDevice() throws Exception {
        DriveSettings legit = distinct(0.7);
        DriveSettings hostile = distinct(0.55);
        try (IonTrapClient alice = operator()) {
            alice.configure(legit);   // retained status is now the device's "configured"

            MqttClient bob = raw("bob", OBSERVER_PW);
            BlockingQueue<byte[]> status = new ArrayBlockingQueue<>(16);
            bob.subscribe("iontrap/" + DEVICE + "/status", 1, (t, m) -> status.offer(m.getPayload()));
            byte[] first = status.poll(10, TimeUnit.SECONDS);
            assertNotNull(first, "the observer reads the retained status");
            assertEquals("configured", ((Message.Status) JsonCodec.decode(first).message()).state());

            // QoS 1: publish returns when the broker has processed (and here: denied) the message
            bob.publish("iontrap/" + DEVICE + "/command", configure("bob-1", hostile), 1, false);
            bob.publish("iontrap/" + DEVICE + "/status", JsonCodec.encodeBytes(Envelope.event("e999",
                    new Message.Status("idle", null, 0, 0, "spoofed by bob"))), 1, true);
            bob.publish("iontrap/" + DEVICE + "/response", JsonCodec.encodeBytes(Envelope.reply("bob-1",
                    new Message.Ok("spoofed"))), 1, false);
            bob.disconnect();
            bob.close();

            // the operator's next command reaches the device after anything the broker had routed before
            alice.status();
            assertFalse(deviceLink.ids().contains("bob-1"), "the observer's command reached the device");
            assertEquals(List.of(legit), applied(), "only the operator's setting was applied");
            assertEquals(legit, device.settings());

            // control: the very same bytes under the operator's account are executed
            MqttClient aliceRaw = raw("alice", OPERATOR_PW);
            aliceRaw.publish("iontrap/" + DEVICE + "/command", configure("alice-raw-1", hostile), 1, false);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!applied().contains(hostile) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(deviceLink.ids().contains("alice-raw-1"), "the control command did not reach the device");
            assertEquals(List.of(legit, hostile), applied());

            // the retained status is the device's own, not bob's
            BlockingQueue<byte[]> fresh = new ArrayBlockingQueue<>(16);
            aliceRaw.subscribe("iontrap/" + DEVICE + "/status", 1, (t, m) -> fresh.offer(m.getPayload()));
            Message.Status retained = (Message.Status) JsonCodec.decode(fresh.poll(10, TimeUnit.SECONDS)).message();
            assertFalse("spoofed by bob".equals(retained.detail()), "the observer overwrote the device status");
            assertEquals("configured", retained.state());
            aliceRaw.disconnect();
            aliceRaw.close();
        }
        System.out.println("[lab broker] device received " + deviceLink.ids() + "; applied " + applied().size()
                + " settings; replays " + server.replaysSeen());
    }

    /**
     * A client's last will may be an abort on the command topic (the simulated device's link-loss rule):
     * an operator's will reaches the device, an observer's never does. Mosquitto either refuses the
     * observer's connection outright (will topic not writable) or drops the will when it fires; either
     * way the device is not aborted, as the device itself shows.
     */
    @Test
    void onlyAnOperatorsLastWillReachesTheDevice() throws Exception {
        DriveSettings legit = distinct(0.65);
        try (IonTrapClient alice = operator()) {
            alice.configure(legit);
            String outcome;
            MqttClient bob = new MqttClient("ssl://127.0.0.1:" + broker.port, "raw-bob-will", new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            o.setUserName("bob");
            o.setPassword(OBSERVER_PW.toCharArray());
            o.setSocketFactory(Tls.socketFactory(dir.resolve("ca.crt"), null, null));
            o.setWill("iontrap/" + DEVICE + "/command", JsonCodec.encodeBytes(Envelope.command("will-bob-1", 0,
                    new Message.Abort("observer's will"))), 1, false);
            try {
                bob.connect(o);
                bob.disconnectForcibly(1, 100, false);   // TCP dropped without DISCONNECT: the will fires
                outcome = "connected; will dropped";
            } catch (MqttException e) {
                outcome = "connection refused (reason " + e.getReasonCode() + ")";
            }
            bob.close(true);
            // the operator's link dropping is the positive control: its will aborts the device
            alice.status();
            assertFalse(deviceLink.ids().contains("will-bob-1"), "the observer's will reached the device");
            assertEquals(legit, device.settings(), "the device was not aborted");
            MqttClient carol = new MqttClient("ssl://127.0.0.1:" + broker.port, "raw-alice-will", new MemoryPersistence());
            o.setUserName("alice");
            o.setPassword(OPERATOR_PW.toCharArray());
            o.setWill("iontrap/" + DEVICE + "/command", JsonCodec.encodeBytes(Envelope.command("will-alice-1", 0,
                    new Message.Abort("operator's will"))), 1, false);
            carol.connect(o);
            carol.disconnectForcibly(1, 100, false);
            carol.close(true);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!deviceLink.ids().contains("will-alice-1") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(deviceLink.ids().contains("will-alice-1"), "the operator's will did not reach the device");
            // the observer's link died long before the operator's: had its will been let through, it would be here
            assertFalse(deviceLink.ids().contains("will-bob-1"), "the observer's will reached the device");
            System.out.println("[lab broker] observer with a will on the command topic: " + outcome
                    + "; operator's will: delivered");
        }
    }

    /** The operator cannot pose as the device: its replies and status never reach other clients. */
    @Test
    void theOperatorCannotPoseAsTheDevice() throws Exception {
        MqttClient bob = raw("bob", OBSERVER_PW);
        BlockingQueue<String> seen = new ArrayBlockingQueue<>(64);
        bob.subscribe("iontrap/" + DEVICE + "/#", 1, (t, m) -> seen.offer(t + " " + new String(m.getPayload())));
        MqttClient aliceRaw = raw("alice", OPERATOR_PW);
        aliceRaw.publish("iontrap/" + DEVICE + "/response", JsonCodec.encodeBytes(Envelope.reply("x-1",
                new Message.Ok("forged by alice"))), 1, false);
        aliceRaw.publish("iontrap/" + DEVICE + "/data", JsonCodec.encodeBytes(Envelope.event("e1",
                new Message.Done("r", "completed", 0, "forged by alice"))), 1, false);
        // a marker the operator may send, and the observer may read: everything before it has been routed
        aliceRaw.publish("iontrap/" + DEVICE + "/command", configure("marker-1", distinct(0.6)), 1, false);
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (got.stream().noneMatch(s -> s.contains("marker-1")) && System.nanoTime() < deadline) {
            String s = seen.poll(100, TimeUnit.MILLISECONDS);
            if (s != null) {
                got.add(s);
            }
        }
        assertTrue(got.stream().anyMatch(s -> s.contains("marker-1")), "the observer sees commands: " + got);
        assertTrue(got.stream().noneMatch(s -> s.contains("forged by alice")), "a forged reply got through: " + got);
        aliceRaw.disconnect();
        aliceRaw.close();
        bob.disconnect();
        bob.close();
    }
}
