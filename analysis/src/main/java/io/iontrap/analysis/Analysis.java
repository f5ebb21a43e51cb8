package io.iontrap.analysis;

import io.iontrap.analysis.data.InputFormatException;
import io.iontrap.analysis.data.RunData;
import io.iontrap.analysis.data.RunFile;
import io.iontrap.analysis.data.ShotCsv;
import io.iontrap.analysis.estimate.DetectionCorrection;
import io.iontrap.analysis.estimate.Estimate;
import io.iontrap.analysis.estimate.Estimators;
import io.iontrap.analysis.estimate.Jeffreys;
import io.iontrap.analysis.estimate.ShotCounts;
import io.iontrap.analysis.fit.BoltzmannFit;
import io.iontrap.analysis.fit.DetailedBalanceTest;
import io.iontrap.analysis.fit.FitResult;
import io.iontrap.analysis.fit.FitSpec;
import io.iontrap.analysis.fit.ModelPrediction;
import io.iontrap.analysis.fit.ParameterEstimate;
import io.iontrap.analysis.fit.PopulationFit;
import io.iontrap.analysis.fit.Propagator;
import io.iontrap.analysis.fit.RateModels;
import io.iontrap.analysis.fit.Stationarity;
import io.iontrap.analysis.fit.MasterEquationPropagator;
import io.iontrap.analysis.plot.Plots;
import io.iontrap.analysis.report.HtmlReport;
import io.iontrap.analysis.report.Json;
import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;
import io.iontrap.model.SpinFlipRates;
import io.iontrap.model.balance.DetailedBalance;
import io.iontrap.model.rates.RateAsymptotics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jfree.chart.JFreeChart;

/**
 * The single entry point of the analysis ({@code iontrap analyze}): reads a run file or CSV,
 * estimates populations, magnetisations and energy distributions, fits the model, measures
 * β_eff and tests detailed balance, draws the plots, and writes {@code summary.json},
 * {@code report.html} and the PNGs into the output folder. Returns the summary as plain
 * maps and lists (what {@code summary.json} holds), so a caller can print it with any JSON
 * library. Non-finite numbers (open interval ends) are {@code null} in the JSON.
 */
public final class Analysis {
    public static final String SUMMARY = "summary.json";
    public static final String REPORT = "report.html";

    private Analysis() {
    }

    /**
     * Solver and rate choices. Defaults: the exact rates of Eq. (3) ({@code FlipRates}) and the
     * model's {@code MasterEquation}.
     */
    public static final class Options {
        Function<Parameters, SpinFlipRates> rateModel = RateModels.exact();
        String rateModelName = "exact Eq. 3 (FlipRates)";
        Propagator propagator = new MasterEquationPropagator();
        boolean plots = true;
        int maxFitIons = 12;

        public Options rateModel(String name, Function<Parameters, SpinFlipRates> model) {
            this.rateModelName = name;
            this.rateModel = model;
            return this;
        }

        public Options propagator(Propagator p) {
            this.propagator = p;
            return this;
        }

        public Options plots(boolean on) {
            this.plots = on;
            return this;
        }

        /** Largest N for which the model is fitted (the master equation has 2^N states). */
        public Options maxFitIons(int n) {
            this.maxFitIons = n;
            return this;
        }
    }

    /** {@link #run(Path, Parameters, FitSpec, Path, Options)} with default options. */
    public static Map<String, Object> run(Path input, Parameters model, FitSpec fit, Path outDir) throws IOException {
        return run(input, model, fit, outDir, new Options());
    }

    /**
     * @param input  an HDF5 run file (recognised by its signature) or a {@code t,shot,state} CSV file
     * @param model  the model to use, or null to take the run file's {@code /model}
     * @param fit    which parameters to fit (e.g. {@code FitSpec.parse("Omega,eta,spam")})
     * @param outDir created if missing; receives summary.json, report.html and *.png
     * @throws InputFormatException for an unreadable or malformed input, naming the problem
     */
    public static Map<String, Object> run(Path input, Parameters model, FitSpec fit, Path outDir, Options options)
            throws IOException {
        List<String> warnings = new ArrayList<>();
        RunData run = read(input, warnings);
        return run(run, input.getFileName().toString(), warnings, model, fit, outDir, options);
    }

    /** Reads a run file or CSV, deciding by the HDF5 signature. */
    public static RunData read(Path input, List<String> warnings) throws IOException {
        if (!Files.isRegularFile(input)) {
            throw new InputFormatException("input " + input + ": no such file");
        }
        byte[] head = new byte[8];
        int got;
        try (InputStream in = Files.newInputStream(input)) {
            got = in.readNBytes(head, 0, 8);
        }
        boolean hdf5 = got == 8 && (head[0] & 0xff) == 0x89 && head[1] == 'H' && head[2] == 'D' && head[3] == 'F';
        if (hdf5 || input.toString().endsWith(".h5") || input.toString().endsWith(".hdf5")) {
            return RunFile.read(input, warnings);
        }
        return ShotCsv.read(input);
    }

