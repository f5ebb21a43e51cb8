package io.iontrap.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iontrap.analysis.fit.FitSpec;
import io.iontrap.hardware.trap.TrapFile;
import io.iontrap.hardware.trap.TrapSpec;
import io.iontrap.hardware.units.ModelUnit;
import io.iontrap.model.InvalidParameterException;
import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The experiment file (docs/experiment-file.md): what {@code iontrap run} plans, runs, records and
 * analyses. Strict: every field is checked, an unknown field is refused, and every error names the
 * field ({@code schedule.holdTimes[2]: must be >= 0}).
 *
 * <p>Frequencies of the model are in its own unit ("model units"); {@code lab} maps them to the trap:
 * lab frequency = {@code scale} × model value, in {@code lab.units}. Hold times are in model time units,
 * 1/(model frequency unit), and go to the device in seconds: t_s = t / (scale · rad/s per lab unit).
 */
public record ExperimentFile(String name, Path source, Parameters model, String modelUnits, ModelUnit labUnit,
                             Double scale, String trapText, TrapSpec trap, String trapSource, double[] holdTimes,
                             int shotsPerTime, String initial, int repetitions, List<Scan> scans, Device device,
                             String fit, double level, boolean plots, Double detectionError, Path output) {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Set<String> FIELDS = Set.of("name", "comment", "model", "lab", "trap", "schedule", "scans",
            "device", "analysis", "detectionError", "output");
    private static final Set<String> LAB = Set.of("units", "scale");
    private static final Set<String> SCHEDULE = Set.of("holdTimes", "shotsPerTime", "initial", "repetitions");
    private static final Set<String> SCAN = Set.of("parameter", "values");
    private static final Set<String> DEVICE = Set.of("uri", "timeoutSeconds", "retries", "linkTimeoutSeconds", "baud");
    private static final Set<String> ANALYSIS = Set.of("fit", "level", "plots");
    /** Largest number of scan points. */
    public static final int MAX_POINTS = 1000;

    /** One scanned model parameter. */
    public record Scan(String parameter, double[] values) {
    }

    /**
     * Where the device is: {@code sim:[options]} (embedded simulated trap, docs/sim-device.md),
     * {@code serial:/dev/ttyUSB0}, {@code mqtt://host:port/device-id} ({@code mqtts://} for TLS).
     * Reply timeout and retries default per link (serial 0.3 s × 5 retries, else 2 s × 3);
     * {@code linkTimeoutSeconds}: silence after which the link is checked and, if dead, the run stops
     * (resumable).
     */
    public record Device(String uri, Double timeoutSeconds, Integer retries, double linkTimeoutSeconds, int baud) {
        public boolean simulated() {
            return uri.startsWith("sim:");
        }

        public boolean serial() {
            return uri.startsWith("serial:");
        }

        public boolean mqtt() {
            return uri.startsWith("mqtt://") || uri.startsWith("mqtts://");
        }

        public String serialPath() {
            return uri.substring("serial:".length());
        }

        /** tcp:// or ssl:// broker URI of an mqtt:// or mqtts:// device. */
        public String brokerUri() {
            boolean tls = uri.startsWith("mqtts://");
            String rest = uri.substring(tls ? 8 : 7);
            int slash = rest.indexOf('/');
            return (tls ? "ssl://" : "tcp://") + rest.substring(0, slash);
        }

        public String mqttDeviceId() {
            String rest = uri.substring(uri.startsWith("mqtts://") ? 8 : 7);
            return rest.substring(rest.indexOf('/') + 1);
        }
    }

    /** One point of the scan: its index, the scanned values and the model (in model units). */
    public record Point(int index, Map<String, Double> values, Parameters model) {
        public String describe() {
            if (values.isEmpty()) {
                return "single point";
            }
            StringBuilder b = new StringBuilder();
            values.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(" = ")
                    .append(String.format(Locale.ROOT, "%.6g", v)));
            return b.toString();
        }
    }

    /** Number of spins N. */
    public int spins() {
        return model.size();
    }

    /** Every scan point (the cartesian product of the scans, the first scan outermost). */
    public List<Point> points() {
        List<Point> out = new ArrayList<>();
        out.add(new Point(0, new LinkedHashMap<>(), model));
        for (Scan s : scans) {
            List<Point> next = new ArrayList<>();
            for (Point p : out) {
                for (double v : s.values()) {
                    Map<String, Double> vals = new LinkedHashMap<>(p.values());
                    vals.put(s.parameter(), v);
                    next.add(new Point(next.size(), vals, apply(p.model(), s.parameter(), v)));
                }
            }
            out = next;
        }
        return out;
    }

    /** Hold times in seconds at a lab scale (t / (scale · rad/s per lab unit)). */
    public double[] holdSeconds(double labScale) {
        double[] s = new double[holdTimes.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = holdTimes[i] / (labScale * labUnit.radPerSecond());
        }
        return s;
    }

    /**
     * The model with one parameter replaced: {@code eta} sets γ = κ + ηω; {@code omega}, {@code Omega},
     * {@code kappa}, {@code gamma} replace that value and keep the others (γ included); {@code g[i]} one coupling.
     */
    static Parameters apply(Parameters p, String parameter, double v) {
        double[] g = p.g();
        switch (parameter) {
            case "omega":
                return Parameters.of(v, p.drive(), p.kappa(), p.gamma(), g);
            case "Omega":
                return Parameters.of(p.omega(), v, p.kappa(), p.gamma(), g);
            case "kappa":
                return Parameters.of(p.omega(), p.drive(), v, p.gamma(), g);
            case "gamma":
                return Parameters.of(p.omega(), p.drive(), p.kappa(), v, g);
            case "eta":
                return Parameters.withEta(p.omega(), p.drive(), p.kappa(), v, g);
            default:
                int i = couplingIndex(parameter, g.length);
                g[i] = v;
                return p.withCouplings(g);
        }
    }

    private static int couplingIndex(String parameter, int n) {
        if (parameter.matches("g\\[\\d{1,6}]")) {
            int i = Integer.parseInt(parameter.substring(2, parameter.length() - 1));
            if (i < n) {
                return i;
            }
        }
        throw new IllegalArgumentException("\"" + parameter + "\" is not a model parameter (omega, Omega, kappa, gamma, "
                + "eta, g[0].." + "g[" + (n - 1) + "])");
    }

    public static ExperimentFile read(Path path) {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("experiment file " + path + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException("experiment file " + path + ": cannot read (" + e.getMessage() + ")");
        }
        try {
            return parse(text, path.toAbsolutePath().getParent(), path);
        } catch (InvalidParameterException e) {
            throw new InvalidParameterException(e.field(), e.getMessage().substring(e.field().length() + 2)
                    + " (experiment file " + path + ")");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("experiment file " + path + ": " + e.getMessage());
        }
    }

    /** Parses an experiment; relative paths (model, trap, output) are resolved against {@code base}. */
    public static ExperimentFile parse(String text, Path base, Path source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr()));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("must be a JSON object with fields model, trap, schedule, device, output");
        }
        known(root, FIELDS, "");
        String name = root.has("name") ? text(root, "name", "name") : defaultName(source);
        if (!name.matches("[A-Za-z0-9._-]{1,40}")) {
            throw new InvalidParameterException("name", "\"" + name + "\" must be 1-40 characters A-Z a-z 0-9 . _ -");
        }
        if (root.has("comment") && !root.get("comment").isTextual()) {
            throw new InvalidParameterException("comment", "must be a string");
        }
        // model
        JsonNode m = required(root, "model");
        ModelFile mf;
        if (m.isTextual()) {
            mf = ModelFile.read(base.resolve(m.asText()));
        } else if (m.isObject()) {
            try {
                mf = ModelFile.parse(m.toString());
            } catch (InvalidParameterException e) {
                throw new InvalidParameterException("model." + e.field(), e.getMessage().substring(e.field().length() + 2));
            }
        } else {
            throw new InvalidParameterException("model", "must be a model object (docs/model-file.md) or the path of a "
                    + "model file, got " + m.getNodeType());
        }
        Parameters model = mf.parameters();
        if (model.size() > 62) {
            throw new InvalidParameterException("model", "N = " + model.size() + " spins; a recorded shot holds at most 62");
        }
        // lab mapping
        ModelUnit labUnit;
        Double scale;
        if (root.has("lab")) {
            JsonNode lab = root.get("lab");
            if (!lab.isObject()) {
                throw new InvalidParameterException("lab", "must be an object {units, scale}");
            }
            known(lab, LAB, "lab.");
            try {
                labUnit = ModelUnit.parse(text(lab, "units", "lab.units"));
            } catch (InvalidParameterException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new InvalidParameterException("lab.units", e.getMessage().replaceFirst("^units: ", ""));
            }
            JsonNode s = required(lab, "scale", "lab.scale");
            if (s.isTextual() && s.asText().equals("fastest")) {
                scale = null;
            } else if (s.isNumber() && s.asDouble() > 0 && Double.isFinite(s.asDouble())) {
                scale = s.asDouble();
            } else {
                throw new InvalidParameterException("lab.scale", "must be \"fastest\" or a number > 0, got " + s);
            }
        } else {
            String u = mf.units();
            if (u == null || u.isBlank() || u.equalsIgnoreCase("omega")) {
                throw new InvalidParameterException("lab", "the model gives no lab unit (\"units\": "
                        + (u == null ? "none" : "\"" + u + "\"") + "): say how it maps to the trap, e.g. "
                        + "\"lab\": {\"units\": \"2pi*kHz\", \"scale\": \"fastest\"}");
            }
            try {
                labUnit = ModelUnit.parse(u);
            } catch (IllegalArgumentException e) {
                throw new InvalidParameterException("model.units", e.getMessage().replaceFirst("^units: ", ""));
            }
            scale = 1.0;
        }
        // trap
        JsonNode t = required(root, "trap");
        String trapText;
        String trapSource;
        if (t.isTextual()) {
            Path tp = base.resolve(t.asText());
            try {
                trapText = Files.readString(tp);
            } catch (NoSuchFileException e) {
                throw new InvalidParameterException("trap", "no such trap file " + tp);
            } catch (IOException e) {
                throw new InvalidParameterException("trap", "cannot read " + tp + " (" + e.getMessage() + ")");
            }
            trapSource = tp.toString();
        } else if (t.isObject()) {
            trapText = t.toPrettyString();
            trapSource = "inline";
        } else {
            throw new InvalidParameterException("trap", "must be the path of a trap file (docs/trap-file.md) or a trap "
                    + "object, got " + t.getNodeType());
        }
        TrapSpec trap;
        try {
            trap = TrapFile.parse(trapText);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("trap", trapSource + ": " + e.getMessage());
        }
        if (trap.spinIons().size() != model.size()) {
            throw new InvalidParameterException("trap", "trap " + trap.name() + " has " + trap.spinIons().size()
                    + " spin ions, the model has N = " + model.size() + " spins");
        }
        // schedule
        JsonNode s = required(root, "schedule");
        if (!s.isObject()) {
            throw new InvalidParameterException("schedule", "must be an object {holdTimes, shotsPerTime, initial, "
                    + "repetitions}");
        }
        known(s, SCHEDULE, "schedule.");
        JsonNode ht = required(s, "holdTimes", "schedule.holdTimes");
        if (!ht.isArray() || ht.isEmpty()) {
            throw new InvalidParameterException("schedule.holdTimes", "must be a non-empty array of hold times in model "
                    + "time units (1/model frequency unit)");
        }
        double[] hold = new double[ht.size()];
        for (int i = 0; i < hold.length; i++) {
            JsonNode x = ht.get(i);
            if (!x.isNumber() || !(x.asDouble() >= 0) || !Double.isFinite(x.asDouble())) {
                throw new InvalidParameterException("schedule.holdTimes[" + i + "]", "must be a finite number >= 0, got " + x);
            }
            hold[i] = x.asDouble();
            for (int j = 0; j < i; j++) {
                if (hold[j] == hold[i]) {
                    throw new InvalidParameterException("schedule.holdTimes[" + i + "]", hold[i] + " appears twice");
                }
            }
        }
        int shots = positiveInt(required(s, "shotsPerTime", "schedule.shotsPerTime"), "schedule.shotsPerTime", 10_000_000);
        int reps = s.has("repetitions") ? positiveInt(s.get("repetitions"), "schedule.repetitions", 10_000) : 1;
        if ((long) shots * reps > Integer.MAX_VALUE / 2) {
            throw new InvalidParameterException("schedule", "shotsPerTime x repetitions is too large");
        }
        String initial = s.has("initial") ? text(s, "initial", "schedule.initial") : "0".repeat(model.size());
        try {
            IsingLandscape.configuration(initial, model.size());
        } catch (InvalidParameterException e) {
            throw new InvalidParameterException("schedule.initial", e.getMessage().substring(e.field().length() + 2));
        }
        // scans
        List<Scan> scans = new ArrayList<>();
        long points = 1;
        if (root.has("scans")) {
            JsonNode sc = root.get("scans");
            if (!sc.isArray()) {
                throw new InvalidParameterException("scans", "must be an array of {parameter, values}");
            }
            for (int k = 0; k < sc.size(); k++) {
                String f = "scans[" + k + "]";
                JsonNode x = sc.get(k);
                if (!x.isObject()) {
                    throw new InvalidParameterException(f, "must be an object {parameter, values}");
                }
                known(x, SCAN, f + ".");
                String par = text(x, "parameter", f + ".parameter");
                try {
                    if (!Set.of("omega", "Omega", "kappa", "gamma", "eta").contains(par)) {
                        couplingIndex(par, model.size());
                    }
                } catch (IllegalArgumentException e) {
                    throw new InvalidParameterException(f + ".parameter", e.getMessage());
                }
                for (Scan other : scans) {
                    if (other.parameter().equals(par)) {
                        throw new InvalidParameterException(f + ".parameter", "\"" + par + "\" is scanned twice");
                    }
                }
                JsonNode vs = required(x, "values", f + ".values");
                if (!vs.isArray() || vs.isEmpty()) {
                    throw new InvalidParameterException(f + ".values", "must be a non-empty array of numbers");
                }
                double[] v = new double[vs.size()];
                for (int i = 0; i < v.length; i++) {
                    if (!vs.get(i).isNumber() || !Double.isFinite(vs.get(i).asDouble())) {
                        throw new InvalidParameterException(f + ".values[" + i + "]", "must be a finite number, got "
                                + vs.get(i));
                    }
                    v[i] = vs.get(i).asDouble();
                    try {
                        apply(model, par, v[i]);
                    } catch (IllegalArgumentException e) {
                        throw new InvalidParameterException(f + ".values[" + i + "]", par + " = " + v[i] + ": "
                                + e.getMessage());
                    }
                }
                scans.add(new Scan(par, v));
                points *= v.length;
                if (points > MAX_POINTS) {
                    throw new InvalidParameterException("scans", "more than " + MAX_POINTS + " scan points");
                }
            }
        }
        // device
        JsonNode d = required(root, "device");
        Device device;
        if (d.isTextual()) {
            device = device(d.asText(), null, null, 10, 115200);
        } else if (d.isObject()) {
            known(d, DEVICE, "device.");
            String uri = text(d, "uri", "device.uri");
            Double timeout = d.has("timeoutSeconds") ? positive(d.get("timeoutSeconds"), "device.timeoutSeconds") : null;
            Integer retries = d.has("retries") ? nonNegativeInt(d.get("retries"), "device.retries") : null;
            double link = d.has("linkTimeoutSeconds") ? positive(d.get("linkTimeoutSeconds"), "device.linkTimeoutSeconds")
                    : 10;
            int baud = d.has("baud") ? positiveInt(d.get("baud"), "device.baud", 10_000_000) : 115200;
            device = device(uri, timeout, retries, link, baud);
        } else {
            throw new InvalidParameterException("device", "must be a device URI (sim:..., serial:PATH, mqtt://host:port/id) "
                    + "or an object {uri, timeoutSeconds, retries, linkTimeoutSeconds, baud}");
        }
        // analysis
        String fit = "Omega,eta";
        boolean plots = true;
        double level = 0.95;
        if (root.has("analysis")) {
            JsonNode a = root.get("analysis");
            if (!a.isObject()) {
                throw new InvalidParameterException("analysis", "must be an object {fit, plots}");
            }
            known(a, ANALYSIS, "analysis.");
            if (a.has("fit")) {
                fit = text(a, "fit", "analysis.fit");
                try {
                    FitSpec.parse(fit);
                } catch (IllegalArgumentException e) {
                    throw new InvalidParameterException("analysis.fit", e.getMessage().replaceFirst("^--fit: ", ""));
                }
            }
            if (a.has("level")) {
                JsonNode l = a.get("level");
                if (!l.isNumber() || !(l.asDouble() >= 0.5 && l.asDouble() < 1)) {
                    throw new InvalidParameterException("analysis.level", "must be a number in [0.5, 1), got " + l);
                }
                level = l.asDouble();
            }
            if (a.has("plots")) {
                if (!a.get("plots").isBoolean()) {
                    throw new InvalidParameterException("analysis.plots", "must be true or false");
                }
                plots = a.get("plots").asBoolean();
            }
        }
        Double det = null;
        if (root.has("detectionError")) {
            JsonNode x = root.get("detectionError");
            if (!x.isNumber() || !(x.asDouble() >= 0 && x.asDouble() < 0.5)) {
                throw new InvalidParameterException("detectionError", "must be a number in [0, 0.5), got " + x);
            }
            det = x.asDouble();
        }
        Path output = base.resolve(text(root, "output", "output")).normalize();
        return new ExperimentFile(name, source, model, mf.units(), labUnit, scale, trapText, trap, trapSource, hold, shots,
                initial, reps, List.copyOf(scans), device, fit, level, plots, det, output);
    }

    private static Device device(String uri, Double timeout, Integer retries, double link, int baud) {
        if (uri.startsWith("sim:")) {
            try {
                io.iontrap.simdevice.SimOptions.parse(uri);
            } catch (IllegalArgumentException e) {
                throw new InvalidParameterException("device", e.getMessage());
            }
        } else if (uri.startsWith("serial:")) {
            if (uri.length() == "serial:".length()) {
                throw new InvalidParameterException("device", "\"serial:\" needs a port path, e.g. serial:/dev/ttyUSB0");
            }
        } else if (uri.startsWith("mqtt://") || uri.startsWith("mqtts://")) {
            String rest = uri.substring(uri.startsWith("mqtts://") ? 8 : 7);
            int slash = rest.indexOf('/');
            if (slash <= 0 || slash == rest.length() - 1 || !rest.substring(slash + 1).matches("[A-Za-z0-9._-]{1,64}")
                    || !rest.substring(0, slash).matches("[^/:]+:\\d{1,5}")) {
                throw new InvalidParameterException("device", "\"" + uri + "\" must be mqtt://host:port/device-id "
                        + "(device id: A-Z a-z 0-9 . _ -)");
            }
        } else {
            throw new InvalidParameterException("device", "\"" + uri + "\" is not a device: sim:[options], serial:PATH or "
                    + "mqtt://host:port/device-id");
        }
        return new Device(uri, timeout, retries, link, baud);
    }

    /** A self-contained copy (model with explicit couplings, trap inline, output "."), stored in every run file. */
    public ObjectNode resolved() {
        ObjectNode o = Json.object();
        o.put("name", name);
        if (source != null) {
            o.put("comment", "resolved from " + source);
        }
        ObjectNode m = o.putObject("model");
        m.put("omega", model.omega()).put("Omega", model.drive()).put("kappa", model.kappa()).put("gamma", model.gamma());
        Json.putArray(m, "g", model.g());
        if (modelUnits != null) {
            m.put("units", modelUnits);
        }
        ObjectNode lab = o.putObject("lab");
        lab.put("units", labUnit.label());
        if (scale == null) {
            lab.put("scale", "fastest");
        } else {
            lab.put("scale", scale);
        }
        try {
            o.set("trap", MAPPER.readTree(trapText));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ObjectNode s = o.putObject("schedule");
        Json.putArray(s, "holdTimes", holdTimes);
        s.put("shotsPerTime", shotsPerTime).put("initial", initial).put("repetitions", repetitions);
        ArrayNode sc = o.putArray("scans");
        for (Scan x : scans) {
            ObjectNode y = sc.addObject();
            y.put("parameter", x.parameter());
            Json.putArray(y, "values", x.values());
        }
        ObjectNode d = o.putObject("device");
        d.put("uri", device.uri());
        if (device.timeoutSeconds() != null) {
            d.put("timeoutSeconds", device.timeoutSeconds());
        }
        if (device.retries() != null) {
            d.put("retries", device.retries());
        }
        d.put("linkTimeoutSeconds", device.linkTimeoutSeconds()).put("baud", device.baud());
        o.putObject("analysis").put("fit", fit).put("level", level).put("plots", plots);
        if (detectionError != null) {
            o.put("detectionError", detectionError);
        }
        o.put("output", ".");
        return o;
    }

    private static String defaultName(Path source) {
        if (source == null) {
            return "experiment";
        }
        String f = source.getFileName().toString().replaceFirst("\\.json$", "").replaceAll("[^A-Za-z0-9._-]", "_");
        return f.isEmpty() ? "experiment" : f.substring(0, Math.min(40, f.length()));
    }

    private static void known(JsonNode node, Set<String> allowed, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String n = it.next();
            if (!allowed.contains(n)) {
                throw new InvalidParameterException(prefix + n, "unknown field (allowed: "
                        + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        return required(node, field, field);
    }

    private static JsonNode required(JsonNode node, String field, String path) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            throw new InvalidParameterException(path, "missing");
        }
        return n;
    }

    private static String text(JsonNode node, String field, String path) {
        JsonNode n = required(node, field, path);
        if (!n.isTextual()) {
            throw new InvalidParameterException(path, "must be a string, got " + n);
        }
        return n.asText();
    }

    private static int positiveInt(JsonNode n, String path, int max) {
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1 || n.asInt() > max) {
            throw new InvalidParameterException(path, "must be an integer in 1.." + max + ", got " + n);
        }
        return n.asInt();
    }

    private static int nonNegativeInt(JsonNode n, String path) {
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 0 || n.asInt() > 100) {
            throw new InvalidParameterException(path, "must be an integer in 0..100, got " + n);
        }
        return n.asInt();
    }

    private static double positive(JsonNode n, String path) {
        if (!n.isNumber() || !(n.asDouble() > 0) || !Double.isFinite(n.asDouble())) {
            throw new InvalidParameterException(path, "must be a number > 0, got " + n);
        }
        return n.asDouble();
    }
}
