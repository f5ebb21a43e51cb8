package io.iontrap.hardware.trap;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iontrap.hardware.trap.TrapSpec.Channel;
import io.iontrap.hardware.trap.TrapSpec.ChannelRole;
import io.iontrap.hardware.trap.TrapSpec.Dds;
import io.iontrap.hardware.trap.TrapSpec.Ion;
import io.iontrap.hardware.trap.TrapSpec.IonRole;
import io.iontrap.hardware.trap.TrapSpec.ValidityBounds;
import io.iontrap.hardware.units.AngularFrequency;
import io.iontrap.hardware.units.CyclicFrequency;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads a trap file (docs/trap-file.md). Every problem is refused with the JSON path of the field
 * ({@code channels[2].calibration.amplitude[3]: ...}); unknown fields are refused too, so a typo
 * never silently falls back to a default.
 */
public final class TrapFile {
    public static final int MAX_IONS = 1000;
    public static final int MAX_CALIBRATION_POINTS = 10_000;
    /** Largest trap file read (characters); a real one is a few kB, so this only stops runaway input early. */
    public static final int MAX_FILE_CHARS = 16 << 20;
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final Set<String> TOP = Set.of("name", "species", "ionMassAmu", "comModeFrequencyHz",
            "heatingRatePhononsPerSecond", "beams", "ions", "dds", "maxTotalPower", "validity", "channels", "comment");
    private static final Set<String> BEAMS = Set.of("wavelengthNm", "geometry", "angleToAxisDeg", "ramanAngleDeg");
    private static final Set<String> ION = Set.of("id", "role", "lambDicke", "repumpRatePerSecond");
    private static final Set<String> DDS = Set.of("clockHz", "frequencyBits", "amplitudeBits", "phaseBits");
    private static final Set<String> VALIDITY = Set.of("lambDicke", "sidebandResolution", "adiabaticElimination",
            "repumpVsTrap", "quantisation");
    private static final Set<String> CHANNEL = Set.of("name", "role", "ions", "carrierFrequencyHz", "detuningPerHz",
            "phaseOffsetTurns", "minFrequencyHz", "maxFrequencyHz", "maxAmplitude", "maxRabiFrequencyHz",
            "calibration");
    private static final Set<String> CAL = Set.of("amplitude", "rabiFrequencyHz");

    private TrapFile() {
    }