    /** Analyses an in-memory run (the workflow can call this without writing a file first). */
    public static Map<String, Object> run(RunData run, String inputName, List<String> warnings, Parameters model,
                                          FitSpec fit, Path outDir, Options options) throws IOException {
        return new Job(run, inputName, new ArrayList<>(warnings), model, fit, outDir, options).execute();
    }

    private static final class Job {
        final RunData run;
        final String inputName;
        final List<String> warnings;
        final FitSpec fitSpec;
        final Path outDir;
        final Options options;
        final Parameters model;
        final Map<String, Object> summary = new LinkedHashMap<>();
        final HtmlReport report;
        final Map<String, String> files = new LinkedHashMap<>();
        final double level;

        Job(RunData run, String inputName, List<String> warnings, Parameters modelOverride, FitSpec fit, Path outDir,
            Options options) {
            this.run = run;
            this.inputName = inputName;
            this.warnings = warnings;
            this.fitSpec = fit == null ? FitSpec.defaults() : fit;
            this.outDir = outDir;
            this.options = options;
            this.level = this.fitSpec.level();
            if (modelOverride != null && modelOverride.size() != run.ions()) {
                throw new IllegalArgumentException("--model has " + modelOverride.size() + " couplings but the shots have N = "
                        + run.ions() + " ions");
            }
            if (modelOverride != null && run.model() != null && !modelOverride.toString().equals(run.model().toString())) {
                warnings.add("the model given replaces the run file's /model");
            }
            this.model = modelOverride != null ? modelOverride : run.model();
            this.report = new HtmlReport("iontrap analysis: " + inputName);
        }

        Map<String, Object> execute() throws IOException {
            Files.createDirectories(outDir);
            String units = run.units();
            summary.put("input", inputName);
            summary.put("ions", run.ions());
            summary.put("holdTimes", run.times());
            summary.put("shots", run.totalRecorded());
            summary.put("complete", run.complete());
            summary.put("units", units);
            summary.put("rateModel", options.rateModelName);
            summary.put("confidenceLevel", level);
            Map<String, Object> runInfo = HtmlReport.rows();
            runInfo.put("input", inputName);
            runInfo.put("ions N", run.ions());
            runInfo.put("hold times", run.timeCount() + " from " + HtmlReport.text(min(run.times())) + " to "
                    + HtmlReport.text(max(run.times())) + (units == null ? "" : " (1/(" + units + "))"));
            runInfo.put("shots recorded", run.totalRecorded());
            runInfo.put("complete", run.complete());
            runInfo.put("initial configuration", run.initial() < 0 ? "unknown" : IsingLandscape.bits(run.initial(), run.ions()));
            runInfo.put("model", model == null ? "none" : model.toString());
            runInfo.put("rate model", options.rateModelName);
            runInfo.putAll(run.provenance());
            report.heading("Run").keyValues(runInfo);
            if (!run.complete()) {
                warnings.add("the run is incomplete: analysed the " + run.totalRecorded() + " shots recorded");
            }
            IsingLandscape landscape = model == null ? null : IsingLandscape.of(model);
            if (model == null) {
                warnings.add("no model (give --model FILE): energies, fits, beta_eff and the detailed-balance test are skipped");
            } else {
                warnings.addAll(model.validityWarnings());
            }
            magnetisations();
            if (landscape != null) {
                energies(landscape);
            }
            ShotCounts counts = null;
            if (run.ions() <= ShotCounts.MAX_DENSE_IONS) {
                counts = ShotCounts.of(run);
            } else {
                warnings.add("N = " + run.ions() + " > " + ShotCounts.MAX_DENSE_IONS
                        + ": configuration populations are not enumerated");
            }
            if (counts != null) {
                populations(counts);
            }
            FitResult fitResult = null;
            if (model != null && counts != null) {
                final ShotCounts c = counts;
                fitResult = guarded("fit", () -> fit(c));
                if (fitResult == null && !summary.containsKey("fit")) {
                    summary.put("fit", Map.of());
                }
                final FitResult fr = fitResult;
                guarded("betaEff", () -> {
                    betaEff(c, landscape, fr);
                    return null;
                });
                if (!summary.containsKey("betaEff")) {
                    summary.put("betaEff", null);
                }
                guarded("detailed-balance test", () -> {
                    detailedBalance(c, landscape, fr);
                    return null;
                });
                if (!summary.containsKey("detailedBalance")) {
                    summary.put("detailedBalance", Map.of("statistic", Double.NaN, "pValue", Double.NaN,
                            "reason", "the test failed, see warnings"));
                }
                if (options.plots) {
                    guarded("theory plots", () -> {
                        theoryPlots(landscape, fr);
                        return null;
                    });
                }
            } else {
                summary.put("fit", Map.of());
                summary.put("betaEff", null);
                summary.put("detailedBalance", Map.of("statistic", Double.NaN, "pValue", Double.NaN,
                        "reason", model == null ? "no model" : "N too large"));
            }
            summary.put("warnings", warnings);
            summary.put("files", files);
            for (String w : warnings) {
                report.warning(w);
            }
            files.put("summary", SUMMARY);
            files.put("report", REPORT);
            write(outDir.resolve(REPORT), report.render());
            write(outDir.resolve(SUMMARY), Json.write(summary));
            return summary;
        }

