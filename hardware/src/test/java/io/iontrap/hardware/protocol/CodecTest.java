package io.iontrap.hardware.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.hardware.TrapFixtures;
import io.iontrap.hardware.drive.DriveCompiler;
import io.iontrap.hardware.drive.DriveSettings;
import io.iontrap.hardware.drive.Feasibility;
import io.iontrap.hardware.units.ModelUnit;
import io.iontrap.model.Parameters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

public class CodecTest {
    public static DriveSettings settings() {
        Parameters p = Feasibility.scale(Parameters.withEta(1, 0.1, 1, 10, 2.1, -1.4, 2.9, -0.6), 0.03);
        return DriveCompiler.compile(TrapFixtures.example(), p, ModelUnit.TWO_PI_KHZ).quantised();
    }

    static List<Envelope> everyMessage() {
        DeviceLimits limits = DeviceLimits.fromTrap(TrapFixtures.example(), 10, 1000);
        return List.of(
                Envelope.command("a1-1", 1764000000000L, new Message.Identify("me")),
                Envelope.command("a1-2", 1764000000000L, new Message.Configure(settings())),
                Envelope.command("a1-3", 0, new Message.Run("run-7", List.of(0.0, 0.001, 0.5), 100, "0101")),
                Envelope.command("a1-4", 0, new Message.Abort("operator said so *@!")),
                Envelope.command("a1-5", 0, new Message.GetStatus()),
                Envelope.command("a1-6", 0, new Message.Fetch("run-7", 17, 100)),
                Envelope.reply("a1-1", new Message.Identity("trap-1", "m", "fw", 1, List.of("run"), limits)),
                Envelope.reply("a1-2", new Message.Error(-222, "settings refused: Ωμ", List.of("a > b", "c < d"))),
                Envelope.reply("a1-3", new Message.Ok("started")),
                Envelope.reply("a1-5", new Message.Status("running", "run-7", 3, 300, null)),
                Envelope.reply("a1-6", new Message.Shots("run-7", List.of(new Message.Shot(17, 0, 0.0, "0110")))),
                Envelope.event("e1", new Message.Shots("run-7", List.of(new Message.Shot(0, 0, 0.0, "0110"),
                        new Message.Shot(1, 0, 0.0, "1111")))),
                Envelope.event("e2", new Message.Done("run-7", "aborted", 2, "abort")),
                Envelope.event("e3", new Message.Status("idle", null, 0, 0, "offline?")));
    }

    @Test
    void theExamplesInDocsProtocolDecode() {
        Envelope c = SerialFraming.decodeLine("@C3f9a1c2e-7 status exp=1764060000000 {}*DFC3");
        assertEquals(Envelope.command("3f9a1c2e-7", 1764060000000L, new Message.GetStatus()), c);
        Envelope r = SerialFraming.decodeLine("@R3f9a1c2e-7 status {\"state\":\"idle\",\"runId\":null,"
                + "\"shotsDone\":0,\"shotsTotal\":0,\"detail\":null}*232B");
        assertEquals(Envelope.reply("3f9a1c2e-7", new Message.Status("idle", null, 0, 0, null)), r);
    }

