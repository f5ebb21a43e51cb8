package io.iontrap.hardware.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.hardware.TestDevice;
import io.iontrap.hardware.client.IonTrapClient;
import io.iontrap.hardware.client.RunResult;
import io.iontrap.hardware.device.DeviceServer;
import io.iontrap.hardware.drive.ChannelSetting;
import io.iontrap.hardware.drive.DriveSettings;
import io.iontrap.hardware.protocol.CodecTest;
import io.iontrap.hardware.protocol.Envelope;
import io.iontrap.hardware.protocol.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A noisy line: client ↔ PTY pair ↔ fault-injecting relay ↔ PTY pair ↔ device. The relay flips a bit,
 * drops a byte or inserts a random byte, each with probability {@value #RATE} per byte, in both
 * directions. Thousands of frames cross it: {@value #CONFIGURES} configure commands of ~2.1 kB with
 * distinct settings (each answered by a reply and a status event), then a 3000-shot run. The CRC must
 * reject every damaged frame, retries must recover, no drive may ever take a value that was not sent,
 * no frame may be accepted that its sender did not send, and no shot may be lost or altered.
 */
class SerialFaultIT {
    static final double RATE = 2e-5;
    static final int CONFIGURES = 2000;

    @Test
    void noisyLineNeverCorruptsASettingNorLosesAShot() throws Exception {
        try (Socat left = new Socat(); Socat right = new Socat();
             FaultyRelay relay = new FaultyRelay(left.b.toString(), right.a.toString(), RATE, 7)) {
            TestDevice device = new TestDevice(0, 20);
            Tap deviceEnd = new Tap(new SerialLink(right.b.toString(), 115200));
            Tap clientEnd = new Tap(new SerialLink(left.a.toString(), 115200));
            try (DeviceServer server = new DeviceServer(deviceEnd, device).start();
                 IonTrapClient client = new IonTrapClient(clientEnd,
                         new IonTrapClient.Options(Duration.ofMillis(80), 30, Duration.ofSeconds(60)))) {
                DriveSettings base = CodecTest.settings();
                SplittableRandom rng = new SplittableRandom(3);
                List<DriveSettings> sent = new ArrayList<>();
                long t0 = System.nanoTime();
                for (int k = 0; k < CONFIGURES; k++) {
                    List<ChannelSetting> ch = new ArrayList<>();
                    for (ChannelSetting c : base.channels()) {
                        double a = c.on() ? Math.min(0.9, c.amplitude() * (0.5 + rng.nextDouble())) : 0;
                        ch.add(new ChannelSetting(c.channel(), c.frequency(), a, c.phaseTurns(), c.on()));
                    }
                    DriveSettings s = new DriveSettings(ch);
                    sent.add(s);
                    client.configure(s);
                }
                double s = (System.nanoTime() - t0) / 1e9;
                List<DriveSettings> applied;
                synchronized (device) {
                    applied = List.copyOf(device.applied);
                }
                int wronglyApplied = 0;
                for (int k = 0; k < Math.min(applied.size(), sent.size()); k++) {
                    if (!applied.get(k).equals(sent.get(k))) {
                        wronglyApplied++;
                    }
                }
                RunResult r = client.run("noisy", List.of(0.0, 0.001, 0.002), 1000, null, null)
                        .await(Duration.ofSeconds(90));
                int wrongShots = 0;
                for (Message.Shot shot : r.shots()) {
                    if (!shot.bits().equals(device.measured.get(shot.index()))) {
                        wrongShots++;
                    }
                }
                // no frame was accepted that its sender did not send, in either direction
                Set<Envelope> clientSent = new HashSet<>(clientEnd.sent());
                Set<Envelope> deviceSent = new HashSet<>(deviceEnd.sent());
                long forgedAtDevice = deviceEnd.received().stream().filter(e -> !clientSent.contains(e)).count();
                long forgedAtClient = clientEnd.received().stream().filter(e -> !deviceSent.contains(e)).count();
                long frames = clientEnd.sent().size() + deviceEnd.sent().size();
                System.out.printf(Locale.ROOT, "[serial/noisy] fault rate %.0e per byte and kind; %d configures in %.1f s; "
                                + "%d frames sent (client %d, device %d); relay: %s; rejected %d at the device %s, "
                                + "%d at the client %s; client retries %d; device replays answered from cache %d; "
                                + "wrongly applied %d of %d applied; accepted-but-not-sent frames %d (device) + %d (client); "
                                + "run: %d shots received, %d missing, %d altered%n",
                        RATE, CONFIGURES, s, frames, clientEnd.sent().size(), deviceEnd.sent().size(), relay,
                        deviceEnd.rejectedTotal(), deviceEnd.rejected(), clientEnd.rejectedTotal(), clientEnd.rejected(),
                        client.retries(), server.replaysSeen(), wronglyApplied, applied.size(), forgedAtDevice,
                        forgedAtClient, r.shots().size(), r.missing(), wrongShots);
                assertTrue(frames > 5000, "thousands of frames: " + frames);
                assertEquals(0, wronglyApplied, "a drive took a value that was not sent");
                assertEquals(sent, applied, "every configure applied exactly once, in order");
                assertEquals(0, forgedAtDevice, "the device accepted a frame the client never sent");
                assertEquals(0, forgedAtClient, "the client accepted a frame the device never sent");
                assertEquals(3000, r.shots().size());
                assertEquals(0, r.missing());
                assertEquals(0, wrongShots, "a shot arrived altered");
                for (int i = 0; i < 3000; i++) {
                    assertEquals(i, r.shots().get(i).index());
                }
                long rejected = deviceEnd.rejectedTotal() + clientEnd.rejectedTotal();
                assertTrue(relay.damagedLines.get() > 100, "the relay damaged too few frames to test anything: " + relay);
                assertTrue(rejected > 100, "too few rejections: " + rejected);
                assertTrue(client.retries() > 0);
            }
        }
    }
}