        interface Step<T> {
            T run() throws IOException;
        }

        /**
         * Runs one part of the analysis; a numerical failure there becomes a warning instead of
         * losing the rest of the report (I/O errors still propagate).
         */
        <T> T guarded(String what, Step<T> step) throws IOException {
            try {
                return step.run();
            } catch (IOException | InputFormatException e) {
                throw e;
            } catch (RuntimeException e) {
                warnings.add(what + " failed: " + e);
                return null;
            }
        }

        /** The most frequent configurations at the latest hold time, raw and detection-corrected. */
        void populations(ShotCounts counts) {
            int last = 0;
            for (int t = 1; t < counts.timeCount(); t++) {
                if (counts.time(t) >= counts.time(last)) {
                    last = t;
                }
            }
            Estimate[] raw = Estimators.populations(counts, level)[last];
            Estimate[] corrected = null;
            if (run.detectionError() != null && counts.total(last) > 0) {
                corrected = new DetectionCorrection(run.detectionError()).correct(counts.frequencies(last),
                        counts.total(last), level);
            }
            Integer[] order = new Integer[counts.states()];
            for (int s = 0; s < order.length; s++) {
                order[s] = s;
            }
            final int lt = last;
            Arrays.sort(order, (a, b) -> Integer.compare(counts.count(lt, b), counts.count(lt, a)));
            List<Object> rows = new ArrayList<>();
            List<List<?>> table = new ArrayList<>();
            for (int k = 0; k < Math.min(10, order.length); k++) {
                int s = order[k];
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("state", IsingLandscape.bits(s, run.ions()));
                row.put("count", counts.count(last, s));
                row.putAll(estimate(raw[s]));
                if (corrected != null) {
                    row.put("corrected", estimate(corrected[s]));
                }
                rows.add(row);
                table.add(corrected == null
                        ? List.of(IsingLandscape.bits(s, run.ions()), counts.count(last, s), raw[s].value(), raw[s].lo(),
                        raw[s].hi())
                        : List.of(IsingLandscape.bits(s, run.ions()), counts.count(last, s), raw[s].value(), raw[s].lo(),
                        raw[s].hi(), corrected[s].value(), corrected[s].lo(), corrected[s].hi()));
            }
            Map<String, Object> pop = new LinkedHashMap<>();
            pop.put("t", counts.time(last));
            pop.put("shots", counts.total(last));
            pop.put("mostFrequent", rows);
            summary.put("populations", pop);
            List<String> header = new ArrayList<>(List.of("configuration", "count", "Jeffreys", "lo", "hi"));
            if (corrected != null) {
                header.addAll(List.of("corrected for detection errors", "lo", "hi"));
            }
            report.heading("Most frequent configurations at the last hold time (t = " + HtmlReport.text(counts.time(last))
                    + ", " + counts.total(last) + " shots)").table(header, table);
        }

        void magnetisations() {
            Estimate[][] m = Estimators.magnetisations(run, level);
            List<Object> rows = new ArrayList<>();
            for (int t = 0; t < run.timeCount(); t++) {
                List<Object> per = new ArrayList<>();
                for (Estimate e : m[t]) {
                    per.add(estimate(e));
                }
                rows.add(Map.of("t", run.time(t), "sigma", per));
            }
            summary.put("magnetisation", rows);
            int last = run.timeCount() - 1;
            List<List<?>> table = new ArrayList<>();
            for (int i = 0; i < run.ions(); i++) {
                Estimate e = m[last][i];
                table.add(List.of(i, e.value(), e.lo(), e.hi()));
            }
            report.heading("Magnetisations at the last hold time (t = " + HtmlReport.text(run.time(last)) + ")")
                    .table(List.of("ion", "<sigma_i>", "lo", "hi"), table);
        }

        void energies(IsingLandscape landscape) throws IOException {
            Estimate[] mean = Estimators.meanEnergy(run, landscape, level);
            List<Object> rows = new ArrayList<>();
            List<Plots.Point> pts = new ArrayList<>();
            for (int t = 0; t < run.timeCount(); t++) {
                rows.add(Map.of("t", run.time(t), "value", mean[t].value(), "ci95", List.of(mean[t].lo(), mean[t].hi())));
                pts.add(new Plots.Point(t, mean[t].value(), mean[t].lo(), mean[t].hi()));
            }
            summary.put("meanEnergy", rows);
            summary.put("groundEnergy", landscape.groundEnergy());
            if (!options.plots) {
                return;
            }
            double lo = landscape.groundEnergy();
            double hi = 0.25 * Arrays.stream(model.g()).map(g -> g * g).sum();
            int bins = 40;
            double[] edges = new double[bins + 1];
            for (int b = 0; b <= bins; b++) {
                edges[b] = lo + (hi - lo) * b / bins;
            }
            double[][] dist = new double[run.timeCount()][bins];
            for (int t = 0; t < run.timeCount(); t++) {
                double[] e = Estimators.shotEnergies(run, landscape, t);
                for (double v : e) {
                    int b = (int) Math.floor((v - lo) / (hi - lo) * bins);
                    dist[t][Math.max(0, Math.min(bins - 1, b))] += 1.0 / e.length;
                }
            }
            JFreeChart chart = Plots.energyHeatMap("Energy distribution and <E>(t)", run.times(), edges, dist, pts,
                    run.units());
            plot("energy-distribution.png", "Energy distribution over hold time (colour), <E>(t) with "
                    + pct() + " intervals (red); ground energy " + HtmlReport.text(lo), chart);
        }

