package io.iontrap.hardware;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iontrap.hardware.trap.TrapFile;
import io.iontrap.hardware.trap.TrapSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** The example trap file of examples/, and variants of it edited as JSON trees. */
public final class TrapFixtures {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    public static final Path EXAMPLE = locate("examples/trap-ca40-6ion.json");

    private TrapFixtures() {
    }

    public static Path locate(String relative) {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.exists(p.resolve(relative))) {
                return p.resolve(relative);
            }
            p = p.getParent();
        }
        throw new IllegalStateException("cannot find " + relative);
    }

    public static ObjectNode exampleTree() {
        try {
            return (ObjectNode) MAPPER.readTree(Files.readString(EXAMPLE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TrapSpec example() {
        return TrapFile.read(EXAMPLE);
    }

    public static TrapSpec edited(Consumer<ObjectNode> edit) {
        ObjectNode t = exampleTree();
        edit.accept(t);
        return TrapFile.parse(t.toString());
    }

    public static String editedText(Consumer<ObjectNode> edit) {
        ObjectNode t = exampleTree();
        edit.accept(t);
        return t.toString();
    }

    /**
     * The hand-calculation trap: given Lamb-Dicke factors 0.05 (spins) and 0.03 (coolants),
     * Γ_eff = 1e5 /s, no heating, ν/2π = 2 MHz, all calibrations linear r = 250 kHz × a (carrier 2 kHz × a),
     * phase offsets 0.
     */
    public static TrapSpec handTrap() {
        return edited(t -> {
            t.remove("beams");
            t.put("heatingRatePhononsPerSecond", 0);
            for (var ion : t.withArray("ions")) {
                ObjectNode o = (ObjectNode) ion;
                o.put("lambDicke", o.get("role").asText().equals("spin") ? 0.05 : 0.03);
                if (o.has("repumpRatePerSecond")) {
                    o.put("repumpRatePerSecond", 1e5);
                }
            }
            for (var ch : t.withArray("channels")) {
                ObjectNode c = (ObjectNode) ch;
                double max = c.get("role").asText().equals("carrier") ? 2e3 : 250e3;
                ObjectNode cal = c.putObject("calibration");
                ArrayNode a = cal.putArray("amplitude");
                ArrayNode r = cal.putArray("rabiFrequencyHz");
                for (int k = 0; k <= 4; k++) {
                    a.add(k / 4.0);
                    r.add(max * k / 4.0);
                }
                c.put("maxAmplitude", 1.0);
                c.put("maxRabiFrequencyHz", 200e3);
                c.put("phaseOffsetTurns", 0.0);
            }
        });
    }
}