    public static TrapSpec read(Path path) {
        String text;
        try {
            if (Files.size(path) > MAX_FILE_CHARS) {
                throw new TrapFileException("(file)", Files.size(path) + " bytes, more than the limit of "
                        + MAX_FILE_CHARS + " (trap file " + path + ")");
            }
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("trap file " + path + ": no such file");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new TrapFileException("(file)", "not UTF-8 text: is it a trap file? (trap file " + path + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException("trap file " + path + ": cannot read (" + e.getMessage() + ")");
        }
        try {
            return parse(text);
        } catch (TrapFileException e) {
            throw new TrapFileException(e.field(), e.getMessage().substring(e.field().length() + 2)
                    + " (trap file " + path + ")");
        }
    }

    public static TrapSpec parse(String text) {
        if (text.length() > MAX_FILE_CHARS) {
            throw new TrapFileException("(file)", text.length() + " characters, more than the limit of " + MAX_FILE_CHARS);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new TrapFileException("(file)", "not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr()));
        }
        if (root == null || !root.isObject()) {
            throw new TrapFileException("(file)", "must be a JSON object");
        }
        known(root, TOP, "");
        String name = text(root, "name", "", true);
        String species = text(root, "species", "", false);
        double mass = positive(root, "ionMassAmu", "");
        double nuHz = positive(root, "comModeFrequencyHz", "");
        double heating = nonNegative(root, "heatingRatePhononsPerSecond", "");
        double maxPower = positive(root, "maxTotalPower", "");
        CyclicFrequency nu = CyclicFrequency.hz(nuHz);

        JsonNode ionsNode = array(root, "ions", "");
        if (ionsNode.size() > MAX_IONS) {
            throw new TrapFileException("ions", "has " + ionsNode.size() + " ions, the limit is " + MAX_IONS);
        }
        int chain = ionsNode.size();
        Double computedEta = null;
        if (root.has("beams")) {
            computedEta = beamsEta(obj(root, "beams", ""), mass, nu.toAngular())
                    * LambDicke.comParticipation(Math.max(chain, 1));
        }
        List<Ion> ions = new ArrayList<>();
        for (int i = 0; i < chain; i++) {
            String at = "ions[" + i + "]";
            JsonNode n = ionsNode.get(i);
            if (!n.isObject()) {
                throw new TrapFileException(at, "must be an object {\"id\", \"role\"}");
            }
            known(n, ION, at + ".");
            String id = text(n, "id", at + ".", true);
            String roleText = text(n, "role", at + ".", true);
            IonRole role;
            if (roleText.equals("spin")) {
                role = IonRole.SPIN;
            } else if (roleText.equals("coolant")) {
                role = IonRole.COOLANT;
            } else {
                throw new TrapFileException(at + ".role", "must be \"spin\" or \"coolant\", got \"" + roleText + "\"");
            }
            double eta;
            if (n.has("lambDicke")) {
                eta = positive(n, "lambDicke", at + ".");
                if (eta >= 1) {
                    throw new TrapFileException(at + ".lambDicke", "must be < 1 (a Lamb-Dicke factor), got " + eta);
                }
            } else if (computedEta != null) {
                eta = computedEta;
            } else {
                throw new TrapFileException(at + ".lambDicke", "missing: give it, or give \"beams\" to compute it");
            }
            double repump = Double.NaN;
            if (role == IonRole.COOLANT) {
                repump = positive(n, "repumpRatePerSecond", at + ".");
            } else if (n.has("repumpRatePerSecond")) {
                throw new TrapFileException(at + ".repumpRatePerSecond", "only coolant ions are repumped");
            }
            ions.add(new Ion(id, role, eta, repump));
        }

        Dds dds = Dds.AD9910;
        if (root.has("dds")) {
            JsonNode d = obj(root, "dds", "");
            known(d, DDS, "dds.");
            dds = new Dds(positive(d, "clockHz", "dds."), bits(d, "frequencyBits", 48),
                    bits(d, "amplitudeBits", 32), bits(d, "phaseBits", 32));
        }
        ValidityBounds vb = ValidityBounds.DEFAULT;
        if (root.has("validity")) {
            JsonNode v = obj(root, "validity", "");
            known(v, VALIDITY, "validity.");
            vb = new ValidityBounds(
                    v.has("lambDicke") ? positive(v, "lambDicke", "validity.") : vb.lambDicke(),
                    v.has("sidebandResolution") ? positive(v, "sidebandResolution", "validity.") : vb.sidebandResolution(),
                    v.has("adiabaticElimination") ? positive(v, "adiabaticElimination", "validity.")
                            : vb.adiabaticElimination(),
                    v.has("repumpVsTrap") ? positive(v, "repumpVsTrap", "validity.") : vb.repumpVsTrap(),
                    v.has("quantisation") ? positive(v, "quantisation", "validity.") : vb.quantisation());
        }

        JsonNode chNode = array(root, "channels", "");
        List<Channel> channels = new ArrayList<>();
        for (int c = 0; c < chNode.size(); c++) {
            String at = "channels[" + c + "]";
            JsonNode n = chNode.get(c);
            if (!n.isObject()) {
                throw new TrapFileException(at, "must be an object");
            }
            known(n, CHANNEL, at + ".");
            String chName = text(n, "name", at + ".", true);
            ChannelRole role = ChannelRole.parse(text(n, "role", at + ".", true), at + ".role");
            JsonNode ionList = array(n, "ions", at + ".");
            List<String> targets = new ArrayList<>();
            for (int k = 0; k < ionList.size(); k++) {
                if (!ionList.get(k).isTextual()) {
                    throw new TrapFileException(at + ".ions[" + k + "]", "must be an ion id (string)");
                }
                targets.add(ionList.get(k).asText());
            }
            double f0 = positive(n, "carrierFrequencyHz", at + ".");
            double perHz = n.has("detuningPerHz") ? number(n, "detuningPerHz", at + ".") : 1.0;
            if (perHz == 0) {
                throw new TrapFileException(at + ".detuningPerHz", "must be non-zero (+1, -1, +2, -2 ...)");
            }
            double phase0 = n.has("phaseOffsetTurns") ? number(n, "phaseOffsetTurns", at + ".") : 0.0;
            double fMin = positive(n, "minFrequencyHz", at + ".");
            double fMax = positive(n, "maxFrequencyHz", at + ".");
            if (!(fMax > fMin)) {
                throw new TrapFileException(at + ".maxFrequencyHz", "must exceed minFrequencyHz = " + fMin + ", got " + fMax);
            }
            if (fMax >= dds.clockHz() / 2) {
                throw new TrapFileException(at + ".maxFrequencyHz", "must be below the DDS Nyquist frequency "
                        + dds.clockHz() / 2 + " Hz, got " + fMax);
            }
            double maxAmp = positive(n, "maxAmplitude", at + ".");
            if (maxAmp > 1) {
                throw new TrapFileException(at + ".maxAmplitude", "is a fraction of full scale, <= 1, got " + maxAmp);
            }
            double maxRabi = positive(n, "maxRabiFrequencyHz", at + ".");
            JsonNode cal = obj(n, "calibration", at + ".");
            known(cal, CAL, at + ".calibration.");
            Calibration calibration = new Calibration(numbers(cal, "amplitude", at + ".calibration."),
                    numbers(cal, "rabiFrequencyHz", at + ".calibration."), at + ".calibration");
            channels.add(new Channel(chName, role, targets, CyclicFrequency.hz(f0), perHz, phase0,
                    CyclicFrequency.hz(fMin), CyclicFrequency.hz(fMax), maxAmp, CyclicFrequency.hz(maxRabi), calibration));
        }
        return new TrapSpec(name, species, mass, nu, heating, ions, channels, dds, maxPower, vb);
    }

    private static double beamsEta(JsonNode b, double massAmu, AngularFrequency nu) {
        known(b, BEAMS, "beams.");
        double lambdaNm = positive(b, "wavelengthNm", "beams.");
        LambDicke.Geometry geometry = LambDicke.Geometry.parse(text(b, "geometry", "beams.", true), "beams.geometry");
        double angle = b.has("angleToAxisDeg") ? number(b, "angleToAxisDeg", "beams.") : 0.0;
        if (Math.abs(angle) >= 90) {
            throw new TrapFileException("beams.angleToAxisDeg", "must be within (-90, 90) degrees, got " + angle);
        }
        double raman = Double.NaN;
        if (geometry == LambDicke.Geometry.RAMAN) {
            raman = positive(b, "ramanAngleDeg", "beams.");
        } else if (b.has("ramanAngleDeg")) {
            throw new TrapFileException("beams.ramanAngleDeg", "only with geometry \"raman\"");
        }
        double dk = LambDicke.deltaK(lambdaNm * 1e-9, geometry, Math.toRadians(raman));
        return LambDicke.singleIon(dk, Math.toRadians(angle), massAmu * LambDicke.AMU, nu);
    }

    private static void known(JsonNode n, Set<String> allowed, String prefix) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new TrapFileException(prefix + f, "unknown field (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    private static JsonNode field(JsonNode n, String f, String prefix) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) {
            throw new TrapFileException(prefix + f, "missing");
        }
        return v;
    }

    private static String text(JsonNode n, String f, String prefix, boolean required) {
        if (!required && !n.has(f)) {
            return "";
        }
        JsonNode v = field(n, f, prefix);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new TrapFileException(prefix + f, "must be a non-empty string, got " + v);
        }
        return v.asText();
    }

