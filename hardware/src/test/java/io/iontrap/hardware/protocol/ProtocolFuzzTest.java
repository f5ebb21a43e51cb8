package io.iontrap.hardware.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.iontrap.hardware.TestDevice;
import io.iontrap.hardware.drive.DriveSettings;
import io.iontrap.hardware.fuzz.Bounded;
import io.iontrap.hardware.fuzz.Fuzz;
import io.iontrap.hardware.fuzz.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzz tests (the JUnit harness {@link Fuzz}) for both protocol decoders: the serial frame
 * ({@link SerialFraming}) and the JSON envelope ({@link JsonCodec}, the MQTT payload and the body of a frame). Whatever arrives, the
 * decoder returns a message or throws a {@link ProtocolException} with a message, within a time
 * limit: never another exception, a StackOverflowError, an OutOfMemoryError or a hang
 * ({@link Bounded}); a damaged stream leaves no partial state behind; and the device applies a
 * decoded configure completely or not at all. A failure names the case seed and shows the input.
 */
class ProtocolFuzzTest {
    private static final List<Envelope> MESSAGES = CodecTest.everyMessage();
    private static final String[] TYPES = {"identify", "configure", "run", "abort", "status", "fetch", "ok", "error",
        "identity", "shots", "done", "x", ""};

    private static Envelope decodeLine(String line) {
        return Bounded.call(() -> SerialFraming.decodeLine(line), ProtocolException.class).value();
    }

    private static String withCrc(String payload) {
        byte[] b = payload.getBytes(StandardCharsets.ISO_8859_1);
        return "@" + payload + "*" + String.format("%04X", SerialFraming.crc16(b, 0, b.length));
    }

    // ---- serial frames

    @Test
    void anyLineDecodesOrIsRefused() {
        Fuzz.check(500, r -> Fuzz.string(r, 300), line -> {
            decodeLine(line);
            decodeLine("@" + line);
        });
    }

    /** Random content behind a correct CRC, so the parser behind the CRC check is reached. */
    @Test
    void anyPayloadBehindAValidCrcDecodesOrIsRefused() {
        Fuzz.check(500, ProtocolFuzzTest::payload, payload -> decodeLine(withCrc(payload)));
    }

    /** A frame payload: kind, id, type, expiry and body each valid, awkward or random. */
    private static String payload(SplittableRandom r) {
        String kind = Fuzz.oneOf(r, "C", "R", "E", "X", "", "c");
        String id = switch (r.nextInt(3)) {
            case 0 -> Fuzz.alphanumeric(r, 70);
            case 1 -> Fuzz.string(r, 5);
            default -> Fuzz.oneOf(r, "a1-1", "e7", "-", "..", "x".repeat(65));
        };
        String type = Fuzz.oneOf(r, TYPES);
        String exp = switch (r.nextInt(3)) {
            case 0 -> "";
            case 1 -> "exp=" + Fuzz.anyLong(r) + " ";
            default -> Fuzz.oneOf(r, "exp= ", "exp=x ", "exp=99999999999999999999999 ", "exp=");
        };
        String body = switch (r.nextInt(4)) {
            case 0 -> Json.write(Json.value(r, 4));
            case 1 -> Json.write(Json.mutate(JsonCodec.body(MESSAGES.get(r.nextInt(MESSAGES.size())).message()), r));
            case 2 -> Fuzz.string(r, 40);
            default -> Fuzz.oneOf(r, "{", "{}", "[]", "null", "{\"channels\":[{}]}", "{".repeat(40) + "}".repeat(40));
        };
        return kind + id + " " + type + " " + exp + body;
    }

    /**
     * A valid frame with one fault (bit flip, dropped byte, inserted byte) is refused, or decodes to
     * exactly the message that was sent. With a seed of its own that
     * {@code fuzz.seed} does not change: a CRC-16 has no guarantee for every multi-byte change, and
     * the suite must not flicker.
     */
    @Test
    void aFrameWithOneFaultIsRefusedOrUnchanged() {
        record Fault(int which, int fault, int at, int value, String damaged) { }
        Fuzz.check(20261125L, 500, r -> {
            int which = r.nextInt(MESSAGES.size());
            byte[] f = SerialFraming.encode(MESSAGES.get(which));
            byte[] line = Arrays.copyOf(f, f.length - 2);
            int fault = r.nextInt(3);
            int at = r.nextInt(line.length);
            int value = r.nextInt(256);
            byte[] damaged = switch (fault) {
                case 0 -> {
                    byte[] d = line.clone();
                    d[at] ^= (byte) (1 << (value % 8));
                    yield d;
                }
                case 1 -> concat(Arrays.copyOf(line, at), Arrays.copyOfRange(line, at + 1, line.length));
                default -> concat(concat(Arrays.copyOf(line, at), new byte[]{(byte) value}),
                        Arrays.copyOfRange(line, at, line.length));
            };
            return new Fault(which, fault, at, value, new String(damaged, StandardCharsets.ISO_8859_1));
        }, c -> {
            Envelope sent = MESSAGES.get(c.which());
            Envelope got = decodeLine(c.damaged());
            if (got != null) {
                assertEquals(sent, got, "a damaged frame was accepted as a different message");
            }
        });
    }

