package io.iontrap.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iontrap.analysis.data.InputFormatException;
import io.iontrap.analysis.data.RunData;
import io.iontrap.analysis.data.RunFile;
import io.iontrap.analysis.data.ShotCsv;
import io.iontrap.analysis.fit.FitSpec;
import io.iontrap.analysis.fit.ModelPrediction;
import io.iontrap.analysis.fit.RateModels;
import io.iontrap.analysis.fit.MasterEquationPropagator;
import io.iontrap.analysis.plot.Plots;
import io.iontrap.model.Parameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalysisTest {
    @TempDir
    Path dir;

    static final Parameters TRUTH = Parameters.withEta(1, 0.1, 1, 1.0, 1.3, -2.2);
    static final double[] TIMES = {0, 25, 50, 100, 200, 400, 800, 1600, 4000};

    static RunData synthetic(long seed) {
        double[] p0 = {1, 0, 0, 0};
        double[][] p = new ModelPrediction(TRUTH, RateModels.exact(), new MasterEquationPropagator(), p0)
                .populations(TRUTH.drive(), TRUTH.eta(), TIMES);
        return Synthetic.run(TRUTH, TIMES, p, 1000, 0, null, seed).toBuilder().units("2pi*kHz").build();
    }

    @Test
    void runFileEndToEnd() throws Exception {
        Path file = dir.resolve("run.h5");
        RunFile.write(synthetic(1), file);
        Path out = dir.resolve("out");
        Parameters nominal = Parameters.withEta(1, 0.12, 1, 1.3, 1.3, -2.2);
        Map<String, Object> summary = Analysis.run(file, nominal, FitSpec.parse("Omega,eta"), out);
        JsonNode json = new ObjectMapper().readTree(Files.readString(out.resolve(Analysis.SUMMARY)));
        JsonNode omega = json.get("fit").get("Omega");
        double lo = omega.get("ci95").get(0).asDouble();
        double hi = omega.get("ci95").get(1).asDouble();
        assertTrue(lo <= 0.1 && 0.1 <= hi, "Omega interval [" + lo + ", " + hi + "] covers the truth 0.1");
        JsonNode eta = json.get("fit").get("eta");
        assertTrue(eta.get("ci95").get(0).asDouble() <= 1.0 && 1.0 <= eta.get("ci95").get(1).asDouble(), eta.toString());
        assertNotNull(json.get("betaEff").get("value"));
        assertEquals(2, json.get("betaEff").get("ci95").size());
        assertTrue(json.get("detailedBalance").get("pValue").isNumber());
        assertTrue(json.get("detailedBalance").get("statistic").isNumber());
        assertTrue(json.get("fitQuality").get("pValue").asDouble() > 0.001, json.get("fitQuality").toString());
        assertEquals(summary.get("shots"), 9000L);
        assertEquals(4, json.get("populations").get("mostFrequent").size());
        for (String png : new String[] {"energy-distribution.png", "fit-populations.png", "rate-ratio.png",
                "log-ratio-over-dE.png", "kolmogorov.png"}) {
            PngCheck.assertPlot(out.resolve(png), Plots.WIDTH, Plots.HEIGHT);
        }
        String html = Files.readString(out.resolve(Analysis.REPORT));
        assertTrue(html.contains("data:image/png;base64,"));
        assertTrue(html.contains("Model fit"));
        assertFalse(html.contains("src=\"energy"), "images embedded, not linked");
        System.out.println("summary: " + json.get("fit") + " betaEff " + json.get("betaEff") + " db "
                + json.get("detailedBalance").get("pValue"));
    }

    @Test
    void csvWithoutModelStillEstimates() throws Exception {
        Path csv = dir.resolve("shots.csv");
        ShotCsv.write(synthetic(2), csv);
        Path out = dir.resolve("out");
        Analysis.run(csv, null, FitSpec.defaults(), out);
        JsonNode json = new ObjectMapper().readTree(Files.readString(out.resolve(Analysis.SUMMARY)));
        assertEquals(0, json.get("fit").size());
        assertTrue(json.get("detailedBalance").get("pValue").isNull());
        assertTrue(json.get("warnings").toString().contains("no model"));
        assertEquals(9, json.get("magnetisation").size());
    }

    @Test
    void csvWithModelFitsAndNotesTheGuessedInitialState() throws Exception {
        Path csv = dir.resolve("shots.csv");
        ShotCsv.write(synthetic(3), csv);
        Path out = dir.resolve("out");
        Map<String, Object> s = Analysis.run(csv, TRUTH, FitSpec.parse("Omega"), out,
                new Analysis.Options().plots(false));
        assertTrue(s.get("warnings").toString().contains("initial configuration unknown: assumed 00"));
        assertTrue(((Map<?, ?>) s.get("fit")).containsKey("Omega"));
    }

    @Test
    void badInputIsRefusedWithItsName() throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "t,shot,state\n0,0,0a\n");
        InputFormatException e = assertThrows(InputFormatException.class,
                () -> Analysis.run(bad, null, FitSpec.defaults(), dir.resolve("o")));
        assertTrue(e.getMessage().contains("line 2, column 6"), e.getMessage());
        IllegalArgumentException wrongN = assertThrows(IllegalArgumentException.class, () -> {
            Path csv = dir.resolve("ok.csv");
            ShotCsv.write(synthetic(4), csv);
            Analysis.run(csv, Parameters.withEta(1, 0.1, 1, 1, 1, 2, 3), FitSpec.defaults(), dir.resolve("o"));
        });
        assertTrue(wrongN.getMessage().contains("3 couplings but the shots have N = 2"), wrongN.getMessage());
        IllegalArgumentException fit = assertThrows(IllegalArgumentException.class, () -> FitSpec.parse("Omega,gamma"));
        assertTrue(fit.getMessage().contains("unknown parameter \"gamma\""));
    }

    @Test
    void incompleteRunWithAnEmptyLastTimeIsAnalysed() throws Exception {
        RunData full = synthetic(5);
        long[][] shots = new long[full.timeCount()][];
        for (int t = 0; t < shots.length; t++) {
            shots[t] = t == shots.length - 1 ? new long[0] : t == shots.length - 2
                    ? java.util.Arrays.copyOf(full.shots(t), 300) : full.shots(t);
        }
        RunData partial = full.toBuilder().shots(shots).complete(false).build();
        Path file = dir.resolve("partial.h5");
        RunFile.write(partial, file);
        Map<String, Object> s = Analysis.run(file, null, FitSpec.parse("Omega"), dir.resolve("out"),
                new Analysis.Options().plots(false));
        assertTrue(s.get("warnings").toString().contains("incomplete run"), s.get("warnings").toString());
        assertTrue(((Map<?, ?>) s.get("fit")).containsKey("Omega"));
        assertNotNull(s.get("betaEff"));
        JsonNode json = new ObjectMapper().readTree(Files.readString(dir.resolve("out").resolve(Analysis.SUMMARY)));
        assertTrue(json.get("meanEnergy").get(8).get("value").isNull(), "no shots: no mean energy");
    }

    @Test
    void scanOverEtaGivesBetaEffAgainstEta() throws Exception {
        List<Path> files = new java.util.ArrayList<>();
        double[] etas = {0.3, 1.0, 3.0};
        for (int k = 0; k < etas.length; k++) {
            Parameters truth = Parameters.withEta(1, 0.1, 1, etas[k], 1.3, -2.2);
            double[][] p = new ModelPrediction(truth, RateModels.exact(), new MasterEquationPropagator(),
                    new double[] {1, 0, 0, 0}).populations(0.1, etas[k], TIMES);
            Path f = dir.resolve("eta" + k + ".h5");
            RunFile.write(Synthetic.run(truth, TIMES, p, 500, 0, null, 40 + k), f);
            files.add(f);
        }
        Path out = dir.resolve("scan");
        Map<String, Object> s = Analysis.scan(files, null, FitSpec.parse("Omega"), out, new Analysis.Options().plots(false));
        assertEquals(3, ((List<?>) s.get("runs")).size());
        PngCheck.assertPlot(out.resolve("beta-eff-vs-eta.png"), Plots.WIDTH, Plots.HEIGHT);
        PngCheck.assertPlot(out.resolve("kolmogorov-vs-eta.png"), Plots.WIDTH, Plots.HEIGHT);
        assertTrue(Files.isRegularFile(out.resolve("run-2").resolve(Analysis.SUMMARY)));
        JsonNode json = new ObjectMapper().readTree(Files.readString(out.resolve("scan.json")));
        assertEquals(1.0, json.get("runs").get(1).get("eta").asDouble(), 1e-12);
        assertTrue(json.get("runs").get(1).get("betaEff").get("value").isNumber());
    }

    @Test
    void aFailingStepBecomesAWarningAndTheRestIsWritten() throws Exception {
        Path file = dir.resolve("run.h5");
        RunFile.write(synthetic(9), file);
        Path out = dir.resolve("out");
        Map<String, Object> s = Analysis.run(file, null, FitSpec.defaults(), out, new Analysis.Options()
                .rateModel("broken", p -> {
                    throw new IllegalStateException("rate tables unavailable");
                }));
        String w = s.get("warnings").toString();
        assertTrue(w.contains("fit failed: java.lang.IllegalStateException: rate tables unavailable"), w);
        assertTrue(w.contains("detailed-balance test failed"), w);
        assertNotNull(s.get("betaEff"), "beta_eff does not need the rate model");
        assertTrue(Files.isRegularFile(out.resolve(Analysis.REPORT)));
        JsonNode json = new ObjectMapper().readTree(Files.readString(out.resolve(Analysis.SUMMARY)));
        assertEquals(0, json.get("fit").size());
        assertTrue(json.get("detailedBalance").get("pValue").isNull());
    }
}
