package io.iontrap.hardware.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.hardware.TestDevice;
import io.iontrap.hardware.client.ClientScenarios;
import io.iontrap.hardware.client.IonTrapClient;
import io.iontrap.hardware.client.RunResult;
import io.iontrap.hardware.device.DeviceServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client scenarios over a real socat PTY pair, jSerialComm on both ends. */
class SerialLinkIT extends ClientScenarios {
    private Socat socat;

    @Override
    protected Link[] links() throws Exception {
        socat = new Socat();
        return new Link[]{new SerialLink(socat.a.toString(), 115200), new SerialLink(socat.b.toString(), 115200)};
    }

    @Override
    protected String name() {
        return "serial/socat";
    }

    @Override
    protected IonTrapClient.Options options() {
        return new IonTrapClient.Options(Duration.ofMillis(300), 5, Duration.ofSeconds(10));
    }

    @AfterEach
    void stopSocat() throws Exception {
        if (client != null) {
            client.close();
            client = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
        if (socat != null) {
            socat.close();
        }
    }

    @Test
    void garbageAndDamagedFramesAreDroppedAndRetriesRecover() throws Exception {
        socat = new Socat();
        SerialLink clientEnd = new SerialLink(socat.a.toString(), 115200);
        device = new TestDevice(0, 10);
        server = new DeviceServer(new SerialLink(socat.b.toString(), 115200), device).start();
        client = new IonTrapClient(clientEnd, options());
        clientEnd.sendRaw("line noise without a start\r\n@C1-1 status {}*0000\r\n\u0000\u00ff@garbage"
                .getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("idle", client.status().state());
        client.configure(plan());
        RunResult r = client.run("s1", List.of(0.0, 0.001), 20, null, null).await(Duration.ofSeconds(10));
        assertEquals(40, r.shots().size());
        assertTrue(client.linkStats().link().contains("rejected=0"), "client saw no damage: " + client.linkStats());
    }
}