    /** Several faults anywhere: only "no crash" can be asserted. */
    @Test
    void aFrameWithManyFaultsNeverCrashes() {
        Fuzz.check(500, r -> {
            byte[] line = SerialFraming.encode(MESSAGES.get(r.nextInt(MESSAGES.size())));
            List<Byte> b = new ArrayList<>();
            for (byte x : line) {
                b.add(x);
            }
            int faults = 1 + r.nextInt(20);
            for (int k = 0; k < faults && !b.isEmpty(); k++) {
                int at = r.nextInt(b.size());
                switch (r.nextInt(3)) {
                    case 0 -> b.set(at, (byte) (b.get(at) ^ (1 << r.nextInt(8))));
                    case 1 -> b.remove(at);
                    default -> b.add(at, (byte) r.nextInt(256));
                }
            }
            byte[] d = new byte[b.size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = b.get(i);
            }
            return d;
        }, d -> {
            List<Envelope> ok = new ArrayList<>();
            List<ProtocolException> bad = new ArrayList<>();
            Bounded.call(() -> {
                new SerialFraming.Decoder(ok::add, bad::add).feed(d, 0, d.length);
                return null;
            }, ProtocolException.class);
        });
    }

    /**
     * No partial state: whatever garbage came before (any bytes, unterminated lines, a line over the
     * length limit), after the next line end a valid frame, split into arbitrary chunks, decodes to
     * exactly the message sent.
     */
    @Test
    void aValidFrameAfterGarbageDecodesExactly() {
        record Garbage(byte[] garbage, int which, List<Integer> cuts, boolean overlong) { }
        Fuzz.check(200, r -> {
            List<Integer> cuts = new ArrayList<>();
            for (int k = 0, n = r.nextInt(7); k < n; k++) {
                cuts.add(Fuzz.intIn(r, 1, 400));
            }
            return new Garbage(Fuzz.bytes(r, 3000), r.nextInt(MESSAGES.size()), cuts, r.nextBoolean());
        }, g -> {
            List<Envelope> ok = new ArrayList<>();
            List<ProtocolException> bad = new ArrayList<>();
            SerialFraming.Decoder d = new SerialFraming.Decoder(ok::add, bad::add);
            Bounded.call(() -> {
                d.feed(g.garbage(), 0, g.garbage().length);
                if (g.overlong()) {
                    byte[] big = new byte[SerialFraming.MAX_LINE + 10];
                    Arrays.fill(big, (byte) 'A');
                    d.feed(big, 0, big.length);
                }
                byte[] nl = {'\r', '\n'};
                d.feed(nl, 0, 2);
                ok.clear();
                byte[] frame = SerialFraming.encode(MESSAGES.get(g.which()));
                int off = 0;
                for (int c : g.cuts()) {
                    int n = Math.min(c, frame.length - off);
                    d.feed(frame, off, n);
                    off += n;
                }
                d.feed(frame, off, frame.length - off);
                return null;
            }, ProtocolException.class);
            assertEquals(List.of(MESSAGES.get(g.which())), ok);
        });
    }

    // ---- JSON envelopes (MQTT payloads)

    @Test
    void anyBytesDecodeOrAreRefused() {
        Fuzz.check(500, r -> Fuzz.bytes(r, 500),
                payload -> Bounded.call(() -> JsonCodec.decode(payload), ProtocolException.class));
    }

    @Test
    void anyJsonValueDecodesOrIsRefused() {
        record Value(String envelope, String body) { }
        Fuzz.check(500, r -> {
            JsonNode body = Json.value(r, 5);
            String envelope = "{\"v\":1,\"kind\":\"" + Fuzz.oneOf(r, "command", "reply", "event", "x")
                    + "\",\"type\":\"" + Fuzz.oneOf(r, TYPES) + "\",\"id\":\"f-1\",\"body\":" + Json.write(body) + "}";
            return new Value(envelope, Json.write(body));
        }, v -> {
            Bounded.call(() -> JsonCodec.decode(v.envelope()), ProtocolException.class);
            Bounded.call(() -> JsonCodec.decode(v.body()), ProtocolException.class);
        });
    }

