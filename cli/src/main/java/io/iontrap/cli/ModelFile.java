package io.iontrap.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iontrap.model.InvalidParameterException;
import io.iontrap.model.Parameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;

/**
 * The model file (docs/model-file.md): a JSON object
 * {@code {"omega":1.0,"Omega":0.1,"kappa":1.0,"gamma":1.1,"g":[1.3,-2.2],"units":"2pi*kHz"}},
 * {@code "eta"} in place of {@code "gamma"}. Every frequency is in the one angular-frequency unit
 * named by the optional {@code "units"} label. Anything else is refused with the field named.
 */
public final class ModelFile {
    /** Largest chain the file format accepts; the exact solvers have their own, smaller limits. */
    public static final int MAX_SPINS = 100_000;
    /** Largest model file read (characters): room for {@link #MAX_SPINS} couplings in full precision. */
    public static final int MAX_FILE_CHARS = 16 << 20;

    private static final Set<String> FIELDS = Set.of("omega", "Omega", "kappa", "gamma", "eta", "g", "disorder", "units");
    private static final Set<String> DISORDER_FIELDS = Set.of("distribution", "width", "n", "seed");
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Parameters parameters;
    private final String units;

    private ModelFile(Parameters parameters, String units) {
        this.parameters = parameters;
        this.units = units;
    }

    public Parameters parameters() {
        return parameters;
    }

    /** The unit label of the file, or {@code null} when it gave none. */
    public String units() {
        return units;
    }

    public static ModelFile read(Path path) {
        String text;
        try {
            if (Files.size(path) > MAX_FILE_CHARS) {
                throw new IllegalArgumentException("model file " + path + ": " + Files.size(path)
                        + " bytes, more than the limit of " + MAX_FILE_CHARS);
            }
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("model file " + path + ": no such file");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("model file " + path + ": not UTF-8 text (is it a model file?)");
        } catch (IOException e) {
            throw new IllegalArgumentException("model file " + path + ": cannot read (" + e.getMessage() + ")");
        }
        try {
            return parse(text);
        } catch (InvalidParameterException e) {
            throw new InvalidParameterException(e.field(), e.getMessage().substring(e.field().length() + 2)
                    + " (model file " + path + ")");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model file " + path + ": " + e.getMessage());
        }
    }

    public static ModelFile parse(String text) {
        if (text.length() > MAX_FILE_CHARS) {
            throw new IllegalArgumentException(text.length() + " characters, more than the limit of " + MAX_FILE_CHARS);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr()));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("must be a JSON object with fields omega, Omega, kappa, gamma|eta, g");
        }
        requireKnown(root, FIELDS, "");
        double omega = number(root, "omega");
        double drive = number(root, "Omega");
        double kappa = number(root, "kappa");
        if (root.has("g") == root.has("disorder")) {
            throw new InvalidParameterException("g", "give exactly one of g (the couplings) or disorder (how to draw them)");
        }
        double[] g = root.has("g") ? couplings(root) : disorder(root.get("disorder"));
        String units = null;
        if (root.has("units")) {
            if (!root.get("units").isTextual()) {
                throw new InvalidParameterException("units", "must be a string such as \"2pi*kHz\"");
            }
            units = root.get("units").asText();
        }
        boolean hasGamma = root.has("gamma");
        boolean hasEta = root.has("eta");
        if (hasGamma == hasEta) {
            throw new InvalidParameterException(hasGamma ? "eta" : "gamma",
                    "give exactly one of gamma (loss rate) or eta = (gamma - kappa)/omega");
        }
        Parameters p = hasGamma
                ? Parameters.of(omega, drive, kappa, number(root, "gamma"), g)
                : Parameters.withEta(omega, drive, kappa, number(root, "eta"), g);
        return new ModelFile(p, units);
    }

    private static void requireKnown(JsonNode node, Set<String> allowed, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw new InvalidParameterException(prefix + name,
                        "unknown field (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    private static double number(JsonNode root, String field) {
        return number(root, field, field);
    }

    private static double number(JsonNode root, String field, String path) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            throw new InvalidParameterException(path, "missing");
        }
        if (!n.isNumber()) {
            throw new InvalidParameterException(path, "must be a number, got " + n);
        }
        return n.asDouble();
    }

    /**
     * Couplings drawn from a seeded distribution (the paper's disorder): {"distribution": "uniform",
     * "width": g0, "n": N, "seed": S} draws g_i uniformly in [-g0, g0]; "normal" with standard
     * deviation g0. The same seed always gives the same couplings (java.util.SplittableRandom).
     */
    private static double[] disorder(JsonNode d) {
        if (!d.isObject()) {
            throw new InvalidParameterException("disorder", "must be an object {distribution, width, n, seed}");
        }
        requireKnown(d, DISORDER_FIELDS, "disorder.");
        JsonNode dist = d.get("distribution");
        if (dist == null || !dist.isTextual()
                || !(dist.asText().equals("uniform") || dist.asText().equals("normal"))) {
            throw new InvalidParameterException("disorder.distribution", "must be \"uniform\" or \"normal\", got " + dist);
        }
        double width = number(d, "width", "disorder.width");
        if (!(width > 0) || !Double.isFinite(width)) {
            throw new InvalidParameterException("disorder.width", "must be a finite number > 0, got " + width);
        }
        JsonNode n = d.get("n");
        if (n == null || !n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 1 || n.asInt() > MAX_SPINS) {
            throw new InvalidParameterException("disorder.n", "must be an integer in 1.." + MAX_SPINS + ", got " + n);
        }
        JsonNode seed = d.get("seed");
        if (seed == null || !seed.isIntegralNumber() || !seed.canConvertToLong()) {
            throw new InvalidParameterException("disorder.seed", "must be an integer, got " + seed);
        }
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed.asLong());
        boolean uniform = dist.asText().equals("uniform");
        double[] g = new double[n.asInt()];
        for (int i = 0; i < g.length; i++) {
            g[i] = uniform ? r.nextDouble(-width, width) : width * gaussian(r);
        }
        return g;
    }

    /** Standard normal deviate by the polar Box-Muller method. */
    private static double gaussian(java.util.SplittableRandom r) {
        double u;
        double v;
        double s;
        do {
            u = r.nextDouble(-1, 1);
            v = r.nextDouble(-1, 1);
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }

    private static double[] couplings(JsonNode root) {
        JsonNode n = root.get("g");
        if (n == null || n.isNull()) {
            throw new InvalidParameterException("g", "missing");
        }
        if (!n.isArray()) {
            throw new InvalidParameterException("g", "must be an array of couplings, got " + n.getNodeType());
        }
        if (n.size() > MAX_SPINS) {
            throw new InvalidParameterException("g", "has " + n.size() + " couplings, the limit is " + MAX_SPINS);
        }
        double[] g = new double[n.size()];
        for (int i = 0; i < g.length; i++) {
            if (!n.get(i).isNumber()) {
                throw new InvalidParameterException("g[" + i + "]", "must be a number, got " + n.get(i));
            }
            g[i] = n.get(i).asDouble();
        }
        return g;
    }
}
