package io.iontrap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PlanCommandTest {
    static Path example(String name) {
        Path p = Path.of("").toAbsolutePath();
        while (!Files.exists(p.resolve("examples").resolve(name))) {
            p = p.getParent();
        }
        return p.resolve("examples").resolve(name);
    }

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = IonTrap.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static final String TRAP = example("trap-ca40-6ion.json").toString();

    @Test
    void labModelCompilesToJson() throws Exception {
        Run r = run("plan", "--model", example("model-n4-lab.json").toString(), "--trap", TRAP, "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = Json.MAPPER.readTree(r.out());
        assertFalse(j.get("refused").asBoolean());
        assertEquals(11, j.get("channels").size());
        JsonNode red0 = j.get("channels").get(0);
        assertEquals("force-red-s0", red0.get("channel").asText());
        assertTrue(red0.get("ddsWords").get("ftw").asLong() > 0);
        assertEquals(0.5, j.get("channels").get(2).get("phaseTurns").asDouble(), "g[1] < 0 as a half turn");
        assertEquals(0, j.get("violations").size());
        assertTrue(j.get("fastest").get("scale").asDouble() > 1);
        assertEquals(0.05, j.get("achievedModel").get("omega").asDouble(), 0.05 * 0.01);
    }

    @Test
    void refusalListsEveryViolationOnStderrWithExit2() {
        Run r = run("plan", "--model", example("model-n4-fig2a.json").toString(), "--trap", TRAP, "--units", "2pi*kHz");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("plan refused: 9 limits violated"), r.err());
        assertTrue(r.err().contains("loss-c0: Rabi frequency Omega/2pi = 518095 Hz > maxRabiFrequencyHz = 200000 Hz"),
                r.err());
        assertTrue(r.err().contains("force-blue-s2"), r.err());
        assertEquals(9 + 2, r.err().strip().split("\n").length, r.err());
        assertTrue(r.out().contains("REFUSED"));
    }

    @Test
    void fastestScaleMakesADimensionlessModelFeasible() throws Exception {
        Run r = run("plan", "--model", example("model-n4-fig2a.json").toString(), "--trap", TRAP, "--fastest", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = Json.MAPPER.readTree(r.out());
        double s = j.get("scaleApplied").asDouble();
        assertEquals(s, j.get("model").get("omega").asDouble(), 1e-12);
        assertTrue(s > 0.02 && s < 0.2, "omega = 2pi x " + s + " kHz");
        assertTrue(j.get("fastest").get("bindingLimits").get(0).asText().startsWith("loss-c0"));
    }

    @Test
    void dimensionlessModelWithoutUnitIsRefusedNamingTheField() {
        Run r = run("plan", "--model", example("model-n2.json").toString(), "--trap", TRAP);
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("units:"), r.err());
    }

    @Test
    void badTrapFileNamesTheField() throws Exception {
        Path bad = Files.createTempFile("trap", ".json");
        try {
            Files.writeString(bad, Files.readString(Path.of(TRAP)).replace("\"comModeFrequencyHz\"", "\"comModeFreqHz\""));
            Run r = run("plan", "--model", example("model-n4-lab.json").toString(), "--trap", bad.toString());
            assertEquals(2, r.exit());
            assertTrue(r.err().contains("comModeFreqHz: unknown field"), r.err());
            Run r2 = run("plan", "--model", example("model-n2.json").toString(), "--trap", TRAP, "--units", "2pi*kHz");
            assertEquals(2, r2.exit());
            assertTrue(r2.err().contains("g: the model has 2 couplings but trap"), r2.err());
        } finally {
            Files.delete(bad);
        }
    }
}