        FitResult fit(ShotCounts counts) throws IOException {
            if (run.ions() > options.maxFitIons) {
                warnings.add("N = " + run.ions() + " > " + options.maxFitIons + ": the model is not fitted");
                summary.put("fit", Map.of());
                return null;
            }
            double[] p0 = initialDistribution(counts);
            ModelPrediction prediction = new ModelPrediction(model, options.rateModel, options.propagator, p0);
            PopulationFit fit = new PopulationFit(counts, prediction, run.detectionError());
            FitResult r = fit.fit(fitSpec);
            warnings.addAll(r.warnings());
            Map<String, Object> fitted = new LinkedHashMap<>();
            List<List<?>> table = new ArrayList<>();
            for (ParameterEstimate p : r.parameters().values()) {
                if (!p.fixed()) {
                    fitted.put(p.name(), estimate(p));
                }
                table.add(List.of(p.name(), p.value(), p.lo(), p.hi(), p.method(), p.unit()));
            }
            summary.put("fit", fitted);
            Map<String, Object> quality = new LinkedHashMap<>();
            quality.put("logLikelihood", r.logLikelihood());
            quality.put("deviance", r.goodness().deviance());
            quality.put("dof", r.goodness().dof());
            quality.put("pValue", r.goodness().pValue());
            quality.put("chi2red", r.goodness().chi2red());
            quality.put("ok", !(r.goodness().pValue() < 0.01));
            quality.put("fitted", r.fittedNames());
            quality.put("covariance", r.covariance() == null ? null : Arrays.asList(r.covariance()));
            quality.put("evaluations", r.evaluations());
            summary.put("fitQuality", quality);
            report.heading("Model fit (maximum likelihood, " + fitSpec + ")")
                    .table(List.of("parameter", "value", "lo " + pct(), "hi " + pct(), "interval", "unit"), table)
                    .paragraph(r.goodness().verdict() + "; deviance " + HtmlReport.text(r.goodness().deviance())
                            + " on " + r.goodness().dof() + " degrees of freedom (categories pooled to expected counts >= 5).");
            if (options.plots) {
                fitPlot(counts, prediction, r);
            }
            return r;
        }

        double[] initial;

        double[] initialDistribution(ShotCounts counts) {
            if (initial == null) {
                initial = guessInitial(counts);
            }
            return initial.clone();
        }

        double[] guessInitial(ShotCounts counts) {
            double[] p0 = new double[counts.states()];
            if (run.initial() >= 0) {
                p0[(int) run.initial()] = 1;
                return p0;
            }
            int first = 0;
            for (int t = 1; t < counts.timeCount(); t++) {
                if (counts.time(t) < counts.time(first)) {
                    first = t;
                }
            }
            int best = 0;
            for (int s = 0; s < counts.states(); s++) {
                if (counts.count(first, s) > counts.count(first, best)) {
                    best = s;
                }
            }
            warnings.add("initial configuration unknown: assumed " + IsingLandscape.bits(best, run.ions())
                    + ", the most frequent at the earliest hold time");
            p0[best] = 1;
            return p0;
        }

