package io.iontrap.simdevice;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.hardware.client.IonTrapClient;
import io.iontrap.hardware.transport.Link;
import io.iontrap.hardware.transport.SerialLink;
import io.iontrap.hardware.transport.Socat;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The scenarios over a socat PTY pair started by the test (hardware's Socat helper, from its test-jar). */
class SerialSimDeviceIT extends SimLinkScenarios {
    private Socat socat;
    private Duration watchdog;

    @Override
    protected Link[] links() throws Exception {
        socat = new Socat();
        return new Link[]{new SerialLink(socat.a.toString(), 115200), new SerialLink(socat.b.toString(), 115200)};
    }

    @Override
    protected String name() {
        return "serial";
    }

    @Override
    protected IonTrapClient.Options clientOptions() {
        return new IonTrapClient.Options(Duration.ofMillis(500), 6, Duration.ofSeconds(20));
    }

    @Override
    protected Duration watchdog() {
        return watchdog;
    }

    @Override
    protected void afterDisconnect() throws Exception {
        if (socat != null) {
            socat.close();
        }
    }

    @Test
    void serialSilencePastTheWatchdogTurnsEveryDriveOff() throws Exception {
        watchdog = Duration.ofSeconds(3);
        connect(SimFixtures.trap4(), SimOptions.defaults());
        client.configure(SimFixtures.plan4());
        assertFalse(device.drivesOff());
        // a client waiting for its run polls status every second: the watchdog must not trip during it
        run(client, "watched", SimFixtures.HOLDS4, 200, null);
        assertFalse(device.drivesOff(), "a polling client keeps the link alive");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!device.drivesOff() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(device.drivesOff(), "silence past the watchdog puts the drives in the safe state");
        assertTrue(server.watchdog().trips() >= 1);
    }
}
