package io.iontrap.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/** Helpers of the run-workflow tests: an experiment file and the command line run in this JVM. */
final class Experiments {
    /** The example trap with four spin ions (tests run in cli/). */
    static final Path TRAP = Path.of("../examples/trap-ca40-6ion.json").toAbsolutePath().normalize();

    private Experiments() {
    }

    /**
     * An N = 4, η = 10 experiment on the 6-ion example at its fastest lab scale: 6 hold times (model units) ×
     * {@code shots}; its analysis fits Ω and η.
     */
    static Path write(Path dir, String device, int shots, String extraDevice) throws IOException {
        return write(dir, device, shots, extraDevice, 0.95);
    }

    /** As above, with the analysis at confidence {@code level}. */
    static Path write(Path dir, String device, int shots, String extraDevice, double level) throws IOException {
        String dev = extraDevice == null ? "\"" + device + "\"" : "{\"uri\": \"" + device + "\", " + extraDevice + "}";
        String json = "{\n"
                + "  \"name\": \"test-n4\",\n"
                + "  \"model\": {\"omega\": 1, \"Omega\": 0.1, \"kappa\": 1, \"eta\": 10, \"g\": [2.1, -1.4, 2.9, -0.6],"
                + " \"units\": \"omega\"},\n"
                + "  \"lab\": {\"units\": \"2pi*kHz\", \"scale\": \"fastest\"},\n"
                + "  \"trap\": \"" + TRAP + "\",\n"
                + "  \"schedule\": {\"holdTimes\": [0, 10, 30, 100, 300, 600], \"shotsPerTime\": " + shots
                + ", \"initial\": \"0000\"},\n"
                + "  \"device\": " + dev + ",\n"
                + "  \"analysis\": {\"fit\": \"Omega,eta\", \"level\": " + level + ", \"plots\": false},\n"
                + "  \"output\": \"out\"\n}\n";
        Path f = dir.resolve("experiment.json");
        Files.writeString(f, json);
        return f;
    }

    /** Result of one command line. */
    record Result(int status, String out, String err) {
    }

    static Result run(String... args) {
        CommandLine cl = IonTrap.commandLine();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        cl.setOut(new PrintWriter(o, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(e, true, StandardCharsets.UTF_8));
        int s = cl.execute(args);
        return new Result(s, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    /** Asserts that the fitted Ω and η of a run's analysis contain the true values (the run file's model). */
    static void assertRecovers(Path summaryJson, double trueOmega, double trueEta) throws IOException {
        JsonNode s = new ObjectMapper().readTree(summaryJson.toFile());
        JsonNode fit = s.get("fit");
        inside(trueOmega, fit.get("Omega"), "Omega");
        inside(trueEta, fit.get("eta"), "eta");
    }

    private static void inside(double x, JsonNode e, String what) {
        double lo = e.get("ci95").get(0).isNull() ? Double.NEGATIVE_INFINITY : e.get("ci95").get(0).asDouble();
        double hi = e.get("ci95").get(1).isNull() ? Double.POSITIVE_INFINITY : e.get("ci95").get(1).asDouble();
        System.out.println("fitted " + what + " = " + e + ", true " + x);
        assertTrue(lo <= x && x <= hi, what + " = " + x + " outside " + e.get("ci95"));
    }
}
