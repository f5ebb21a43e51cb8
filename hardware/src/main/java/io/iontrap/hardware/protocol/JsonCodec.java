package io.iontrap.hardware.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iontrap.hardware.drive.ChannelSetting;
import io.iontrap.hardware.drive.DriveSettings;
import io.iontrap.hardware.protocol.Message.Abort;
import io.iontrap.hardware.protocol.Message.Configure;
import io.iontrap.hardware.protocol.Message.Done;
import io.iontrap.hardware.protocol.Message.Error;
import io.iontrap.hardware.protocol.Message.Fetch;
import io.iontrap.hardware.protocol.Message.GetStatus;
import io.iontrap.hardware.protocol.Message.Identify;
import io.iontrap.hardware.protocol.Message.Identity;
import io.iontrap.hardware.protocol.Message.Ok;
import io.iontrap.hardware.protocol.Message.Run;
import io.iontrap.hardware.protocol.Message.Shot;
import io.iontrap.hardware.protocol.Message.Shots;
import io.iontrap.hardware.protocol.Message.Status;
import io.iontrap.hardware.trap.TrapSpec;
import io.iontrap.hardware.units.CyclicFrequency;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON encoding of {@link Envelope}s (docs/protocol.md): the MQTT payload, and the body of a serial
 * frame. Output is ASCII only (non-ASCII escaped). Decoding is strict: wrong types, missing fields,
 * non-finite numbers and oversized payloads are refused with a {@link ProtocolException} naming the field.
 */