    private static double number(JsonNode n, String f, String prefix) {
        JsonNode v = field(n, f, prefix);
        if (!v.isNumber()) {
            throw new TrapFileException(prefix + f, "must be a number, got " + v);
        }
        double d = v.asDouble();
        if (!Double.isFinite(d)) {
            throw new TrapFileException(prefix + f, "must be finite, got " + d);
        }
        return d;
    }

    private static double positive(JsonNode n, String f, String prefix) {
        double d = number(n, f, prefix);
        if (!(d > 0)) {
            throw new TrapFileException(prefix + f, "must be > 0, got " + d);
        }
        return d;
    }

    private static double nonNegative(JsonNode n, String f, String prefix) {
        double d = number(n, f, prefix);
        if (!(d >= 0)) {
            throw new TrapFileException(prefix + f, "must be >= 0, got " + d);
        }
        return d;
    }

    private static int bits(JsonNode n, String f, int max) {
        JsonNode v = field(n, f, "dds.");
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 4 || v.asInt() > max) {
            throw new TrapFileException("dds." + f, "must be an integer number of bits in [4, " + max + "], got " + v);
        }
        return v.asInt();
    }

    private static JsonNode array(JsonNode n, String f, String prefix) {
        JsonNode v = field(n, f, prefix);
        if (!v.isArray()) {
            throw new TrapFileException(prefix + f, "must be an array, got " + v.getNodeType());
        }
        return v;
    }

    private static JsonNode obj(JsonNode n, String f, String prefix) {
        JsonNode v = field(n, f, prefix);
        if (!v.isObject()) {
            throw new TrapFileException(prefix + f, "must be an object, got " + v.getNodeType());
        }
        return v;
    }

    private static double[] numbers(JsonNode n, String f, String prefix) {
        JsonNode v = array(n, f, prefix);
        if (v.size() > MAX_CALIBRATION_POINTS) {
            throw new TrapFileException(prefix + f, "has " + v.size() + " points, the limit is " + MAX_CALIBRATION_POINTS);
        }
        double[] out = new double[v.size()];
        for (int k = 0; k < out.length; k++) {
            JsonNode e = v.get(k);
            if (!e.isNumber()) {
                throw new TrapFileException(prefix + f + "[" + k + "]", "must be a number, got " + e);
            }
            out[k] = e.asDouble();
        }
        return out;
    }
}
