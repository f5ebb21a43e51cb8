package io.iontrap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo end to end with a tenth of its shots: every part runs and the physics shows. */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void demoMeasuresTheCentralResults() throws Exception {
        Path out = dir.resolve("demo");
        Experiments.Result r = Experiments.run("demo", "--out", out.toString(), "--shots", "0.1", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode d = new ObjectMapper().readTree(r.out());
        assertTrue(Files.exists(out.resolve("report.html")));
        assertTrue(Files.exists(out.resolve("experiments/fig2-n10.json")), "the experiment files are kept");
        // N = 2: effective and full model differ by the checked 0.0078 (physics.md 7)
        assertEquals(0.0078, d.get("n2EffectiveVsFull").get("eta10").get("maxEffectiveMinusFull").asDouble(), 0.001);
        assertEquals(0.0034, d.get("n2EffectiveVsFull").get("eta1").get("maxEffectiveMinusFull").asDouble(), 0.001);
        assertTrue(d.get("n2EffectiveVsFull").get("eta1").get("groundPopulationAtLastTime").asDouble() > 0.9);
        // the device's full-model (Lindblad) shots pass the G-test against the full model it samples, at both eta
        // (the largest single-cell deviation is reported with its look-elsewhere chance, not as a failure)
        for (String eta : new String[] {"eta10", "eta1"}) {
            JsonNode n2 = d.get("n2EffectiveVsFull").get(eta);
            assertTrue(n2.get("consistentWithFullModel").asBoolean(), n2.toString());
            assertTrue(n2.get("gTestFull").get("p").asDouble() >= 1e-3, n2.toString());
            assertTrue(n2.get("verdict").asText().contains("agree with the full model"), n2.toString());
        }
        // Fig. 2a/b: at the last hold time eta = 0.1 has cooled far below eta = 10
        JsonNode hot = d.get("fig2").get("eta10").get("meanEnergyMeasured");
        JsonNode cold = d.get("fig2").get("eta0.1").get("meanEnergyMeasured");
        int last = hot.size() - 1;
        assertTrue(cold.get(last).asDouble() < hot.get(last).asDouble() - 10, d.get("fig2").toString());
        // beta_eff grows with eta like the theory, within a factor 1.5 of it even with few shots
        for (JsonNode p : d.get("betaEff").get("points")) {
            double ratio = p.get("betaEff").asDouble() / p.get("theory").asDouble();
            assertTrue(ratio > 0.67 && ratio < 1.5, p.toString());
        }
        // a folder that is not an earlier demo is never overwritten
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("precious.txt"), "data");
        assertEquals(2, Experiments.run("demo", "--out", other.toString()).status());
        assertTrue(Files.exists(other.resolve("precious.txt")));
    }
}
