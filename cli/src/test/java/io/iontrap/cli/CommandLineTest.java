package io.iontrap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command-line contract of issue 2: one JSON object on stdout, errors on stderr, exit codes. */
class CommandLineTest {
    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return Json.MAPPER.readTree(out);
        }
    }

    static Result run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedErr = System.err;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            CommandLine cl = IonTrap.commandLine();
            cl.setErr(new PrintWriter(System.err, true));
            int code = cl.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
            System.setErr(savedErr);
        }
    }

    @Test
    void rateReproducesTheCheckedNumber() throws Exception {
        // physics.md §7: eta = 1, g = 1, dE = -2 -> 0.004495225864855252
        Result r = run("rate", "--omega", "1", "--Omega", "0.1", "--kappa", "1", "--eta", "1", "--g", "1",
                "--dE", "-2", "--json");
        assertEquals(0, r.exit(), r.err());
        assertEquals(0.004495225864855252, r.json().get("rate").asDouble(), 1e-9 * 0.0045);
        // the same through gamma = kappa + eta omega
        Result viaGamma = run("rate", "--omega", "1", "--Omega", "0.1", "--kappa", "1", "--gamma", "2", "--g", "1",
                "--dE", "-2", "--json");
        assertEquals(r.json().get("rate").asDouble(), viaGamma.json().get("rate").asDouble(), 0);
    }

    @Test
    void betaEffTendsToFourEta() throws Exception {
        Result r = run("beta-eff", "--omega", "1", "--kappa", "1", "--eta", "0.001", "--json");
        assertEquals(0, r.exit(), r.err());
        assertEquals(0.004, r.json().get("betaEff").asDouble(), 0.004 * 3e-3);
    }

    @Test
    void steadyReproducesTheCoolingTable() throws Exception {
        Path model = dir.resolve("m.json");
        Files.writeString(model, "{\"omega\":1,\"Omega\":0.1,\"kappa\":1,\"eta\":0.1,"
                + "\"g\":[0.83,-1.41,2.27,-0.35,1.92,-2.64,0.57,1.18]}");
        Result r = run("steady", "--model", model.toString(), "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = r.json();
        assertEquals(-22.80, j.get("meanEnergy").asDouble(), 0.005);
        assertEquals(0.516, j.get("groundStatePopulation").asDouble(), 0.0005);
        assertEquals(256, j.get("p").size());
        Result noP = run("steady", "--model", model.toString(), "--json", "--no-p");
        assertTrue(noP.json().get("p") == null);
    }

    @Test
    void evolveStartsFromTheGivenConfiguration() throws Exception {
        Path model = dir.resolve("m.json");
        Files.writeString(model, "{\"omega\":1,\"Omega\":0.1,\"kappa\":1,\"eta\":1,\"g\":[1.3,-2.2]}");
        Result start = run("evolve", "--model", model.toString(), "--times", "0", "--initial", "01", "--json");
        assertEquals(0, start.exit(), start.err());
        assertEquals(1.0, start.json().get("p").get(0).get(2).asDouble(), 0, "\"01\" is spin 1 up: index 2");
        Result r = run("evolve", "--model", model.toString(), "--times", "0,2000", "--initial", "00", "--json");
        JsonNode p = r.json().get("p");
        // physics.md §7, p_eff at t = 2000 from down-down: (du) 0.3871 is index 2, (ud) 0.6047 index 1
        assertEquals(0.3871, p.get(1).get(2).asDouble(), 0.0005);
        assertEquals(0.6047, p.get(1).get(1).asDouble(), 0.0005);
        assertEquals(0.0044, p.get(1).get(0).asDouble(), 0.0005);
        assertEquals(0.0038, p.get(1).get(3).asDouble(), 0.0005);
        double sum = 0;
        for (JsonNode x : p.get(1)) {
            sum += x.asDouble();
        }
        assertEquals(1.0, sum, 1e-12);
    }

    @Test
    void kolmogorovRatioIsOneInTheHighTemperatureLimit() throws Exception {
        Path model = dir.resolve("m.json");
        Files.writeString(model, "{\"omega\":1,\"Omega\":0.1,\"kappa\":1,\"eta\":1,\"g\":[1.3,-2.2]}");
        Result mid = run("kolmogorov", "--model", model.toString(), "--json");
        assertEquals(0, mid.exit(), mid.err());
        assertTrue(Math.abs(Math.log(mid.json().get("ratio").asDouble())) > 1e-3, "broken at eta = 1");
        Files.writeString(model, "{\"omega\":1,\"Omega\":0.1,\"kappa\":1,\"eta\":100,\"g\":[1.3,-2.2]}");
        Result high = run("kolmogorov", "--model", model.toString(), "--json");
        assertTrue(Math.abs(Math.log(high.json().get("ratio").asDouble()))
                < Math.abs(Math.log(mid.json().get("ratio").asDouble())) / 10);
    }

    @Test
    void badInputExitsNonZeroNamingTheField() throws Exception {
        Result r = run("rate", "--omega", "1", "--Omega", "0.1", "--kappa", "1", "--gamma", "0.5", "--g", "1",
                "--dE", "0", "--json");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("gamma"), r.err());
        assertEquals("", r.out());
        Path model = dir.resolve("bad.json");
        Files.writeString(model, "{\"omega\":1,\"Omega\":0.1,\"kappa\":1,\"eta\":1,\"g\":[1.3,\"x\"]}");
        Result bad = run("steady", "--model", model.toString(), "--json");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("g[1]") && bad.err().contains("bad.json"), bad.err());
        Result bits = run("evolve", "--model", dir.resolve("bad.json").toString(), "--times", "1");
        assertEquals(2, bits.exit());
        Result bench = run("bench", "--n", "25");
        assertEquals(2, bench.exit());
        assertTrue(bench.err().contains("--n") && bench.err().contains("1..24"), bench.err());
    }

    @Test
    void analyzeFitsShotsFromACsvFile() throws Exception {
        Path model = dir.resolve("m.json");
        Files.writeString(model, "{\"omega\":1,\"Omega\":0.1,\"kappa\":1,\"eta\":1,\"g\":[1.3,-2.2]}");
        io.iontrap.model.Parameters p = ModelFile.read(model).parameters();
        double[] times = {0, 50, 150, 400, 1000, 2000};
        double[][] pt = new io.iontrap.model.master.MasterEquation(io.iontrap.model.IsingLandscape.of(p),
                new io.iontrap.model.rates.FlipRates(p)).evolve(0, times);
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        StringBuilder csv = new StringBuilder("t,shot,state\n");
        for (int k = 0; k < times.length; k++) {
            for (int shot = 0; shot < 400; shot++) {
                double u = r.nextDouble();
                int s = 0;
                while (s < 3 && (u -= pt[k][s]) > 0) {
                    s++;
                }
                csv.append(times[k]).append(',').append(shot).append(',')
                        .append(io.iontrap.model.IsingLandscape.bits(s, 2)).append('\n');
            }
        }
        Path shots = dir.resolve("shots.csv");
        Files.writeString(shots, csv);
        Result res = run("analyze", shots.toString(), "--model", model.toString(), "--fit", "Omega",
                "--out", dir.resolve("report").toString(), "--json");
        assertEquals(0, res.exit(), res.err());
        JsonNode omega = res.json().get("fit").get("Omega");
        double lo = omega.get("ci95").get(0).asDouble();
        double hi = omega.get("ci95").get(1).asDouble();
        assertTrue(lo < 0.1 && 0.1 < hi, "the true Omega = 0.1 lies in " + omega);
        assertTrue(Files.size(dir.resolve("report").resolve("report.html")) > 1000);
    }

    @Test
    void lindbladAgreesWithTheEffectiveModelAsPublished() throws Exception {
        Path model = dir.resolve("m.json");
        Files.writeString(model, "{\"omega\":1,\"Omega\":0.1,\"kappa\":1,\"eta\":10,\"g\":[1.3,-2.2]}");
        Result full = run("lindblad", "--model", model.toString(), "--times", "0,100,300", "--nmax", "15", "--json");
        assertEquals(0, full.exit(), full.err());
        Result eff = run("evolve", "--model", model.toString(), "--times", "0,100,300", "--json");
        double worst = 0;
        for (int k = 0; k < 3; k++) {
            double sum = 0;
            for (int s = 0; s < 4; s++) {
                double pf = full.json().get("p").get(k).get(s).asDouble();
                sum += pf;
                worst = Math.max(worst, Math.abs(pf - eff.json().get("p").get(k).get(s).asDouble()));
            }
            assertEquals(1, sum, 1e-8, "trace");
        }
        // physics.md §7: max |p_eff - p_full| over t in [0, 300] is 0.0078
        assertTrue(worst > 1e-3 && worst <= 0.0079, "max difference " + worst);
        Result steady = run("lindblad", "--model", model.toString(), "--steady", "--nmax", "15", "--json");
        assertEquals(0, steady.exit(), steady.err());
        assertEquals(4, steady.json().get("p").size());
        Result both = run("lindblad", "--model", model.toString(), "--steady", "--times", "1", "--json");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("times"), both.err());
    }
}
