package io.iontrap.hardware.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.iontrap.hardware.TestDevice;
import io.iontrap.hardware.drive.DriveSettings;
import io.iontrap.hardware.fuzz.Bounded;
import io.iontrap.hardware.fuzz.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Property tests (jqwik) for both protocol decoders: the serial frame ({@link SerialFraming}) and the
 * JSON envelope ({@link JsonCodec}, the MQTT payload and the body of a frame). Whatever arrives, the
 * decoder returns a message or throws a {@link ProtocolException} with a message, within a time
 * limit: never another exception, a StackOverflowError, an OutOfMemoryError or a hang
 * ({@link Bounded}); a damaged stream leaves no partial state behind; and the device applies a
 * decoded configure completely or not at all.
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

    @Property
    void anyLineDecodesOrIsRefused(@ForAll @Size(max = 300) String line) {
        decodeLine(line);
        decodeLine("@" + line);
    }

    /** Random content behind a correct CRC, so the parser behind the CRC check is reached. */
    @Property
    void anyPayloadBehindAValidCrcDecodesOrIsRefused(@ForAll("payloads") String payload) {
        decodeLine(withCrc(payload));
    }

    @Provide
    Arbitrary<String> payloads() {
        Arbitrary<String> kind = Arbitraries.of("C", "R", "E", "X", "", "c");
        Arbitrary<String> id = Arbitraries.oneOf(Arbitraries.strings().alpha().numeric().ofMinLength(0).ofMaxLength(70),
                Arbitraries.strings().ofMaxLength(5), Arbitraries.of("a1-1", "e7", "-", "..", "x".repeat(65)));
        Arbitrary<String> type = Arbitraries.of(TYPES);
        Arbitrary<String> exp = Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.longs().map(l -> "exp=" + l + " "),
                Arbitraries.of("exp= ", "exp=x ", "exp=99999999999999999999999 ", "exp="));
        Arbitrary<String> body = Arbitraries.oneOf(
                Arbitraries.longs().map(seed -> Json.write(Json.value(new Random(seed), 4))),
                Arbitraries.longs().map(seed -> Json.write(Json.mutate(
                        JsonCodec.body(MESSAGES.get(new Random(seed).nextInt(MESSAGES.size())).message()),
                        new Random(seed)))),
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.of("{", "{}", "[]", "null", "{\"channels\":[{}]}", "{" .repeat(40) + "}".repeat(40)));
        return Combinators.combine(kind, id, type, exp, body).as((k, i, t, e, b) -> k + i + " " + t + " " + e + b);
    }

    /**
     * A valid frame with one fault (bit flip, dropped byte, inserted byte) is refused, or decodes to
     * exactly the message that was sent. Seeded: a CRC-16 has no guarantee for every multi-byte
     * change, and the suite must not flicker.
     */
    @Property(seed = "20261125")
    void aFrameWithOneFaultIsRefusedOrUnchanged(@ForAll @IntRange(min = 0, max = 13) int which,
                                                @ForAll @IntRange(min = 0, max = 2) int fault,
                                                @ForAll @IntRange(min = 0, max = 100_000) int where,
                                                @ForAll @IntRange(min = 0, max = 255) int value) {
        Envelope sent = MESSAGES.get(which);
        byte[] f = SerialFraming.encode(sent);
        byte[] line = java.util.Arrays.copyOf(f, f.length - 2);
        int at = where % line.length;
        byte[] damaged = switch (fault) {
            case 0 -> {
                byte[] d = line.clone();
                d[at] ^= (byte) (1 << (value % 8));
                yield d;
            }
            case 1 -> concat(java.util.Arrays.copyOf(line, at), java.util.Arrays.copyOfRange(line, at + 1, line.length));
            default -> concat(concat(java.util.Arrays.copyOf(line, at), new byte[]{(byte) value}),
                    java.util.Arrays.copyOfRange(line, at, line.length));
        };
        Envelope got = decodeLine(new String(damaged, StandardCharsets.ISO_8859_1));
        if (got != null) {
            assertEquals(sent, got, "a damaged frame was accepted as a different message");
        }
    }

    /** Several faults anywhere: only "no crash" can be asserted. */
    @Property
    void aFrameWithManyFaultsNeverCrashes(@ForAll @IntRange(min = 0, max = 13) int which, @ForAll long seed) {
        Random r = new Random(seed);
        byte[] line = SerialFraming.encode(MESSAGES.get(which));
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
        List<Envelope> ok = new ArrayList<>();
        List<ProtocolException> bad = new ArrayList<>();
        Bounded.call(() -> {
            new SerialFraming.Decoder(ok::add, bad::add).feed(d, 0, d.length);
            return null;
        }, ProtocolException.class);
    }

    /**
     * No partial state: whatever garbage came before (any bytes, unterminated lines, a line over the
     * length limit), after the next line end a valid frame, split into arbitrary chunks, decodes to
     * exactly the message sent.
     */
    @Property(tries = 200)
    void aValidFrameAfterGarbageDecodesExactly(@ForAll @Size(max = 3000) byte[] garbage,
                                               @ForAll @IntRange(min = 0, max = 13) int which,
                                               @ForAll @Size(max = 6) List<@IntRange(min = 1, max = 400) Integer> cuts,
                                               @ForAll boolean overlong) {
        List<Envelope> ok = new ArrayList<>();
        List<ProtocolException> bad = new ArrayList<>();
        SerialFraming.Decoder d = new SerialFraming.Decoder(ok::add, bad::add);
        Bounded.call(() -> {
            d.feed(garbage, 0, garbage.length);
            if (overlong) {
                byte[] big = new byte[SerialFraming.MAX_LINE + 10];
                java.util.Arrays.fill(big, (byte) 'A');
                d.feed(big, 0, big.length);
            }
            byte[] nl = {'\r', '\n'};
            d.feed(nl, 0, 2);
            ok.clear();
            byte[] frame = SerialFraming.encode(MESSAGES.get(which));
            int off = 0;
            for (int c : cuts) {
                int n = Math.min(c, frame.length - off);
                d.feed(frame, off, n);
                off += n;
            }
            d.feed(frame, off, frame.length - off);
            return null;
        }, ProtocolException.class);
        assertEquals(List.of(MESSAGES.get(which)), ok);
    }

    // ---- JSON envelopes (MQTT payloads)

    @Property
    void anyBytesDecodeOrAreRefused(@ForAll @Size(max = 500) byte[] payload) {
        Bounded.call(() -> JsonCodec.decode(payload), ProtocolException.class);
    }

    @Property
    void anyJsonValueDecodesOrIsRefused(@ForAll long seed) {
        Random r = new Random(seed);
        JsonNode body = Json.value(r, 5);
        String envelope = "{\"v\":1,\"kind\":\"" + new String[]{"command", "reply", "event", "x"}[r.nextInt(4)]
                + "\",\"type\":\"" + TYPES[r.nextInt(TYPES.length)] + "\",\"id\":\"f-1\",\"body\":" + Json.write(body) + "}";
        Bounded.call(() -> JsonCodec.decode(envelope), ProtocolException.class);
        Bounded.call(() -> JsonCodec.decode(Json.write(body)), ProtocolException.class);
    }

    /** Wrong types, missing fields, unknown fields, extreme numbers anywhere in every message. */
    @Property(tries = 1500)
    void everyMessageMutatedDecodesOrIsRefused(@ForAll @IntRange(min = 0, max = 13) int which, @ForAll long seed) {
        Random r = new Random(seed);
        JsonNode tree = Json.MAPPER.valueToTree(readTree(JsonCodec.encode(MESSAGES.get(which))));
        int rounds = 1 + r.nextInt(3);
        for (int k = 0; k < rounds; k++) {
            tree = Json.mutate(tree, r);
        }
        String text = Json.write(tree);
        Envelope e = Bounded.call(() -> JsonCodec.decode(text), ProtocolException.class).value();
        if (e != null) {
            // whatever decodes encodes again and decodes to the same message: nothing half-read
            assertEquals(e, JsonCodec.decode(JsonCodec.encode(e)));
        }
    }

    /**
     * Found by {@link #everyMessageMutatedDecodesOrIsRefused}: a negative {@code expiresAt} was accepted
     * and, since only a positive time counts as an expiry, made a command that never expires.
     */
    @Example
    void aNegativeExpiryIsRefusedInBothEncodings() {
        ProtocolException json = org.junit.jupiter.api.Assertions.assertThrows(ProtocolException.class,
                () -> JsonCodec.decode("{\"v\":1,\"kind\":\"command\",\"type\":\"status\",\"id\":\"n-1\","
                        + "\"expiresAt\":-5,\"body\":{}}"));
        assertEquals("expiresAt", json.field());
        ProtocolException serial = org.junit.jupiter.api.Assertions.assertThrows(ProtocolException.class,
                () -> SerialFraming.decodeLine(withCrc("Cn-1 status exp=-5 {}")));
        assertEquals("expiresAt", serial.field());
        assertEquals("n-1", serial.commandId(), "an intact frame: the device answers -100 instead of waiting for a retry");
    }

    /**
     * Found by {@link #everyMessageMutatedDecodesOrIsRefused}: a shot whose index or point did not fit
     * its type was silently truncated, and an infinite hold time accepted.
     */
    @Example
    void aShotThatDoesNotFitItsTypesIsRefused() {
        for (String shot : List.of("[18446744073709551616,0,0.0,\"01\"]", "[1,4294967296,0.0,\"01\"]",
                "[1,0,1e999,\"01\"]")) {
            String json = "{\"v\":1,\"kind\":\"event\",\"type\":\"shots\",\"id\":\"e1\",\"body\":"
                    + "{\"runId\":\"r\",\"shots\":[" + shot + "]}}";
            ProtocolException e = org.junit.jupiter.api.Assertions.assertThrows(ProtocolException.class,
                    () -> JsonCodec.decode(json), shot);
            assertEquals("shots[0]", e.field());
        }
    }

    @Property(tries = 50)
    void deepNestingAndHugePayloadsAreRefused(@ForAll @IntRange(min = 33, max = 200_000) int depth) {
        String deep = "{\"v\":1,\"body\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
        assertTrue(Bounded.call(() -> JsonCodec.decode(deep), ProtocolException.class).refused());
        String frame = withCrc("C1 status " + "{\"a\":".repeat(Math.min(depth, 100_000)) + "1" + "}".repeat(Math.min(depth, 100_000)));
        assertTrue(Bounded.call(() -> SerialFraming.decodeLine(frame), ProtocolException.class).refused());
    }

    /**
     * Device side, no partial state: a configure whose channels were mutated (values out of range,
     * wrong channel names, missing or extra channels) is either applied exactly as decoded or refused
     * with nothing applied.
     */
    @Property(tries = 300)
    void aConfigureIsAppliedWholeOrNotAtAll(@ForAll long seed) {
        Random r = new Random(seed);
        TestDevice device = new TestDevice(0, 10);
        Message.Configure good = (Message.Configure) MESSAGES.get(1).message();
        device.handle(good, ev -> { });
        DriveSettings before = device.lastApplied();
        JsonNode body = JsonCodec.body(good);
        for (int k = 0, n = 1 + r.nextInt(3); k < n; k++) {
            body = Json.mutate(body, r);
        }
        JsonNode mutated = body;
        Message m = Bounded.call(() -> JsonCodec.message(Envelope.Kind.COMMAND, "configure", mutated),
                ProtocolException.class).value();
        if (m == null) {
            return;
        }
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
    }

    private static JsonNode readTree(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