        void fitPlot(ShotCounts counts, ModelPrediction prediction, FitResult r) throws IOException {
            int states = counts.states();
            long[] totals = new long[states];
            for (int t = 0; t < counts.timeCount(); t++) {
                for (int s = 0; s < states; s++) {
                    totals[s] += counts.count(t, s);
                }
            }
            Integer[] order = new Integer[states];
            for (int s = 0; s < states; s++) {
                order[s] = s;
            }
            Arrays.sort(order, (a, b) -> Long.compare(totals[b], totals[a]));
            int shown = Math.min(6, states);
            double tMax = max(run.times());
            int grid = 80;
            double[] fine = new double[grid + 1];
            for (int k = 0; k <= grid; k++) {
                fine[k] = tMax * k / grid;
            }
            double drive = r.get("Omega").value();
            double eta = r.get("eta").value();
            double[][] curve = prediction.populations(drive, eta, fine);
            DetectionCorrection dc = r.parameters().containsKey("e0")
                    ? DetectionCorrection.uniform(run.ions(), r.get("e0").value(), r.get("e1").value())
                    : run.detectionError() != null ? new DetectionCorrection(run.detectionError()) : null;
            List<String> names = new ArrayList<>();
            List<List<Plots.Point>> data = new ArrayList<>();
            List<double[][]> model = new ArrayList<>();
            for (int k = 0; k < shown; k++) {
                int s = order[k];
                names.add(IsingLandscape.bits(s, run.ions()));
                List<Plots.Point> pts = new ArrayList<>();
                for (int t = 0; t < counts.timeCount(); t++) {
                    int n = counts.total(t);
                    if (n == 0) {
                        continue;
                    }
                    double[] ci = Jeffreys.interval(counts.count(t, s), n, level);
                    pts.add(new Plots.Point(counts.time(t), Jeffreys.estimate(counts.count(t, s), n), ci[0], ci[1]));
                }
                data.add(pts);
                double[][] m = new double[2][grid + 1];
                for (int j = 0; j <= grid; j++) {
                    m[0][j] = fine[j];
                    m[1][j] = (dc == null ? curve[j] : dc.forward(curve[j]))[s];
                }
                model.add(m);
            }
            JFreeChart chart = Plots.fitWithResiduals("Populations: data (Jeffreys " + pct() + ") and fitted model",
                    names, data, model, run.units() == null ? null : "1/(" + run.units() + ")");
            plot("fit-populations.png", "The " + shown + " most frequent configurations (character i = ion i, 1 = up) "
                    + "with Jeffreys intervals, the fitted model (lines, as detected) and normalised residuals", chart);
        }

        void betaEff(ShotCounts counts, IsingLandscape landscape, FitResult fitResult) {
            int[] late = Stationarity.lateTimes(counts, 0.05);
            if (late.length == 0) {
                warnings.add("no shots recorded: beta_eff not estimated");
                summary.put("betaEff", null);
                return;
            }
            int last = late[0];
            double[] lateTimes = Arrays.stream(late).mapToDouble(counts::time).sorted().toArray();
            if (late.length == 1
                    && java.util.stream.IntStream.range(0, counts.timeCount()).filter(t -> counts.total(t) > 0).count() > 1) {
                int previous = -1;
                for (int t = 0; t < counts.timeCount(); t++) {
                    if (t != last && counts.total(t) > 0 && (previous < 0 || counts.time(t) > counts.time(previous))) {
                        previous = t;
                    }
                }
                double p = previous < 0 ? Double.NaN
                        : Stationarity.homogeneityPValue(counts.counts(previous), counts.counts(last));
                warnings.add(String.format(java.util.Locale.ROOT, "the populations still change between the last two "
                        + "hold times (homogeneity p = %.2g): beta_eff from the Boltzmann fit describes a distribution "
                        + "that is not yet stationary", p));
            }
            DetectionCorrection dc = detection(fitResult);
            Estimators.EnergyLevels levels = Estimators.EnergyLevels.of(landscape);
            BoltzmannFit.Result b = BoltzmannFit.fit(counts.pooled(late), landscape.energies(), dc, levels.levelOf(),
                    levels.size(), level);
            warnings.addAll(b.warnings());
            double eta = fitResult != null ? fitResult.get("eta").value() : model.eta();
            double theory = RateAsymptotics.betaEff(model.omega(), model.kappa(), eta);
            Map<String, Object> m = estimate(b.beta());
            m.put("method", "Boltzmann fit, P(level) ~ degeneracy exp(-beta E), to the energy-level counts pooled over the late hold times "
                    + Arrays.toString(lateTimes));
            m.put("lateTimes", lateTimes);
            m.put("theory", theory);
            m.put("theoryEta", eta);
            if (b.goodness() != null) {
                m.put("boltzmannPValue", b.goodness().pValue());
            }
            m.put("theoryInsideInterval", b.beta().covers(theory));
            summary.put("betaEff", m);
            List<List<?>> rows = new ArrayList<>();
            rows.add(List.of("Boltzmann fit to the late populations, t = " + Arrays.toString(lateTimes), b.beta().value(), b.beta().lo(),
                    b.beta().hi()));
            rows.add(List.of("theory 128 eta/((eta^2+4)^2 (2 kappa/omega + eta) omega^2), eta = " + HtmlReport.text(eta),
                    theory, theory, theory));
            betaRows = rows;
        }

        List<List<?>> betaRows;

        /** Detection errors to apply forward: fitted ones when spam was fitted, else the run's calibration. */
        DetectionCorrection detection(FitResult fitResult) {
            if (fitResult != null && fitResult.parameters().containsKey("e0")) {
                return DetectionCorrection.uniform(run.ions(), fitResult.get("e0").value(), fitResult.get("e1").value());
            }
            return run.detectionError() != null ? new DetectionCorrection(run.detectionError()) : null;
        }

