package io.iontrap.hardware.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iontrap.hardware.TrapFixtures;
import io.iontrap.hardware.trap.TrapSpec;
import io.iontrap.hardware.units.ModelUnit;
import io.iontrap.model.Parameters;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Every refusal path: the violated limit is named with its channel (or ion), value and bound. */
class RefusalTest {
    static final ModelUnit KHZ = ModelUnit.TWO_PI_KHZ;
    /** Comfortably inside every limit of the example trap. */
    static final Parameters OK = Feasibility.scale(DriveCompilerTest.FIG2A, 0.03);

    static List<LimitCheck> violations(TrapSpec trap, Parameters p) {
        return DriveCompiler.compile(trap, p, KHZ).violations();
    }

    static List<LimitCheck> violations(Consumer<ObjectNode> edit, Parameters p) {
        return violations(TrapFixtures.edited(edit), p);
    }

    static ObjectNode channel(ObjectNode trap, String name) {
        for (var c : trap.withArray("channels")) {
            if (c.get("name").asText().equals(name)) {
                return (ObjectNode) c;
            }
        }
        throw new IllegalArgumentException(name);
    }

    static void assertOnly(List<LimitCheck> v, String where, String limit) {
        assertFalse(v.isEmpty(), "nothing refused");
        for (LimitCheck c : v) {
            assertTrue(c.violated());
        }
        assertTrue(v.stream().anyMatch(c -> c.where().equals(where) && c.limit().equals(limit)),
                () -> "expected " + where + " / " + limit + " in " + v);
        LimitCheck hit = v.stream().filter(c -> c.where().equals(where) && c.limit().equals(limit)).findFirst().get();
        String m = hit.message();
        assertTrue(m.startsWith(where + ": ") && m.contains(limit), m);
    }

    @Test
    void baselineIsAccepted() {
        assertEquals(List.of(), violations(TrapFixtures.example(), OK));
    }

    @Test
    void maxAmplitude() {
        var v = violations(t -> channel(t, "loss-c0").put("maxAmplitude", 0.1), OK);
        assertOnly(v, "loss-c0", "maxAmplitude");
        assertEquals(1, v.size(), v.toString());
        assertEquals(0.1, v.get(0).bound());
    }

    @Test
    void maxRabiFrequency() {
        var v = violations(t -> channel(t, "force-red-s2").put("maxRabiFrequencyHz", 1000.0), OK);
        assertOnly(v, "force-red-s2", "maxRabiFrequencyHz");
        assertEquals(1, v.size(), v.toString());
        assertEquals("Hz", v.get(0).unit());
    }

    @Test
    void beyondCalibratedRange() {
        var v = violations(t -> {
            ObjectNode cal = channel(t, "carrier").putObject("calibration");
            cal.putArray("amplitude").add(0.0).add(0.5).add(1.0);
            cal.putArray("rabiFrequencyHz").add(0.0).add(2.0).add(4.0);
        }, OK);
        assertOnly(v, "carrier", "calibration.rabiFrequencyHz (largest calibrated)");
    }

    @Test
    void frequencyRange() {
        var v = violations(t -> channel(t, "force-blue-s0").put("maxFrequencyHz", 81.0e6), OK);
        assertOnly(v, "force-blue-s0", "maxFrequencyHz");
        assertEquals(1, v.size(), v.toString());
        v = violations(t -> channel(t, "force-red-s0").put("minFrequencyHz", 79.0e6), OK);
        assertOnly(v, "force-red-s0", "minFrequencyHz");
    }

    @Test
    void totalPower() {
        var v = violations(t -> t.put("maxTotalPower", 0.01), OK);
        assertOnly(v, "trap", "maxTotalPower");
        assertEquals(1, v.size(), v.toString());
    }

    @Test
    void lambDicke() {
        var v = violations(t -> ((ObjectNode) t.get("validity")).put("lambDicke", 0.02), OK);
        assertOnly(v, "ion s0", "validity.lambDicke");
        assertOnly(v, "ion c0", "validity.lambDicke");
    }

    @Test
    void resolvedSidebands() {
        // ω/ν: ω = 2π × 300 kHz against ν = 2π × 2 MHz
        Parameters fast = Parameters.withEta(300, 30, 300, 10, 1, -1, 1, -1);
        assertOnly(violations(TrapFixtures.example(), fast), "trap", "validity.sidebandResolution");
        // a tone's Rabi frequency against ν
        var v = violations(t -> ((ObjectNode) t.get("validity")).put("sidebandResolution", 0.005), OK);
        assertOnly(v, "loss-c0", "validity.sidebandResolution");
    }

    @Test
    void adiabaticEliminationAndRepump() {
        var v = violations(t -> {
            for (var ion : t.withArray("ions")) {
                if (ion.has("repumpRatePerSecond")) {
                    ((ObjectNode) ion).put("repumpRatePerSecond", 2e4);
                }
            }
        }, OK);
        assertOnly(v, "loss-c0", "validity.adiabaticElimination");
        v = violations(t -> {
            for (var ion : t.withArray("ions")) {
                if (ion.has("repumpRatePerSecond")) {
                    ((ObjectNode) ion).put("repumpRatePerSecond", 2e6);
                }
            }
        }, OK);
        assertOnly(v, "ion c0", "validity.repumpVsTrap");
        assertOnly(v, "ion c1", "validity.repumpVsTrap");
    }

    @Test
    void gainBelowHeatingRate() {
        var v = violations(t -> t.put("heatingRatePhononsPerSecond", 1e4), OK);
        assertOnly(v, "trap", "heatingRatePhononsPerSecond");
        LimitCheck k = v.stream().filter(c -> c.quantity().startsWith("kappa")).findFirst().orElseThrow();
        assertEquals(1e4, k.bound());
        assertEquals(OK.kappa() * 2 * Math.PI * 1e3, k.value(), 1e-9);
    }

    @Test
    void noGainChannel() {
        var v = violations(t -> {
            var chans = t.withArray("channels");
            for (int i = 0; i < chans.size(); i++) {
                if (chans.get(i).get("role").asText().equals("gain")) {
                    chans.remove(i);
                    break;
                }
            }
        }, OK);
        assertOnly(v, "trap", "gain channel");
    }

    @Test
    void quantisation() {
        // a 6-bit amplitude DAC cannot set the small carrier Rabi frequency within 1 %
        var v = violations(t -> ((ObjectNode) t.get("dds")).put("amplitudeBits", 6), OK);
        assertOnly(v, "model Omega", "validity.quantisation");
    }

    @Test
    void everyViolatedLimitIsListedAtOnce() {
        var v = violations(t -> {
            t.put("maxTotalPower", 0.01);
            channel(t, "loss-c0").put("maxAmplitude", 0.1);
            channel(t, "force-blue-s1").put("maxFrequencyHz", 81.0e6);
            channel(t, "force-red-s3").put("maxRabiFrequencyHz", 100.0);
        }, OK);
        Set<String> got = new TreeSet<>();
        for (LimitCheck c : v) {
            got.add(c.where() + "/" + c.limit());
        }
        assertEquals(new TreeSet<>(List.of("trap/maxTotalPower", "loss-c0/maxAmplitude",
                "force-blue-s1/maxFrequencyHz", "force-red-s3/maxRabiFrequencyHz")), got);
    }
}