    @Test
    void crcCheckValue() {
        byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x29B1, SerialFraming.crc16(b, 0, b.length));
    }

    @Test
    void everyMessageRoundTripsInBothEncodings() {
        for (Envelope e : everyMessage()) {
            assertEquals(e, JsonCodec.decode(JsonCodec.encode(e)), "json " + e.message().type());
            byte[] frame = SerialFraming.encode(e);
            for (byte b : frame) {
                assertTrue(b >= 0, "non-ASCII byte in frame");
            }
            String line = new String(frame, StandardCharsets.US_ASCII);
            assertTrue(line.startsWith("@" + e.kind().code() + e.id() + " " + e.message().type() + " "), line);
            assertTrue(line.endsWith("\r\n"));
            assertEquals(e, SerialFraming.decodeLine(line.substring(0, line.length() - 2)), "serial " + e.message().type());
        }
    }

    @Test
    void everySingleByteDamageIsRejected() {
        byte[] frame = SerialFraming.encode(everyMessage().get(1));
        int rejected = 0;
        int accepted = 0;
        List<Envelope> got = new ArrayList<>();
        SerialFraming.Decoder d = new SerialFraming.Decoder(got::add, e -> { });
        for (int i = 0; i < frame.length - 2; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = frame.clone();
                bad[i] ^= (byte) (1 << bit);
                if (bad[i] == '\n' || bad[i] == '\r') {
                    continue;
                }
                got.clear();
                d.feed(bad, 0, bad.length);
                if (got.isEmpty()) {
                    rejected++;
                } else {
                    accepted++;
                }
            }
        }
        assertEquals(0, accepted, "a damaged frame was accepted");
        assertTrue(rejected > 8000, "rejected " + rejected);
    }

    @Test
    void decoderFramesPartialAndConcatenatedReads() {
        List<Envelope> all = everyMessage();
        java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
        stream.writeBytes("garbage before the first frame\r\n#noise".getBytes(StandardCharsets.US_ASCII));
        for (Envelope e : all) {
            stream.writeBytes(SerialFraming.encode(e));
        }
        byte[] bytes = stream.toByteArray();
        List<Envelope> got = new ArrayList<>();
        List<ProtocolException> bad = new ArrayList<>();
        SerialFraming.Decoder d = new SerialFraming.Decoder(got::add, bad::add);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
        int off = 0;
        while (off < bytes.length) {
            int n = Math.min(bytes.length - off, 1 + rng.nextInt(300));
            d.feed(bytes, off, n);
            off += n;
        }
        assertEquals(all, got);
        assertEquals(1, bad.size(), "the garbage line");
    }

    @Test
    void intactFrameWithBadContentCarriesTheCommandId() {
        String payload = "C77-3 launch {}";
        byte[] p = payload.getBytes(StandardCharsets.US_ASCII);
        String line = "@" + payload + "*" + String.format("%04X", SerialFraming.crc16(p, 0, p.length));
        ProtocolException e = assertThrows(ProtocolException.class, () -> SerialFraming.decodeLine(line));
        assertEquals("77-3", e.commandId());
        assertEquals("type", e.field());
        e = assertThrows(ProtocolException.class, () -> JsonCodec.decode(
                "{\"v\":1,\"kind\":\"command\",\"type\":\"run\",\"id\":\"x-1\",\"body\":{\"runId\":\"r\",\"shotsPerPoint\":3}}"));
        assertEquals("holdTimesSeconds", e.field());
        assertEquals("x-1", e.commandId());
    }

    @Test
    void malformedJsonNamesTheField() {
        assertEquals("v", assertThrows(ProtocolException.class, () -> JsonCodec.decode(
                "{\"v\":2,\"kind\":\"command\",\"type\":\"status\",\"id\":\"a\",\"body\":{}}")).field());
        assertEquals("kind", assertThrows(ProtocolException.class, () -> JsonCodec.decode(
                "{\"v\":1,\"kind\":\"order\",\"type\":\"status\",\"id\":\"a\",\"body\":{}}")).field());
        assertEquals("id", assertThrows(ProtocolException.class, () -> JsonCodec.decode(
                "{\"v\":1,\"kind\":\"command\",\"type\":\"status\",\"id\":\"a b\",\"body\":{}}")).field());
        assertEquals("channels[0].amplitude", assertThrows(ProtocolException.class, () -> JsonCodec.decode(
                "{\"v\":1,\"kind\":\"command\",\"type\":\"configure\",\"id\":\"a\",\"body\":{\"channels\":"
                        + "[{\"channel\":\"x\",\"frequencyHz\":1e6,\"amplitude\":\"big\",\"phaseTurns\":0,\"on\":true}]}}"))
                .field());
        assertEquals("payload", assertThrows(ProtocolException.class, () -> JsonCodec.decode("{\"v\":1,")).field());
        assertNotNull(assertThrows(ProtocolException.class, () -> JsonCodec.decode(
                "{\"v\":1,\"kind\":\"reply\",\"type\":\"configure\",\"id\":\"a\",\"body\":{}}")));
    }
}