        void detailedBalance(ShotCounts counts, IsingLandscape landscape, FitResult fitResult) {
            Map<String, Object> db = new LinkedHashMap<>();
            double[] p0 = initialDistribution(counts);
            DetectionCorrection dc = detection(fitResult);
            DetailedBalanceTest test = new DetailedBalanceTest(landscape, counts, p0, dc, options.propagator);
            if (run.ions() < 2 || test.generalParameterCount() > DetailedBalanceTest.MAX_RATES) {
                String reason = run.ions() < 2 ? "needs at least two ions"
                        : "the general rate model would have " + test.generalParameterCount()
                        + " free rates; the test runs for N <= 3 (or a sub-chain run on 2-3 ions)";
                db.put("statistic", Double.NaN);
                db.put("pValue", Double.NaN);
                db.put("reason", reason);
                summary.put("detailedBalance", db);
                report.heading("Detailed balance").paragraph("Not tested: " + reason + ".");
                reportBeta(null);
                return;
            }
            Parameters at = fitResult == null ? model
                    : Parameters.withEta(model.omega(), fitResult.get("Omega").value(), model.kappa(),
                    fitResult.get("eta").value(), model.g());
            DetailedBalanceTest.Result r = test.run(options.rateModel.apply(at), level);
            warnings.addAll(r.warnings());
            db.put("statistic", r.statistic());
            db.put("pValue", r.pValue());
            db.put("dof", r.dof());
            db.put("test", "likelihood ratio: reversible (R_i(dE) = exp(-beta dE) for all i) vs free W_i(+-|dE|)");
            db.put("brokenAt0.01", r.broken(0.01));
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("value", r.kolmogorov());
            k.put("ci95", List.of(r.kolmogorovLo(), r.kolmogorovHi()));
            k.put("loop", "configurations " + loop());
            db.put("kolmogorov", k);
            List<Object> ratios = new ArrayList<>();
            for (DetailedBalanceTest.RateRatio rr : r.ratios()) {
                ratios.add(Map.of("spin", rr.spin(), "deltaE", rr.deltaE(), "value", rr.ratio(),
                        "ci95", List.of(rr.lo(), rr.hi())));
            }
            db.put("rateRatios", ratios);
            summary.put("detailedBalance", db);
            if (summary.get("betaEff") instanceof Map<?, ?> b) {
                @SuppressWarnings("unchecked")
                Map<String, Object> beta = (Map<String, Object>) b;
                beta.put("fromRates", estimate(r.betaFromRates()));
            }
            measuredRatios = r.ratios();
            measuredK = r;
            report.heading("Detailed balance").paragraph(String.format(java.util.Locale.ROOT,
                    "Likelihood-ratio test of the reversible model (one beta for every spin and energy change) "
                            + "against free rates W_i(+-|dE|): statistic %.4g on %d degree(s) of freedom, p = %.3g. %s",
                    r.statistic(), r.dof(), r.pValue(), r.broken(0.01) ? "Detailed balance is broken at p < 0.01."
                            : "No significant violation at the 1% level."))
                    .paragraph("Kolmogorov ratio of the loop " + loop() + ": " + HtmlReport.text(r.kolmogorov()) + " ["
                            + HtmlReport.text(r.kolmogorovLo()) + ", " + HtmlReport.text(r.kolmogorovHi()) + "] (1 = balanced).");
            reportBeta(r.betaFromRates());
        }

        List<DetailedBalanceTest.RateRatio> measuredRatios = List.of();
        DetailedBalanceTest.Result measuredK;

        String loop() {
            int n = run.ions();
            return IsingLandscape.bits(3, n) + " -> " + IsingLandscape.bits(1, n) + " -> " + IsingLandscape.bits(0, n)
                    + " -> " + IsingLandscape.bits(2, n) + " -> " + IsingLandscape.bits(3, n);
        }

        void reportBeta(ParameterEstimate fromRates) {
            if (betaRows == null) {
                return;
            }
            List<List<?>> rows = new ArrayList<>(betaRows);
            if (fromRates != null) {
                rows.add(1, List.of("from measured rate ratios (reversible fit)", fromRates.value(), fromRates.lo(),
                        fromRates.hi()));
            }
            report.heading("Effective inverse temperature beta_eff"
                    + (run.units() == null ? "" : " [1/(" + run.units() + ")^2]"))
                    .table(List.of("method", "value", "lo " + pct(), "hi " + pct()), rows);
        }

