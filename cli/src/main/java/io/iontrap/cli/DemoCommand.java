package io.iontrap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iontrap.analysis.data.RunData;
import io.iontrap.analysis.data.RunFile;
import io.iontrap.analysis.estimate.Jeffreys;
import io.iontrap.analysis.report.HtmlReport;
import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;
import io.iontrap.model.balance.DetailedBalance;
import io.iontrap.model.master.MasterEquation;
import io.iontrap.model.rates.FlipRates;
import io.iontrap.model.rates.RateAsymptotics;
import io.iontrap.simdevice.DetectionError;
import io.iontrap.simdevice.RateModel;
import io.iontrap.simdevice.SimulatedTrap;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The paper's central results from "measured" data: three experiment files run by the same workflow as
 * {@code iontrap run} on the embedded simulated trap, then analysed.
 * <ol>
 *   <li>N = 2, g = (1.3, -2.2), η = 10: shots from the device's full spin-boson (Lindblad) engine against the
 *       effective model's and the full model's predictions (physics.md §7, Fig. 2a inset), judged by G-tests over
 *       every hold time ({@link ShotComparison}): whether the device samples its own model, and whether the shots
 *       resolve the effective model's difference from it (they do at η = 1: physics, not a device error).</li>
 *   <li>N = 10, g uniform in [-3, 3], from all spins down, η = 10 and η = 0.1: energy distributions over
 *       hold time (Fig. 2a/b: heating vs cooling), measured ⟨E⟩(t) against the effective model.</li>
 *   <li>N = 4, η = 0.05 .. 0.4: β_eff fitted to the late energy distributions against
 *       128η/((η²+4)²(2κ/ω+η)ω²) and its small-η limit 4η.</li>
 * </ol>
 * The Kolmogorov ratio against η (Fig. 3) is computed from the rates (not measured).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Reproduces the paper's central results from shots measured on the embedded simulated trap: "
                + "the N = 2 effective vs full model comparison, the N = 10 energy distributions for eta = 10 and "
                + "eta = 0.1 (heating vs cooling, Fig. 2a/b) and the fitted beta_eff against theory (4 eta).",
                "Model units: omega = kappa = 1, Omega = 0.1 (times in 1/omega, energies in omega^2, beta_eff in "
                        + "1/omega^2); each experiment is mapped to the trap at its fastest feasible lab scale.",
                "Writes OUT/report.html (and OUT/demo.json, the experiment files, run files and analyses); "
                        + "prints where."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--json", description = "print the results as one JSON object")
    boolean json;
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/demo",
            description = "output folder (default: ${DEFAULT-VALUE}); replaced if it holds an earlier demo")
    Path out;
    @Option(names = "--seed", defaultValue = "2024", description = "seed of the N = 10 disorder and of the "
            + "simulated device (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--shots", defaultValue = "1", paramLabel = "F", description = "scale every shot count by F "
            + "(default ${DEFAULT-VALUE}; the tests use less)")
    double shotScale;
    @Option(names = "--open", description = "open the report in a browser (xdg-open) when one is available")
    boolean open;

    private PrintWriter err;
    private final StringBuilder text = new StringBuilder();

    @Override
    public Integer call() throws Exception {
        err = spec.commandLine().getErr();
        long t0 = System.nanoTime();
        Path dir = out.toAbsolutePath().normalize();
        if (Files.exists(dir.resolve(".iontrap-demo"))) {
            deleteTree(dir);
        } else if (Files.isDirectory(dir)) {
            try (var s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new IllegalArgumentException("--out: " + dir + " is not empty and holds no earlier demo; "
                            + "choose another folder");
                }
            }
        }
        Files.createDirectories(dir.resolve("experiments"));
        Files.writeString(dir.resolve(".iontrap-demo"), "written by iontrap demo; the next demo replaces this folder\n");
        for (String t : List.of("trap-ca40-4ion.json", "trap-ca40-6ion.json", "trap-ca40-12ion-fig2.json")) {
            try (InputStream in = DemoCommand.class.getResourceAsStream("examples/" + t)) {
                if (in == null) {
                    throw new IllegalStateException("trap " + t + " missing from the jar");
                }
                Files.write(dir.resolve("experiments").resolve(t), in.readAllBytes());
            }
        }
        ObjectNode report = Json.object();
        HtmlReport html = new HtmlReport("iontrap demo: the paper's central results from simulated measurements");
        html.paragraph("Every number below comes from single shots sampled by the simulated trap (sim-device) through "
                + "the same workflow as iontrap run: experiment file, compiled and checked laser plan, device protocol, "
                + "run file, analysis. Model units: omega = kappa = 1, Omega = 0.1; times in 1/omega, energies in "
                + "omega^2. Each experiment runs at its fastest feasible lab scale on its trap (see plan.json).");
        effectiveVersusFull(dir, report.putObject("n2EffectiveVsFull"), html);
        heatingVersusCooling(dir, report.putObject("fig2"), html);
        betaEff(dir, report.putObject("betaEff"), html);
        kolmogorov(report.putArray("fig3Computed"), html);
        double secs = (System.nanoTime() - t0) / 1e9;
        report.put("seconds", secs);
        line("demo finished in %.0f s", secs);
        html.paragraph(String.format(Locale.ROOT, "Demo wall time: %.0f s.", secs));
        Files.writeString(dir.resolve("report.html"), html.render(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("demo.json"), Json.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsString(report), StandardCharsets.UTF_8);
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            o.println(Json.MAPPER.writeValueAsString(report));
        } else {
            o.print(text);
            o.println("report: " + dir.resolve("report.html"));
        }
        o.flush();
        if (open) {
            openReport(dir.resolve("report.html"));
        }
        return 0;
    }

    private void line(String format, Object... args) {
        text.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    private int shots(int n) {
        return Math.max(20, (int) Math.round(n * shotScale));
    }

    /** Writes an experiment file, runs it through the workflow, analyses it; returns the runner. */
    private ExperimentRunner runExperiment(Path dir, String name, String json) throws IOException {
        Path file = dir.resolve("experiments").resolve(name + ".json");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        ExperimentFile exp = ExperimentFile.read(file);
        ExperimentRunner r = new ExperimentRunner(exp, exp.output(), err, uri -> {
            throw new IllegalStateException("the demo uses the embedded simulated device");
        });
        r.installHook = false;
        List<String> v = r.plan();
        if (!v.isEmpty()) {
            throw new IllegalStateException("demo experiment " + name + " refused: " + v);
        }
        err.println("iontrap demo: " + name + " (" + exp.points().size() + " point(s), "
                + exp.holdTimes().length + " hold times x " + exp.shotsPerTime() + " shots)");
        err.flush();
        int status = r.execute(false);
        if (status != 0) {
            throw new IllegalStateException("demo experiment " + name + " stopped (status " + status + ")");
        }
        r.summary.set("analysis", Json.MAPPER.valueToTree(r.analyse()));
        return r;
    }

    private static String doubles(double[] a) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) {
            b.append(i == 0 ? "" : ", ").append(a[i]);
        }
        return b.append(']').toString();
    }

    /** N = 2: the device's full-model (Lindblad) shots against the effective and the full predictions. */
    private void effectiveVersusFull(Path dir, ObjectNode o, HtmlReport html) throws IOException {
        double[] holds = {0, 10, 30, 100, 300, 1000, 2000};
        double[] etas = {10, 1};
        double[] paper = {0.0078, 0.0034};
        int s = shots(4000);
        String json = "{\n  \"name\": \"n2-effective-vs-full\",\n"
                + "  \"comment\": \"physics.md section 7: N = 2, g = (1.3, -2.2), eta = 10 and 1, from down-down; the "
                + "device samples the full spin-boson model (engine lindblad)\",\n"
                + "  \"model\": {\"omega\": 1, \"Omega\": 0.1, \"kappa\": 1, \"eta\": 10, \"g\": [1.3, -2.2], "
                + "\"units\": \"omega\"},\n"
                + "  \"lab\": {\"units\": \"2pi*kHz\", \"scale\": \"fastest\"},\n"
                + "  \"trap\": \"trap-ca40-4ion.json\",\n"
                + "  \"schedule\": {\"holdTimes\": " + doubles(holds) + ", \"shotsPerTime\": " + s
                + ", \"initial\": \"00\"},\n"
                + "  \"scans\": [{\"parameter\": \"eta\", \"values\": " + doubles(etas) + "}],\n"
                + "  \"device\": \"sim:engine=lindblad,seed=" + seed + "\",\n"
                + "  \"analysis\": {\"fit\": \"Omega,eta\"},\n"
                + "  \"output\": \"../n2-effective-vs-full\"\n}\n";
        ExperimentRunner r = runExperiment(dir, "n2-effective-vs-full", json);
        html.heading("1. N = 2: effective model vs full spin-boson model (physics.md 7, Fig. 2a inset)");
        line("== N = 2, g = (1.3, -2.2) (physics.md 7, Fig. 2a inset): shots sampled from the FULL spin-boson model");
        for (int k = 0; k < etas.length; k++) {
            ExperimentRunner.Planned p = r.points().get(k);
            RunData run = RunFile.read(p.runFile());
            Parameters truth = run.model(); // decoded by the device from the quantised settings (no calibration error)
            List<Double> sec = new ArrayList<>();
            for (double x : p.holdSeconds()) {
                sec.add(x);
            }
            double[][] eff = SimulatedTrap.predictReadout(truth, RateModel.DEFAULT, DetectionError.NONE, sec, "00");
            double[][] full = SimulatedTrap.predictReadoutFullModel(truth, DetectionError.NONE, sec, "00");
            double modelDiff = 0;
            double dEff = 0;
            double dFull = 0;
            double zEff = 0;
            double zFull = 0;
            double groundLast = 0;
            List<List<?>> rows = new ArrayList<>();
            int[][] counts = new int[holds.length][];
            for (int t = 0; t < holds.length; t++) {
                long[] sh = run.shots(t);
                int[] c = new int[4];
                for (long x : sh) {
                    c[(int) x]++;
                }
                counts[t] = c;
                for (int q = 0; q < 4; q++) {
                    double ph = Jeffreys.estimate(c[q], sh.length);
                    double se = Math.sqrt(Jeffreys.variance(c[q], sh.length));
                    modelDiff = Math.max(modelDiff, Math.abs(eff[t][q] - full[t][q]));
                    dEff = Math.max(dEff, Math.abs(ph - eff[t][q]));
                    dFull = Math.max(dFull, Math.abs(ph - full[t][q]));
                    zEff = Math.max(zEff, Math.abs(ph - eff[t][q]) / se);
                    zFull = Math.max(zFull, Math.abs(ph - full[t][q]) / se);
                    rows.add(List.of(holds[t], IsingLandscape.bits(q, 2), ph, se, eff[t][q], full[t][q]));
                }
                if (t == holds.length - 1) {
                    groundLast = (c[1] + c[2]) / (double) sh.length; // the ground configurations 10 and 01
                }
            }
            JsonNode summary = Json.MAPPER.readTree(dir.resolve("n2-effective-vs-full/analysis/run-" + k
                    + "/summary.json").toFile());
            JsonNode fit = summary.get("fit");
            double fitP = summary.path("fitQuality").path("pValue").asDouble(Double.NaN);
            ShotComparison cmp = ShotComparison.of(counts, full, eff);
            String verdict = cmp.verdict(holds, 2, estimate(fit.get("eta")), truth.eta(), fitP);
            ObjectNode x = o.putObject(k == 0 ? "eta10" : "eta1");
            x.put("eta", etas[k]).put("shotsPerTime", s).put("maxEffectiveMinusFull", modelDiff)
                    .put("paperMaxEffectiveMinusFull", paper[k]).put("maxMeasuredMinusEffective", dEff)
                    .put("maxMeasuredMinusFull", dFull).put("maxStandardErrorsFromEffective", zEff)
                    .put("maxStandardErrorsFromFull", zFull).put("groundPopulationAtLastTime", groundLast)
                    .put("trueEta", truth.eta()).put("consistentWithFullModel", cmp.agreesWithFull())
                    .put("effectiveModelRejected", cmp.effectiveRejected())
                    .put("maxStandardErrorsFromFullChance", cmp.maxZChance()).put("verdict", verdict);
            x.putObject("gTestFull").put("G", cmp.full().deviance()).put("dof", cmp.full().dof())
                    .put("p", cmp.full().pValue());
            x.putObject("gTestEffective").put("G", cmp.effective().deviance()).put("dof", cmp.effective().dof())
                    .put("p", cmp.effective().pValue());
            x.set("fit", fit);
            x.put("fitPValue", fitP);
            line("   eta = %g: max |p_eff - p_full| over configurations and hold times 0..2000 = %.4f (physics.md: %.4f "
                    + "over its range)", etas[k], modelDiff, paper[k]);
            line("     measured (%d shots per time) vs effective: max |dp| = %.4f (%.1f standard errors); vs full: "
                    + "%.4f (%.1f); ground configurations at t = 2000: %.3f", s, dEff, zEff, dFull, zFull, groundLast);
            line("     G-test vs full: G = %.1f, df = %d, p = %.2g; vs effective: G = %.1f, df = %d, p = %.2g",
                    cmp.full().deviance(), cmp.full().dof(), cmp.full().pValue(), cmp.effective().deviance(),
                    cmp.effective().dof(), cmp.effective().pValue());
            line("     effective-model fit of the full-model shots: eta = %s (true %.4g, fit p = %.2g)",
                    estimate(fit.get("eta")), truth.eta(), fitP);
            for (String w : wrap(verdict, 100)) {
                line("     %s", w);
            }
            html.paragraph(String.format(Locale.ROOT, "eta = %g. The device sampled these shots from the full model of "
                            + "Eqs. (1)-(2) (Lindblad engine). Largest difference between the effective and the full "
                            + "model's populations: %.4f (physics.md: %.4f). Measured Jeffreys populations (%d shots per "
                            + "hold time) differ from the effective prediction by at most %.4f (%.1f standard errors) "
                            + "and from the full prediction by at most %.4f (%.1f). Ground configurations at t = 2000: "
                            + "%.3f. The effective-model fit gives eta = %s (true %.4g).", etas[k], modelDiff, paper[k],
                    s, dEff, zEff, dFull, zFull, groundLast, estimate(fit.get("eta")), truth.eta()));
            html.paragraph(verdict);
            if (!cmp.agreesWithFull()) {
                html.warning("eta = " + etas[k] + ": " + verdict);
            }
            html.table(List.of("t (1/omega)", "configuration", "measured p", "std. error", "effective p", "full p"),
                    rows);
        }
        line("");
    }

    /** N = 10 from all down at η = 10 (heating) and η = 0.1 (cooling). */
    private void heatingVersusCooling(Path dir, ObjectNode o, HtmlReport html) throws IOException {
        double[] holds = {0, 100, 1000, 10000, 30000, 100000};
        int s = shots(1000);
        String json = "{\n  \"name\": \"fig2-n10\",\n"
                + "  \"comment\": \"Fig. 2a/b: N = 10, g uniform in [-3, 3], Omega = 0.1, kappa = omega = 1, from all "
                + "spins down; eta = 10 heats to the infinite-temperature state, eta = 0.1 cools\",\n"
                + "  \"model\": {\"omega\": 1, \"Omega\": 0.1, \"kappa\": 1, \"eta\": 10, \"disorder\": "
                + "{\"distribution\": \"uniform\", \"width\": 3, \"n\": 10, \"seed\": " + seed + "}, "
                + "\"units\": \"omega\"},\n"
                + "  \"lab\": {\"units\": \"2pi*kHz\", \"scale\": \"fastest\"},\n"
                + "  \"trap\": \"trap-ca40-12ion-fig2.json\",\n"
                + "  \"schedule\": {\"holdTimes\": " + doubles(holds) + ", \"shotsPerTime\": " + s
                + ", \"initial\": \"0000000000\"},\n"
                + "  \"scans\": [{\"parameter\": \"eta\", \"values\": [10, 0.1]}],\n"
                + "  \"device\": \"sim:seed=" + seed + ",max-hold-time=10000\",\n"
                + "  \"analysis\": {\"fit\": \"none\"},\n"
                + "  \"output\": \"../fig2-n10\"\n}\n";
        ExperimentRunner r = runExperiment(dir, "fig2-n10", json);
        html.heading("2. N = 10: heating (eta = 10) vs cooling (eta = 0.1) (Fig. 2a/b)");
        line("== N = 10, g uniform in [-3, 3] (seed %d), from all down (Fig. 2a/b): measured <E>(t) vs effective model",
                seed);
        double[] etas = {10, 0.1};
        String[] labels = {"eta10", "eta0.1"};
        List<List<?>> rows = new ArrayList<>();
        double[][] measured = new double[2][];
        double[][] lo = new double[2][];
        double[][] hi = new double[2][];
        double[][] theory = new double[2][];
        double ground = 0;
        double labSeconds = 0;
        for (int k = 0; k < 2; k++) {
            ExperimentRunner.Planned p = r.points().get(k);
            RunData run = RunFile.read(p.runFile());
            double w = run.model().omega(); // lab omega: model energies = lab / w^2, model times = lab * w
            Parameters model = p.point().model();
            IsingLandscape land = IsingLandscape.of(model);
            ground = land.groundEnergy();
            MasterEquation me = new MasterEquation(land, new FlipRates(model));
            theory[k] = me.meanEnergy(0, holds);
            JsonNode sum = Json.MAPPER.readTree(dir.resolve("fig2-n10/analysis/run-" + k + "/summary.json").toFile());
            measured[k] = new double[holds.length];
            lo[k] = new double[holds.length];
            hi[k] = new double[holds.length];
            int t = 0;
            for (JsonNode e : sum.get("meanEnergy")) {
                measured[k][t] = e.get("value").asDouble() / (w * w);
                lo[k][t] = e.get("ci95").get(0).asDouble() / (w * w);
                hi[k][t] = e.get("ci95").get(1).asDouble() / (w * w);
                t++;
            }
            ObjectNode x = o.putObject(labels[k]);
            Json.putArray(x, "meanEnergyMeasured", measured[k]);
            Json.putArray(x, "meanEnergyLo", lo[k]);
            Json.putArray(x, "meanEnergyHi", hi[k]);
            Json.putArray(x, "meanEnergyTheory", theory[k]);
            x.put("labOmegaRadPerSecond", w * 2 * Math.PI * 1e3);
            x.put("longestHoldSeconds", p.holdSeconds()[holds.length - 1]);
            labSeconds = Math.max(labSeconds, p.holdSeconds()[holds.length - 1]);
        }
        Json.putArray(o, "holdTimes", holds);
        o.put("groundEnergy", ground).put("shotsPerTime", s);
        line("%10s %26s %12s %26s %12s", "t (1/w)", "<E> eta=10 measured", "theory", "<E> eta=0.1 measured", "theory");
        for (int t = 0; t < holds.length; t++) {
            line("%10.0f %10.3f [%6.2f, %6.2f] %12.3f %10.3f [%6.2f, %6.2f] %12.3f", holds[t], measured[0][t], lo[0][t],
                    hi[0][t], theory[0][t], measured[1][t], lo[1][t], hi[1][t], theory[1][t]);
            rows.add(List.of(holds[t], measured[0][t], lo[0][t] + " .. " + hi[0][t], theory[0][t], measured[1][t],
                    lo[1][t] + " .. " + hi[1][t], theory[1][t]));
        }
        line("   E_min = %.3f; infinite temperature <E> = 0. Longest hold in the lab: %.0f s per shot (eta = 0.1 "
                + "cooling is slow, ~1e5/omega)", ground, labSeconds);
        line("");
        html.paragraph(String.format(Locale.ROOT, "g uniform in [-3, 3] (seed %d), E_min = %.3f, infinite-temperature "
                + "<E> = 0, %d shots per hold time. Measured mean energy (95%% interval) against the effective master "
                + "equation. On the trap (Fig. 2 variant of the 12-ion example, 729 nm beam at 55 degrees) the "
                + "longest hold is %.0f s per shot: the eta = 0.1 cooling takes ~1e5/omega.", seed, ground, s,
                labSeconds));
        html.table(List.of("t (1/omega)", "<E> eta=10", "95%", "theory", "<E> eta=0.1", "95%", "theory"), rows);
        imageIfExists(html, "eta = 10: energy distribution P(E) over hold time (heating to infinite temperature)",
                dir.resolve("fig2-n10/analysis/run-0/energy-distribution.png"));
        imageIfExists(html, "eta = 0.1: energy distribution P(E) over hold time (cooling to low energies)",
                dir.resolve("fig2-n10/analysis/run-1/energy-distribution.png"));
    }

    /** N = 4, η scan: β_eff fitted to the late energy distributions against theory. */
    private void betaEff(Path dir, ObjectNode o, HtmlReport html) throws IOException {
        double[] holds = {0, 3000, 10000, 30000, 60000, 100000};
        double[] etas = {0.05, 0.1, 0.2, 0.4};
        int s = shots(3000);
        String json = "{\n  \"name\": \"beta-eff-scan\",\n"
                + "  \"comment\": \"beta_eff from the late energy distributions of four spins against 4 eta (Fig. 2c-e "
                + "from data)\",\n"
                + "  \"model\": {\"omega\": 1, \"Omega\": 0.1, \"kappa\": 1, \"eta\": 0.1, \"g\": [1.1, -0.9, 1.3, "
                + "-0.7], \"units\": \"omega\"},\n"
                + "  \"lab\": {\"units\": \"2pi*kHz\", \"scale\": \"fastest\"},\n"
                + "  \"trap\": \"trap-ca40-6ion.json\",\n"
                + "  \"schedule\": {\"holdTimes\": " + doubles(holds) + ", \"shotsPerTime\": " + s
                + ", \"initial\": \"0000\"},\n"
                + "  \"scans\": [{\"parameter\": \"eta\", \"values\": " + doubles(etas) + "}],\n"
                + "  \"device\": \"sim:seed=" + seed + ",detection-error=0.01,max-hold-time=10000\",\n"
                + "  \"analysis\": {\"fit\": \"Omega,eta\"},\n"
                + "  \"output\": \"../beta-eff-scan\"\n}\n";
        ExperimentRunner r = runExperiment(dir, "beta-eff-scan", json);
        line("== beta_eff from measured late energy distributions, N = 4 (units 1/omega^2)");
        line("%8s %12s %24s %12s %10s %14s", "eta", "fitted eta", "beta_eff measured [95%]", "theory", "4 eta",
                "theory inside");
        html.heading("3. beta_eff from data against theory (Fig. 2c-e)");
        List<List<?>> rows = new ArrayList<>();
        ArrayNode a = o.putArray("points");
        for (int k = 0; k < etas.length; k++) {
            RunData run = RunFile.read(r.points().get(k).runFile());
            double w2 = run.model().omega() * run.model().omega();
            JsonNode sum = Json.MAPPER.readTree(dir.resolve("beta-eff-scan/analysis/run-" + k + "/summary.json").toFile());
            JsonNode b = sum.get("betaEff");
            double v = b.get("value").asDouble() * w2;
            double l = b.get("ci95").get(0).isNull() ? Double.NaN : b.get("ci95").get(0).asDouble() * w2;
            double h = b.get("ci95").get(1).isNull() ? Double.NaN : b.get("ci95").get(1).asDouble() * w2;
            double th = RateAsymptotics.betaEff(1, 1, etas[k]);
            double fe = sum.get("fit").has("eta") ? sum.get("fit").get("eta").get("value").asDouble() : Double.NaN;
            boolean inside = l <= th && th <= h;
            line("%8.3g %12.4g %10.4f [%5.3f, %5.3f] %12.4f %10.3f %14s", etas[k], fe, v, l, h, th, 4 * etas[k], inside);
            rows.add(List.of(etas[k], fe, v, l + " .. " + h, th, 4 * etas[k], inside));
            a.addObject().put("eta", etas[k]).put("fittedEta", fe).put("betaEff", v).put("lo", l).put("hi", h)
                    .put("theory", th).put("fourEta", 4 * etas[k]).put("theoryInside", inside);
        }
        line("   theory: beta_eff = 128 eta/((eta^2+4)^2 (2 kappa/omega + eta) omega^2) -> 4 eta as eta -> 0; the");
        line("   Boltzmann form holds in the small-jump regime: as eta grows the stationary state departs from it");
        line("   (detailed balance is broken in between, physics.md 5) and the fitted beta_eff drifts from theory");
        line("");
        html.paragraph("Four spins g = (1.1, -0.9, 1.3, -0.7), " + s + " shots per hold time, detection error 1% "
                + "(calibrated, applied forward in the fits). beta_eff is the Boltzmann fit of the energy-level counts "
                + "pooled over the late hold times, in 1/omega^2. The Boltzmann form holds in the small-jump regime; as eta "
                + "grows the stationary state departs from it (detailed balance is broken, physics.md 5) and the fitted "
                + "value drifts from the theory.");
        html.table(List.of("eta", "fitted eta", "beta_eff measured", "95%", "theory", "4 eta", "theory inside"), rows);
        imageIfExists(html, "beta_eff against eta (lab units 1/(2pi kHz)^2: the common lab scale of the scan)",
                dir.resolve("beta-eff-scan/analysis/beta-eff-vs-eta.png"));
    }

    /** Fig. 3, computed (a measured Kolmogorov ratio needs far more shots than a demo takes). */
    private void kolmogorov(ArrayNode rows, HtmlReport html) {
        double[] g = {1.3, -2.2};
        line("== Detailed balance, two spins g = (1.3, -2.2) (Fig. 3, computed from the rates): Kolmogorov ratio");
        List<List<?>> t = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        for (double eta : new double[] {0.01, 0.1, 0.3, 1, 3, 10, 100}) {
            Parameters p = Parameters.withEta(1, 0.1, 1, eta, g);
            double ratio = DetailedBalance.kolmogorovRatio(IsingLandscape.of(p), new FlipRates(p), 0, 0, 1);
            b.append(String.format(Locale.ROOT, " eta=%g: %.5f;", eta, ratio));
            rows.addObject().put("eta", eta).put("ratio", ratio);
            t.add(List.of(eta, ratio));
        }
        line("  %s (1 = detailed balance)", b.toString().trim());
        html.heading("4. Detailed balance (Fig. 3), computed from the rates");
        html.paragraph("Kolmogorov ratio of the two-spin loop; 1 means detailed balance. It tends to 1 for small and "
                + "large eta and differs in between (non-equilibrium stationary currents).");
        html.table(List.of("eta", "Kolmogorov ratio"), t);
    }

    /** Splits a paragraph into lines of at most about {@code width} characters, at spaces. */
    static List<String> wrap(String text, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        for (String w : text.split(" ")) {
            if (b.length() > 0 && b.length() + 1 + w.length() > width) {
                out.add(b.toString());
                b.setLength(0);
            }
            b.append(b.length() > 0 ? " " : "").append(w);
        }
        if (b.length() > 0) {
            out.add(b.toString());
        }
        return out;
    }

    private static String estimate(JsonNode e) {
        if (e == null || e.isNull()) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.4g [%s, %s]", e.get("value").asDouble(),
                e.get("ci95").get(0).isNull() ? "-inf" : String.format(Locale.ROOT, "%.4g", e.get("ci95").get(0).asDouble()),
                e.get("ci95").get(1).isNull() ? "inf" : String.format(Locale.ROOT, "%.4g", e.get("ci95").get(1).asDouble()));
    }

    private static void imageIfExists(HtmlReport html, String caption, Path png) throws IOException {
        if (Files.exists(png)) {
            html.image(caption, Files.readAllBytes(png));
        }
    }

    private void openReport(Path report) {
        for (String exe : new String[] {"/usr/bin/xdg-open", "/usr/local/bin/xdg-open"}) {
            if (Files.isExecutable(Path.of(exe)) && System.getenv("DISPLAY") != null) {
                try {
                    new ProcessBuilder(exe, report.toString()).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    return;
                } catch (IOException e) {
                    err.println("iontrap demo: could not open the report: " + e.getMessage());
                    return;
                }
            }
        }
        err.println("iontrap demo: no browser to open (xdg-open and DISPLAY needed); open " + report);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