    /** Wrong types, missing fields, unknown fields, extreme numbers anywhere in every message. */
    @Test
    void everyMessageMutatedDecodesOrIsRefused() {
        Fuzz.check(1500, r -> {
            JsonNode tree = readTree(JsonCodec.encode(MESSAGES.get(r.nextInt(MESSAGES.size()))));
            for (int k = 0, rounds = 1 + r.nextInt(3); k < rounds; k++) {
                tree = Json.mutate(tree, r);
            }
            return Json.write(tree);
        }, text -> {
            Envelope e = Bounded.call(() -> JsonCodec.decode(text), ProtocolException.class).value();
            if (e != null) {
                // whatever decodes encodes again and decodes to the same message: nothing half-read
                assertEquals(e, JsonCodec.decode(JsonCodec.encode(e)));
            }
        });
    }

    /**
     * Found by {@link #everyMessageMutatedDecodesOrIsRefused}: a negative {@code expiresAt} was accepted
     * and, since only a positive time counts as an expiry, made a command that never expires.
     */
    @Test
    void aNegativeExpiryIsRefusedInBothEncodings() {
        ProtocolException json = assertThrows(ProtocolException.class,
                () -> JsonCodec.decode("{\"v\":1,\"kind\":\"command\",\"type\":\"status\",\"id\":\"n-1\","
                        + "\"expiresAt\":-5,\"body\":{}}"));
        assertEquals("expiresAt", json.field());
        ProtocolException serial = assertThrows(ProtocolException.class,
                () -> SerialFraming.decodeLine(withCrc("Cn-1 status exp=-5 {}")));
        assertEquals("expiresAt", serial.field());
        assertEquals("n-1", serial.commandId(), "an intact frame: the device answers -100 instead of waiting for a retry");
    }

    /**
     * Found by {@link #everyMessageMutatedDecodesOrIsRefused}: a shot whose index or point did not fit
     * its type was silently truncated, and an infinite hold time accepted.
     */
    @Test
    void aShotThatDoesNotFitItsTypesIsRefused() {
        for (String shot : List.of("[18446744073709551616,0,0.0,\"01\"]", "[1,4294967296,0.0,\"01\"]",
                "[1,0,1e999,\"01\"]")) {
            String json = "{\"v\":1,\"kind\":\"event\",\"type\":\"shots\",\"id\":\"e1\",\"body\":"
                    + "{\"runId\":\"r\",\"shots\":[" + shot + "]}}";
            ProtocolException e = assertThrows(ProtocolException.class,
                    () -> JsonCodec.decode(json), shot);
            assertEquals("shots[0]", e.field());
        }
    }

    /** The input shown on a failure is the depth: the documents themselves run to megabytes. */
    @Test
    void deepNestingAndHugePayloadsAreRefused() {
        Fuzz.check(50, r -> Fuzz.magnitude(r, 33, 200_000), depth -> {
            String deep = "{\"v\":1,\"body\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
            assertTrue(Bounded.call(() -> JsonCodec.decode(deep), ProtocolException.class).refused());
            String frame = withCrc("C1 status " + "{\"a\":".repeat(Math.min(depth, 100_000)) + "1" + "}".repeat(Math.min(depth, 100_000)));
            assertTrue(Bounded.call(() -> SerialFraming.decodeLine(frame), ProtocolException.class).refused());
        });
    }

    /**
     * Device side, no partial state: a configure whose channels were mutated (values out of range,
     * wrong channel names, missing or extra channels) is either applied exactly as decoded or refused
     * with nothing applied.
     */
    @Test
    void aConfigureIsAppliedWholeOrNotAtAll() {
        Message.Configure good = (Message.Configure) MESSAGES.get(1).message();
        Fuzz.check(300, r -> {
            JsonNode body = JsonCodec.body(good);
            for (int k = 0, n = 1 + r.nextInt(3); k < n; k++) {
                body = Json.mutate(body, r);
            }
            return body;
        }, mutated -> {
            Message m = Bounded.call(() -> JsonCodec.message(Envelope.Kind.COMMAND, "configure", mutated),
                    ProtocolException.class).value();
            if (m == null) {
                return;
            }
            TestDevice device = new TestDevice(0, 10);
            device.handle(good, ev -> { });
            DriveSettings before = device.lastApplied();
            int appliedBefore = device.applied.size();
            Message.Reply reply = device.handle((Message.Command) m, ev -> { });
            if (reply instanceof Message.Ok) {
                assertEquals(appliedBefore + 1, device.applied.size());
                assertEquals(((Message.Configure) m).settings(), device.lastApplied());
                assertEquals(((Message.Configure) m).settings(), device.settings());
            } else {
                assertTrue(reply instanceof Message.Error, reply.toString());
                assertEquals(appliedBefore, device.applied.size(), "a refused configure applied something");
                assertEquals(before, device.lastApplied());
                assertEquals(before, device.settings());
            }
            device.close();
        });
    }

    private static JsonNode readTree(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