public final class JsonCodec {
    public static final int PROTOCOL_VERSION = 1;
    public static final int MAX_PAYLOAD_BYTES = 4 << 20;
    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32).maxStringLength(1 << 20).maxNumberLength(64).build());
    }

    private JsonCodec() {
    }

    public static String encode(Envelope e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("v", PROTOCOL_VERSION);
        n.put("kind", e.kind().name().toLowerCase());
        n.put("type", e.message().type());
        n.put("id", e.id());
        if (e.expiresAtMillis() > 0) {
            n.put("expiresAt", e.expiresAtMillis());
        }
        n.set("body", body(e.message()));
        return write(n);
    }

    public static byte[] encodeBytes(Envelope e) {
        return encode(e).getBytes(StandardCharsets.US_ASCII);
    }

    public static Envelope decode(byte[] payload) {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new ProtocolException("payload", payload.length + " bytes > " + MAX_PAYLOAD_BYTES);
        }
        return decode(new String(payload, StandardCharsets.UTF_8));
    }

    public static Envelope decode(String json) {
        JsonNode n = read(json, "payload");
        if (!n.isObject()) {
            throw new ProtocolException("payload", "must be a JSON object");
        }
        int v = integer(n, "v");
        if (v != PROTOCOL_VERSION) {
            throw new ProtocolException("v", "protocol version " + v + " not supported (this side speaks "
                    + PROTOCOL_VERSION + ")");
        }
        String kindText = text(n, "kind");
        Envelope.Kind kind;
        switch (kindText) {
            case "command" -> kind = Envelope.Kind.COMMAND;
            case "reply" -> kind = Envelope.Kind.REPLY;
            case "event" -> kind = Envelope.Kind.EVENT;
            default -> throw new ProtocolException("kind", "must be command, reply or event, got \"" + kindText + "\"");
        }
        long expires = n.has("expiresAt") ? longValue(n, "expiresAt") : 0;
        JsonNode body = n.get("body");
        if (body == null || !body.isObject()) {
            throw new ProtocolException("body", "missing or not an object");
        }
        String id = text(n, "id");
        try {
            return new Envelope(kind, id, expires, message(kind, text(n, "type"), body));
        } catch (ProtocolException e) {
            throw kind == Envelope.Kind.COMMAND && id.matches("[A-Za-z0-9._-]{1,64}") ? e.withCommandId(id) : e;
        }
    }

    /** The body of a message as a JSON object. */
    public static ObjectNode body(Message m) {
        ObjectNode b = MAPPER.createObjectNode();
        if (m instanceof Identify x) {
            b.put("client", x.client());
        } else if (m instanceof Configure x) {
            b.set("channels", settings(x.settings()));
        } else if (m instanceof Run x) {
            b.put("runId", x.runId());
            ArrayNode a = b.putArray("holdTimesSeconds");
            x.holdTimesSeconds().forEach(a::add);
            b.put("shotsPerPoint", x.shotsPerPoint());
            if (x.initialState() != null) {
                b.put("initialState", x.initialState());
            }
        } else if (m instanceof Abort x) {
            b.put("reason", x.reason());
        } else if (m instanceof GetStatus) {
            // empty
        } else if (m instanceof Fetch x) {
            b.put("runId", x.runId());
            b.put("from", x.from());
            b.put("max", x.max());
        } else if (m instanceof Ok x) {
            b.put("detail", x.detail());
        } else if (m instanceof Error x) {
            b.put("code", x.code());
            b.put("message", x.message());
            ArrayNode a = b.putArray("violations");
            x.violations().forEach(a::add);
        } else if (m instanceof Identity x) {
            b.put("deviceId", x.deviceId());
            b.put("model", x.model());
            b.put("firmware", x.firmware());
            b.put("protocolVersion", x.protocolVersion());
            ArrayNode a = b.putArray("capabilities");
            x.capabilities().forEach(a::add);
            b.set("limits", limits(x.limits()));
        } else if (m instanceof Status x) {
            b.put("state", x.state());
            b.put("runId", x.runId());
            b.put("shotsDone", x.shotsDone());
            b.put("shotsTotal", x.shotsTotal());
            b.put("detail", x.detail());
        } else if (m instanceof Shots x) {
            b.put("runId", x.runId());
            ArrayNode a = b.putArray("shots");
            for (Shot s : x.shots()) {
                a.addArray().add(s.index()).add(s.point()).add(s.holdTimeSeconds()).add(s.bits());
            }
        } else if (m instanceof Done x) {
            b.put("runId", x.runId());
            b.put("outcome", x.outcome());
            b.put("shots", x.shots());
            b.put("detail", x.detail());
        }
        return b;
    }

    static Message message(Envelope.Kind kind, String type, JsonNode b) {
        switch (kind) {
            case COMMAND:
                switch (type) {
                    case "identify":
                        return new Identify(optText(b, "client"));
                    case "configure":
                        return new Configure(settings(b.get("channels")));
                    case "run":
                        return new Run(text(b, "runId"), doubles(b, "holdTimesSeconds"), integer(b, "shotsPerPoint"),
                                optText(b, "initialState"));
                    case "abort":
                        return new Abort(optText(b, "reason"));
                    case "status":
                        return new GetStatus();
                    case "fetch":
                        return new Fetch(text(b, "runId"), longValue(b, "from"), integer(b, "max"));
                    default:
                        throw new ProtocolException("type", "unknown command \"" + type + "\"");
                }
            case REPLY:
                switch (type) {
                    case "ok":
                        return new Ok(optText(b, "detail"));
                    case "error":
                        return new Error(integer(b, "code"), text(b, "message"), texts(b, "violations"));
                    case "identity":
                        return new Identity(text(b, "deviceId"), text(b, "model"), text(b, "firmware"),
                                integer(b, "protocolVersion"), texts(b, "capabilities"), limits(obj(b, "limits")));
                    case "status":
                        return status(b);
                    case "shots":
                        return shots(b);
                    default:
                        throw new ProtocolException("type", "unknown reply \"" + type + "\"");
                }
            default:
                switch (type) {
                    case "status":
                        return status(b);
                    case "shots":
                        return shots(b);
                    case "done":
                        return new Done(text(b, "runId"), text(b, "outcome"), longValue(b, "shots"), optText(b, "detail"));
                    default:
                        throw new ProtocolException("type", "unknown event \"" + type + "\"");
                }
        }
    }

    private static Status status(JsonNode b) {
        return new Status(text(b, "state"), optText(b, "runId"), longValue(b, "shotsDone"), longValue(b, "shotsTotal"),
                optText(b, "detail"));
    }

    private static Shots shots(JsonNode b) {
        JsonNode a = b.get("shots");
        if (a == null || !a.isArray()) {
            throw new ProtocolException("shots", "missing or not an array");
        }
        List<Shot> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            JsonNode s = a.get(i);
            // index and point must fit their types (no silent truncation), the hold time must be finite
            if (!s.isArray() || s.size() != 4 || !s.get(0).isIntegralNumber() || !s.get(0).canConvertToLong()
                    || !s.get(1).isIntegralNumber() || !s.get(1).canConvertToInt()
                    || !s.get(2).isNumber() || !Double.isFinite(s.get(2).asDouble())
                    || !s.get(3).isTextual() || !s.get(3).asText().matches("[01]*")) {
                throw new ProtocolException("shots[" + i + "]", "must be [index, point, holdTimeSeconds, \"bits\"]");
            }
            out.add(new Shot(s.get(0).asLong(), s.get(1).asInt(), s.get(2).asDouble(), s.get(3).asText()));
        }
        return new Shots(text(b, "runId"), out);
    }

    public static ArrayNode settings(DriveSettings s) {
        ArrayNode a = MAPPER.createArrayNode();
        for (ChannelSetting c : s.channels()) {
            ObjectNode o = a.addObject();
            o.put("channel", c.channel());
            o.put("frequencyHz", c.frequency().hz());
            o.put("amplitude", c.amplitude());
            o.put("phaseTurns", c.phaseTurns());
            o.put("on", c.on());
        }
        return a;
    }

    public static DriveSettings settings(JsonNode a) {
        if (a == null || !a.isArray()) {
            throw new ProtocolException("channels", "missing or not an array");
        }
        List<ChannelSetting> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            JsonNode o = a.get(i);
            String at = "channels[" + i + "].";
            if (!o.isObject()) {
                throw new ProtocolException("channels[" + i + "]", "must be an object");
            }
            JsonNode on = o.get("on");
            if (on == null || !on.isBoolean()) {
                throw new ProtocolException(at + "on", "missing or not a boolean");
            }
            out.add(new ChannelSetting(textAt(o, "channel", at), CyclicFrequency.hz(number(o, "frequencyHz", at)),
                    number(o, "amplitude", at), number(o, "phaseTurns", at), on.asBoolean()));
        }
        try {
            return new DriveSettings(out);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("channels", e.getMessage());
        }
    }

    public static ObjectNode limits(DeviceLimits l) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("spins", l.spins());
        o.put("maxTotalPower", l.maxTotalPower());
        o.put("maxHoldTimeSeconds", l.maxHoldTimeSeconds());
        o.put("maxShotsPerRun", l.maxShotsPerRun());
        ObjectNode d = o.putObject("dds");
        d.put("clockHz", l.dds().clockHz());
        d.put("frequencyBits", l.dds().frequencyBits());
        d.put("amplitudeBits", l.dds().amplitudeBits());
        d.put("phaseBits", l.dds().phaseBits());
        ArrayNode a = o.putArray("channels");
        for (DeviceLimits.ChannelLimit c : l.channels()) {
            ObjectNode x = a.addObject();
            x.put("name", c.name());
            x.put("role", c.role());
            x.put("minFrequencyHz", c.minFrequencyHz());
            x.put("maxFrequencyHz", c.maxFrequencyHz());
            x.put("maxAmplitude", c.maxAmplitude());
        }
        return o;
    }

    static DeviceLimits limits(JsonNode o) {
        JsonNode d = obj(o, "dds");
        JsonNode a = o.get("channels");
        if (a == null || !a.isArray()) {
            throw new ProtocolException("limits.channels", "missing or not an array");
        }
        List<DeviceLimits.ChannelLimit> ch = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            JsonNode x = a.get(i);
            String at = "limits.channels[" + i + "].";
            ch.add(new DeviceLimits.ChannelLimit(textAt(x, "name", at), textAt(x, "role", at),
                    number(x, "minFrequencyHz", at), number(x, "maxFrequencyHz", at), number(x, "maxAmplitude", at)));
        }
        return new DeviceLimits(integer(o, "spins"), ch, number(o, "maxTotalPower", "limits."),
                number(o, "maxHoldTimeSeconds", "limits."), longValue(o, "maxShotsPerRun"),
                new TrapSpec.Dds(number(d, "clockHz", "limits.dds."), integer(d, "frequencyBits"),
                        integer(d, "amplitudeBits"), integer(d, "phaseBits")));
    }

    static JsonNode read(String json, String what) {
        if (json.length() > MAX_PAYLOAD_BYTES) {
            throw new ProtocolException(what, json.length() + " characters > " + MAX_PAYLOAD_BYTES);
        }
        try {
            JsonNode n = MAPPER.readTree(json);
            if (n == null) {
                throw new ProtocolException(what, "empty");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new ProtocolException(what, "not valid JSON: " + e.getOriginalMessage());
        }
    }

    static String write(JsonNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode obj(JsonNode n, String f) {
        JsonNode v = n.get(f);
        if (v == null || !v.isObject()) {
            throw new ProtocolException(f, "missing or not an object");
        }
        return v;
    }

    private static String text(JsonNode n, String f) {
        return textAt(n, f, "");
    }

    private static String textAt(JsonNode n, String f, String prefix) {
        JsonNode v = n.get(f);
        if (v == null || !v.isTextual()) {
            throw new ProtocolException(prefix + f, "missing or not a string");
        }
        return v.asText();
    }

    private static String optText(JsonNode n, String f) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new ProtocolException(f, "must be a string");
        }
        return v.asText();
    }

    private static double number(JsonNode n, String f, String prefix) {
        JsonNode v = n.get(f);
        if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw new ProtocolException(prefix + f, "missing or not a finite number");
        }
        return v.asDouble();
    }

    private static int integer(JsonNode n, String f) {
        JsonNode v = n.get(f);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ProtocolException(f, "missing or not an integer");
        }
        return v.asInt();
    }

    private static long longValue(JsonNode n, String f) {
        JsonNode v = n.get(f);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new ProtocolException(f, "missing or not an integer");
        }
        return v.asLong();
    }

    private static List<Double> doubles(JsonNode n, String f) {
        JsonNode a = n.get(f);
        if (a == null || !a.isArray()) {
            throw new ProtocolException(f, "missing or not an array");
        }
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).isNumber() || !Double.isFinite(a.get(i).asDouble())) {
                throw new ProtocolException(f + "[" + i + "]", "not a finite number");
            }
            out.add(a.get(i).asDouble());
        }
        return out;
    }

    private static List<String> texts(JsonNode n, String f) {
        JsonNode a = n.get(f);
        if (a == null || !a.isArray()) {
            throw new ProtocolException(f, "missing or not an array");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).isTextual()) {
                throw new ProtocolException(f + "[" + i + "]", "not a string");
            }
            out.add(a.get(i).asText());
        }
        return out;
    }
}
