package io.iontrap.simdevice;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iontrap.hardware.TrapFixtures;
import io.iontrap.hardware.drive.DriveCompiler;
import io.iontrap.hardware.drive.DrivePlan;
import io.iontrap.hardware.drive.Feasibility;
import io.iontrap.hardware.protocol.Message;
import io.iontrap.hardware.trap.TrapFile;
import io.iontrap.hardware.trap.TrapSpec;
import io.iontrap.hardware.units.ModelUnit;
import io.iontrap.model.Parameters;
import java.util.List;

/** Traps, plans and schedules shared by the sim-device tests (the hardware test-jar supplies the example trap). */
final class SimFixtures {
    private SimFixtures() {
    }

    /** The 4-spin example trap of examples/. */
    static TrapSpec trap4() {
        return TrapFixtures.example();
    }

    /** Fig. 2a-like N = 4 model at 0.03 × (ω = 2π×30 Hz), η = 10: flips at ~1/s. */
    static Parameters model4() {
        return Feasibility.scale(Parameters.withEta(1, 0.1, 1, 10, 2.1, -1.4, 2.9, -0.6), 0.03);
    }

    static DrivePlan plan4() {
        DrivePlan p = DriveCompiler.compile(trap4(), model4(), ModelUnit.TWO_PI_KHZ);
        if (p.refused()) {
            throw new IllegalStateException("fixture plan refused: " + p.violations());
        }
        return p;
    }

    /** Hold times (s) that sample the relaxation of {@link #model4()}. */
    static final List<Double> HOLDS4 = List.of(0.0, 0.05, 0.15, 0.4, 1.0);

    /**
     * The example trap grown to {@code spins} spin ions (chain c0 s0..s(n-1) c1), every new ion with the
     * force channels of s(i mod 4), the carrier on every spin, total power limit raised to fit.
     */
    static TrapSpec trapWithSpins(int spins) {
        ObjectNode t = TrapFixtures.exampleTree();
        t.put("name", "ca40-linear-" + (spins + 2) + "ion-test");
        t.put("maxTotalPower", 2.0 * spins);
        ArrayNode ions = t.putArray("ions");
        ObjectNode c0 = ions.addObject();
        c0.put("id", "c0").put("role", "coolant").put("repumpRatePerSecond", 120000.0);
        for (int i = 0; i < spins; i++) {
            ions.addObject().put("id", "s" + i).put("role", "spin");
        }
        ObjectNode c1 = ions.addObject();
        c1.put("id", "c1").put("role", "coolant").put("repumpRatePerSecond", 120000.0);
        ArrayNode old = (ArrayNode) t.get("channels");
        ArrayNode ch = t.putArray("channels");
        for (int i = 0; i < spins; i++) {
            for (String role : List.of("force-red", "force-blue")) {
                ObjectNode src = find(old, role + "-s" + (i % 4)).deepCopy();
                src.put("name", role + "-s" + i);
                src.putArray("ions").add("s" + i);
                ch.add(src);
            }
        }
        ObjectNode carrier = find(old, "carrier").deepCopy();
        ArrayNode ci = carrier.putArray("ions");
        for (int i = 0; i < spins; i++) {
            ci.add("s" + i);
        }
        ch.add(carrier);
        ch.add(find(old, "loss-c0").deepCopy());
        ch.add(find(old, "gain-c1").deepCopy());
        return TrapFile.parse(t.toString());
    }

    private static ObjectNode find(ArrayNode channels, String name) {
        for (var c : channels) {
            if (c.get("name").asText().equals(name)) {
                return (ObjectNode) c;
            }
        }
        throw new IllegalStateException("no channel " + name);
    }

    /** examples/trap-ca40-12ion.json: ten spins between two coolant ions (the N = 10 of Fig. 2). */
    static TrapSpec trap10() {
        return TrapFile.read(TrapFixtures.locate("examples/trap-ca40-12ion.json"));
    }

    /**
     * Fig. 2a-like N = 10 couplings (uniform in [-3, 3], fixed), η = 10, scaled to 0.01 (ω = 2π×10 Hz):
     * feasible on {@link #trap10()}, whose loss ion limits the scale (adiabatic elimination).
     */
    static Parameters model10() {
        return Feasibility.scale(Parameters.withEta(1, 0.1, 1, 10, 2.4, -1.1, 2.9, -0.7, 1.6, -2.6, 0.9, -1.9,
                2.2, -1.4), 0.01);
    }

    static DrivePlan plan(TrapSpec trap, Parameters model) {
        DrivePlan p = DriveCompiler.compile(trap, model, ModelUnit.TWO_PI_KHZ);
        if (p.refused()) {
            Feasibility.Result f = Feasibility.fastest(trap, model, ModelUnit.TWO_PI_KHZ);
            throw new IllegalStateException("fixture plan refused: " + p.violations() + "; fastest feasible scale "
                    + (f.feasible() ? f.scale() : "none"));
        }
        return p;
    }

    /** counts[k][b]: shots of point k that read configuration b (bit i = ion i). */
    static long[][] counts(List<Message.Shot> shots, int points, int spins) {
        long[][] c = new long[points][1 << spins];
        for (Message.Shot s : shots) {
            int b = 0;
            for (int i = 0; i < spins; i++) {
                if (s.bits().charAt(i) == '1') {
                    b |= 1 << i;
                }
            }
            c[s.point()][b]++;
        }
        return c;
    }
}