        void theoryPlots(IsingLandscape landscape, FitResult fitResult) throws IOException {
            double eta = fitResult != null ? fitResult.get("eta").value() : model.eta();
            double drive = fitResult != null ? fitResult.get("Omega").value() : model.drive();
            double[] etas = {0.1, 1, 10};
            int spin = 0;
            double dMax = landscape.maxAbsDeltaE(spin);
            if (!(dMax > 0)) {
                return;
            }
            Map<String, double[][]> curves = new LinkedHashMap<>();
            Map<String, Double> betas = new LinkedHashMap<>();
            for (double e : withFitted(etas, eta)) {
                Parameters p = Parameters.withEta(model.omega(), drive > 0 ? drive : 1, model.kappa(), e, model.g());
                SpinFlipRates rates = options.rateModel.apply(p);
                int k = 60;
                double[][] xy = new double[2][k];
                for (int j = 0; j < k; j++) {
                    double d = dMax * (j + 1) / k;
                    xy[0][j] = d;
                    xy[1][j] = rates.rate(spin, d) / rates.rate(spin, -d);
                }
                String key = "eta = " + HtmlReport.text(e) + (e == eta ? " (fit)" : "");
                curves.put(key, xy);
                betas.put(key, RateAsymptotics.betaEff(model.omega(), model.kappa(), e));
            }
            List<Plots.Point> pts = new ArrayList<>();
            List<Plots.Point> logPts = new ArrayList<>();
            for (DetailedBalanceTest.RateRatio rr : measuredRatios) {
                pts.add(new Plots.Point(rr.deltaE(), rr.ratio(), rr.lo(), rr.hi()));
                logPts.add(new Plots.Point(rr.deltaE(), Math.log(rr.ratio()) / rr.deltaE(),
                        Math.log(rr.lo()) / rr.deltaE(), Math.log(rr.hi()) / rr.deltaE()));
            }
            plot("rate-ratio.png", "R(dE) = W(dE)/W(-dE) of ion " + spin + " (" + options.rateModelName
                    + ") for several eta; points: measured R_i(dE) of every ion", Plots.rateRatios(curves, pts, run.units()));
            plot("log-ratio-over-dE.png", "log R/dE against dE; dashed: -beta_eff of each eta",
                    Plots.logRatioOverDeltaE(curves, betas, logPts, run.units()));
            if (run.ions() >= 2) {
                int k = 41;
                double[] grid = new double[k];
                double[] kol = new double[k];
                for (int j = 0; j < k; j++) {
                    grid[j] = Math.pow(10, -2 + 4.0 * j / (k - 1));
                    Parameters p = Parameters.withEta(model.omega(), drive > 0 ? drive : 1, model.kappa(), grid[j],
                            model.g(0), model.g(1));
                    kol[j] = DetailedBalance.kolmogorovRatio(new IsingLandscape(model.g(0), model.g(1)),
                            options.rateModel.apply(p), 0, 0, 1);
                }
                List<Plots.Point> measured = new ArrayList<>();
                if (measuredK != null && run.ions() == 2) {
                    measured.add(new Plots.Point(eta, measuredK.kolmogorov(), measuredK.kolmogorovLo(),
                            measuredK.kolmogorovHi()));
                }
                plot("kolmogorov.png", "Kolmogorov ratio of the loop on ions 0 and 1 (" + options.rateModelName
                        + ") against eta" + (measured.isEmpty() ? "" : "; point: this run"), Plots.kolmogorov(grid, kol, measured));
            }
        }

        double[] withFitted(double[] etas, double eta) {
            double[] out = Arrays.copyOf(etas, etas.length + 1);
            out[etas.length] = eta;
            return Arrays.stream(out).distinct().toArray();
        }

        void plot(String file, String caption, JFreeChart chart) throws IOException {
            Plots.save(chart, outDir.resolve(file), Plots.WIDTH, Plots.HEIGHT);
            report.image(caption, Files.readAllBytes(outDir.resolve(file)));
            files.put(file.replace(".png", ""), file);
        }

        String pct() {
            return Math.round(level * 100) + "%";
        }
    }

