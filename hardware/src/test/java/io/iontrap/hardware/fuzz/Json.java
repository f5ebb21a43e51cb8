package io.iontrap.hardware.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/** Random JSON values and structural mutations of JSON trees, for the decoder properties. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String[] WORDS = {"", "x", "channels", "on", "amplitude", "frequencyHz", "phaseTurns", "channel",
        "runId", "shots", "limits", "g", "ions", "id", "role", "spin", "coolant", "name", "\u0000", "\u03a9", "NaN",
        "Infinity", "-1", "1e999", "true", "null", "{", "@C1 status {}*0000"};

    private Json() {
    }

    /** A random JSON value of depth at most {@code depth}: nulls, booleans, awkward numbers, strings, arrays, objects. */
    public static JsonNode value(RandomGenerator r, int depth) {
        int k = r.nextInt(depth > 0 ? 12 : 9);
        return switch (k) {
            case 0 -> F.nullNode();
            case 1 -> F.booleanNode(r.nextBoolean());
            case 2 -> F.numberNode(r.nextInt());
            case 3 -> F.numberNode(r.nextLong());
            case 4 -> F.numberNode(new double[]{0.0, -0.0, 1e-320, 1e308, -1e308, 0.5, 1.0, -1.0, 2.5e9,
                Double.MIN_VALUE, 1e-9, 123456.789}[r.nextInt(12)]);
            case 5 -> F.numberNode(new BigDecimal("1e" + (r.nextInt(2000) - 1000)));
            case 6 -> F.numberNode(new BigInteger("9".repeat(1 + r.nextInt(60))));
            case 7 -> F.textNode(WORDS[r.nextInt(WORDS.length)]);
            case 8 -> F.numberNode(r.nextGaussian() * Math.pow(10, r.nextInt(20) - 10));
            case 9, 10 -> {
                ArrayNode a = F.arrayNode();
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    a.add(value(r, depth - 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = F.objectNode();
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    o.set(WORDS[r.nextInt(WORDS.length)], value(r, depth - 1));
                }
                yield o;
            }
        };
    }

    /** Every path (JSON pointer) of a tree, the root excluded. */
    public static List<String> paths(JsonNode n) {
        List<String> out = new ArrayList<>();
        collect(n, "", out);
        return out;
    }

    private static void collect(JsonNode n, String at, List<String> out) {
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = at + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
                out.add(p);
                collect(e.getValue(), p, out);
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                out.add(at + "/" + i);
                collect(n.get(i), at + "/" + i, out);
            }
        }
    }

    /**
     * One structural mutation of a copy of {@code tree}: a node replaced by a random value, removed,
     * duplicated in its array, or an unknown field added next to it.
     */
    public static JsonNode mutate(JsonNode tree, RandomGenerator r) {
        JsonNode copy = tree.deepCopy();
        List<String> paths = paths(copy);
        if (paths.isEmpty()) {
            return value(r, 3);
        }
        String p = paths.get(r.nextInt(paths.size()));
        int slash = p.lastIndexOf('/');
        JsonNode parent = slash == 0 ? copy : copy.at(p.substring(0, slash));
        String leaf = p.substring(slash + 1).replace("~1", "/").replace("~0", "~");
        int op = r.nextInt(4);
        if (parent.isObject()) {
            ObjectNode o = (ObjectNode) parent;
            switch (op) {
                case 0, 1 -> o.set(leaf, value(r, 3));
                case 2 -> o.remove(leaf);
                default -> o.set("unknownField" + r.nextInt(10), value(r, 2));
            }
        } else {
            ArrayNode a = (ArrayNode) parent;
            int i = Integer.parseInt(leaf);
            switch (op) {
                case 0, 1 -> a.set(i, value(r, 3));
                case 2 -> a.remove(i);
                default -> a.insert(i, a.get(i).deepCopy());
            }
        }
        return copy;
    }

    public static String write(JsonNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
