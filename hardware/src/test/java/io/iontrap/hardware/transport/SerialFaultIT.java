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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A noisy line: client ↔ PTY pair ↔ fault-injecting relay ↔ PTY pair ↔ device. The CRC must reject
 * every damaged frame, retries must recover, no setting that was not sent may ever be applied, and
 * no shot may be lost.
 */
class SerialFaultIT {
    @Test
    void noisyLineNeverCorruptsASettingNorLosesAShot() throws Exception {
        try (Socat left = new Socat(); Socat right = new Socat();
             FaultyRelay relay = new FaultyRelay(left.b.toString(), right.a.toString(), 2e-5, 7)) {
            TestDevice device = new TestDevice(0, 20);
            SerialLink deviceEnd = new SerialLink(right.b.toString(), 115200);
            SerialLink clientEnd = new SerialLink(left.a.toString(), 115200);
            try (DeviceServer server = new DeviceServer(deviceEnd, device).start();
                 IonTrapClient client = new IonTrapClient(clientEnd,
                         new IonTrapClient.Options(Duration.ofMillis(150), 20, Duration.ofSeconds(30)))) {
                DriveSettings base = CodecTest.settings();
                SplittableRandom rng = new SplittableRandom(3);
                Set<DriveSettings> sent = new HashSet<>();
                DriveSettings last = null;
                int n = 400;
                long t0 = System.nanoTime();
                for (int k = 0; k < n; k++) {
                    List<ChannelSetting> ch = new ArrayList<>();
                    for (ChannelSetting c : base.channels()) {
                        double a = c.on() ? Math.min(0.9, c.amplitude() * (0.5 + rng.nextDouble())) : 0;
                        ch.add(new ChannelSetting(c.channel(), c.frequency(), a, c.phaseTurns(), c.on()));
                    }
                    last = new DriveSettings(ch);
                    sent.add(last);
                    client.configure(last);
                }
                double s = (System.nanoTime() - t0) / 1e9;
                for (DriveSettings applied : device.applied) {
                    assertTrue(sent.contains(applied), "a setting that was never sent was applied");
                }
                assertEquals(n, device.applied.size(), "each configure applied exactly once");
                assertEquals(last, device.lastApplied());
                RunResult r = client.run("noisy", List.of(0.0, 0.001, 0.002), 1000, null, null)
                        .await(Duration.ofSeconds(60));
                assertEquals(3000, r.shots().size());
                assertEquals(0, r.missing());
                for (int i = 0; i < 3000; i++) {
                    assertEquals(i, r.shots().get(i).index());
                }
                long rejected = deviceEnd.stats().rejected.get() + clientEnd.stats().rejected.get();
                System.out.printf(Locale.ROOT, "[serial/noisy] %d configures in %.2f s; %s; frames rejected: %d "
                                + "(device %d, client %d); client retries %d; run complete with %d shots%n",
                        n, s, relay, rejected, deviceEnd.stats().rejected.get(), clientEnd.stats().rejected.get(),
                        client.retries(), r.shots().size());
                assertTrue(rejected > 10, "the relay damaged too few frames to test anything: " + relay);
                assertTrue(client.retries() > 0);
            }
        }
    }
}