    /**
     * A scan: several runs of the same chain at different η (or Ω), each analysed into
     * {@code outDir/run-<k>/}, then β_eff and (for N = 2) the Kolmogorov ratio against η, measured
     * and theory, in {@code outDir/scan.json}, {@code scan.html} and PNGs (Fig. 3 and β_eff vs η
     * from data). The η of a run is its fitted η when η is fitted, else the model's.
     *
     * @param models one model per input, or null to take each run file's /model
     */
    public static Map<String, Object> scan(List<Path> inputs, List<Parameters> models, FitSpec fit, Path outDir,
                                           Options options) throws IOException {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("scan: no inputs");
        }
        if (models != null && models.size() != inputs.size()) {
            throw new IllegalArgumentException("scan: " + inputs.size() + " inputs but " + models.size() + " models");
        }
        Files.createDirectories(outDir);
        List<Object> runs = new ArrayList<>();
        List<Plots.Point> betaPts = new ArrayList<>();
        List<Plots.Point> kolPts = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Parameters reference = null;
        String units = null;
        HtmlReport report = new HtmlReport("iontrap scan: " + inputs.size() + " runs");
        List<List<?>> table = new ArrayList<>();
        for (int k = 0; k < inputs.size(); k++) {
            List<String> w = new ArrayList<>();
            RunData run = read(inputs.get(k), w);
            Parameters model = models != null ? models.get(k) : run.model();
            if (model == null) {
                throw new IllegalArgumentException("scan: " + inputs.get(k) + " has no model; give one");
            }
            if (reference == null) {
                reference = model;
                units = run.units();
            }
            Path dir = outDir.resolve("run-" + k);
            Map<String, Object> s = run(run, inputs.get(k).getFileName().toString(), w, model, fit, dir, options);
            double eta = model.eta();
            if (s.get("fit") instanceof Map<?, ?> f && f.get("eta") instanceof Map<?, ?> e
                    && e.get("value") instanceof Double v) {
                eta = v;
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("input", inputs.get(k).toString());
            entry.put("eta", eta);
            entry.put("summary", "run-" + k + "/" + SUMMARY);
            double[] beta = valueAndInterval(s.get("betaEff"));
            entry.put("betaEff", Map.of("value", beta[0], "ci95", List.of(beta[1], beta[2])));
            if (Double.isFinite(beta[0])) {
                betaPts.add(new Plots.Point(eta, beta[0], beta[1], beta[2]));
            }
            double[] kol = new double[] {Double.NaN, Double.NaN, Double.NaN};
            if (s.get("detailedBalance") instanceof Map<?, ?> db) {
                entry.put("detailedBalance", Map.of("statistic", db.get("statistic") == null ? Double.NaN
                        : db.get("statistic"), "pValue", db.get("pValue") == null ? Double.NaN : db.get("pValue")));
                kol = valueAndInterval(db.get("kolmogorov"));
                if (Double.isFinite(kol[0]) && run.ions() == 2) {
                    kolPts.add(new Plots.Point(eta, kol[0], kol[1], kol[2]));
                }
            }
            for (Object x : (List<?>) s.get("warnings")) {
                warnings.add(inputs.get(k).getFileName() + ": " + x);
            }
            runs.add(entry);
            table.add(List.of(inputs.get(k).getFileName().toString(), eta, beta[0], beta[1], beta[2], kol[0]));
        }
        int n = 61;
        double[] grid = new double[n];
        double[] betaTheory = new double[n];
        double[] kolTheory = new double[n];
        for (int j = 0; j < n; j++) {
            grid[j] = Math.pow(10, -2 + 4.0 * j / (n - 1));
            betaTheory[j] = RateAsymptotics.betaEff(reference.omega(), reference.kappa(), grid[j]);
            if (reference.size() >= 2) {
                Parameters p = Parameters.withEta(reference.omega(), reference.drive() > 0 ? reference.drive() : 1,
                        reference.kappa(), grid[j], reference.g(0), reference.g(1));
                kolTheory[j] = DetailedBalance.kolmogorovRatio(new IsingLandscape(reference.g(0), reference.g(1)),
                        options.rateModel.apply(p), 0, 0, 1);
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("runs", runs);
        summary.put("rateModel", options.rateModelName);
        summary.put("warnings", warnings);
        report.heading("Runs").table(List.of("input", "eta", "beta_eff", "lo", "hi", "Kolmogorov K"), table);
        Plots.save(Plots.betaEffAgainstEta(grid, betaTheory, betaPts, units), outDir.resolve("beta-eff-vs-eta.png"),
                Plots.WIDTH, Plots.HEIGHT);
        report.image("beta_eff from the late populations of each run against eta, with the theory curve",
                Files.readAllBytes(outDir.resolve("beta-eff-vs-eta.png")));
        if (reference.size() >= 2) {
            Plots.save(Plots.kolmogorov(grid, kolTheory, kolPts), outDir.resolve("kolmogorov-vs-eta.png"),
                    Plots.WIDTH, Plots.HEIGHT);
            report.image("Kolmogorov ratio of the loop on ions 0 and 1 (" + options.rateModelName + ")"
                    + (kolPts.isEmpty() ? "" : "; points: measured in N = 2 runs"),
                    Files.readAllBytes(outDir.resolve("kolmogorov-vs-eta.png")));
        }
        for (String w : warnings) {
            report.warning(w);
        }
        write(outDir.resolve("scan.html"), report.render());
        write(outDir.resolve("scan.json"), Json.write(summary));
        return summary;
    }

    private static double[] valueAndInterval(Object o) {
        double[] out = {Double.NaN, Double.NaN, Double.NaN};
        if (o instanceof Map<?, ?> m) {
            if (m.get("value") instanceof Double v) {
                out[0] = v;
            }
            if (m.get("ci95") instanceof List<?> l && l.size() == 2) {
                out[1] = l.get(0) instanceof Double a ? a : Double.NEGATIVE_INFINITY;
                out[2] = l.get(1) instanceof Double b ? b : Double.POSITIVE_INFINITY;
            }
        }
        return out;
    }

    static Map<String, Object> estimate(Estimate e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", e.value());
        m.put("ci95", List.of(e.lo(), e.hi()));
        return m;
    }

    static Map<String, Object> estimate(ParameterEstimate e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", e.value());
        m.put("ci95", List.of(e.lo(), e.hi()));
        m.put("interval", e.method());
        return m;
    }

    private static double min(double[] a) {
        return Arrays.stream(a).min().orElse(Double.NaN);
    }

    private static double max(double[] a) {
        return Arrays.stream(a).max().orElse(Double.NaN);
    }

    private static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
}
