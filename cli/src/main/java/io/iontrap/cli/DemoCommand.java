package io.iontrap.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;
import io.iontrap.model.balance.DetailedBalance;
import io.iontrap.model.master.MasterEquation;
import io.iontrap.model.rates.FlipRates;
import io.iontrap.model.rates.RateAsymptotics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The paper's central results computed from the model: β_eff from the rates (Fig. 2c-e), the
 * N = 8 cooling table of physics.md §7, heating vs cooling for N = 10 (Fig. 2a/b) and the
 * Kolmogorov ratio against η (Fig. 3). Units: ω = κ = 1, Ω = 0.1 as in the paper.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Reproduces the paper's central results from the model (omega = kappa = 1, Omega = 0.1; "
                + "times in 1/omega, energies in omega^2).",
                "Prints a report; --json prints it as one JSON object; --out DIR also writes DIR/demo.json."})
final class DemoCommand implements Runnable {
    static final double[] G8 = {0.83, -1.41, 2.27, -0.35, 1.92, -2.64, 0.57, 1.18};
    /** physics.md §7: η, <E>_stat, ground-configuration population. */
    static final double[][] PAPER_N8 = {{0.1, -22.80, 0.516}, {1, -15.17, 0.154}, {10, -0.756, 0.0122}};

    @Option(names = "--json", description = "print one JSON object")
    boolean json;
    @Option(names = "--out", paramLabel = "DIR", description = "also write DIR/demo.json")
    Path out;
    @Option(names = "--seed", defaultValue = "2024", description = "seed of the disordered couplings (default ${DEFAULT-VALUE})")
    long seed;

    private final StringBuilder text = new StringBuilder();

    @Override
    public void run() {
        ObjectNode report = Json.object();
        rateTemperature(report.putArray("betaEffFromRates"));
        coolingTable(report.putArray("coolingN8"));
        heatingVersusCooling(report.putObject("fig2"));
        kolmogorov(report.putArray("fig3"));
        if (out != null) {
            try {
                Files.createDirectories(out);
                Files.writeString(out.resolve("demo.json"), Json.MAPPER.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(report));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot write " + out.resolve("demo.json") + ": " + e.getMessage());
            }
        }
        if (json) {
            Json.print(report);
        } else {
            System.out.print(text);
            if (out != null) {
                System.out.println("wrote " + out.resolve("demo.json"));
            }
        }
    }

    private void line(String format, Object... args) {
        text.append(String.format(format, args)).append('\n');
    }

    /** Fig. 2c-e: -ln R(ΔE)/ΔE from the exact rates against β_eff and 4η. */
    private void rateTemperature(ArrayNode rows) {
        line("== Effective temperature from the flip rates (Fig. 2c-e): R = W(dE)/W(-dE) ~ exp(-beta_eff dE)");
        line("%8s %6s %6s %14s %14s %10s", "eta", "g", "dE", "-ln R / dE", "beta_eff", "4 eta");
        double g = 3;
        for (double eta : new double[] {0.02, 0.05, 0.1, 0.2}) {
            Parameters p = Parameters.withEta(1, 0.1, 1, eta, g);
            for (double dE : new double[] {0.5, 2}) {
                double measured = -Math.log(FlipRates.exact(p, g, dE) / FlipRates.exact(p, g, -dE)) / dE;
                double beta = RateAsymptotics.betaEff(p);
                line("%8.3g %6.3g %6.3g %14.6g %14.6g %10.4g", eta, g, dE, measured, beta, 4 * eta);
                rows.addObject().put("eta", eta).put("g", g).put("dE", dE)
                        .put("minusLogRatioOverDE", measured).put("betaEff", beta);
            }
        }
        line("");
    }

    /** physics.md §7: stationary states of the N = 8 chain. */
    private void coolingTable(ArrayNode rows) {
        IsingLandscape landscape = new IsingLandscape(G8);
        line("== Cooling, N = 8, stationary state (physics.md §7), E_min = %.4f", landscape.groundEnergy());
        line("%8s %14s %14s %16s %16s", "eta", "<E>_stat", "paper", "ground pop.", "paper");
        for (double[] paper : PAPER_N8) {
            Parameters p = Parameters.withEta(1, 0.1, 1, paper[0], G8);
            MasterEquation me = new MasterEquation(landscape, new FlipRates(p));
            double[] pi = me.stationary();
            double e = me.meanEnergy(pi);
            double ground = landscape.groundStatePopulation(pi);
            line("%8.3g %14.4f %14.4f %16.4f %16.4f", paper[0], e, paper[1], ground, paper[2]);
            rows.addObject().put("eta", paper[0]).put("meanEnergy", e).put("paperMeanEnergy", paper[1])
                    .put("groundStatePopulation", ground).put("paperGroundStatePopulation", paper[2]);
        }
        line("");
    }

    /** Fig. 2a/b: N = 10, g uniform in [-3, 3], from all spins down, η = 10 (heating) and 0.1 (cooling). */
    private void heatingVersusCooling(ObjectNode fig) {
        double[] g = uniform(10, 3, seed);
        IsingLandscape landscape = new IsingLandscape(g);
        double[] times = {0, 10, 100, 1000, 1e4, 3e4, 1e5, 3e5};
        line("== Heating vs cooling, N = 10, g uniform in [-3, 3] (seed %d), start all down (Fig. 2a/b)", seed);
        line("E_min = %.4f, <E> of the uniform (infinite-temperature) state = 0", landscape.groundEnergy());
        Json.putArray(fig, "g", g);
        Json.putArray(fig, "times", times);
        fig.put("groundEnergy", landscape.groundEnergy());
        StringBuilder head = new StringBuilder(String.format("%8s", "t"));
        double[][] energies = new double[2][];
        double[] etas = {10, 0.1};
        for (int k = 0; k < etas.length; k++) {
            Parameters p = Parameters.withEta(1, 0.1, 1, etas[k], g);
            MasterEquation me = new MasterEquation(landscape, new FlipRates(p));
            energies[k] = me.meanEnergies(me.evolve(0, times));
            double[] pi = me.stationary();
            ObjectNode run = fig.putObject("eta" + etas[k]);
            Json.putArray(run, "meanEnergy", energies[k]);
            run.put("stationaryMeanEnergy", me.meanEnergy(pi))
                    .put("stationaryGroundStatePopulation", landscape.groundStatePopulation(pi));
            head.append(String.format(" %16s", "<E>(t), eta=" + etas[k]));
        }
        line("%s", head);
        for (int t = 0; t < times.length; t++) {
            line("%8.0f %16.4f %16.4f", times[t], energies[0][t], energies[1][t]);
        }
        line("%8s %16.4f %16.4f", "stat.", fig.get("eta10.0").get("stationaryMeanEnergy").asDouble(),
                fig.get("eta0.1").get("stationaryMeanEnergy").asDouble());
        line("");
    }

    /** Fig. 3: Kolmogorov ratio of the two-spin loop against η, g uniform in [-4, 4]. */
    private void kolmogorov(ArrayNode rows) {
        double[] g = uniform(2, 4, seed + 1);
        line("== Detailed balance, two spins g = (%.3f, %.3f) (Fig. 3): Kolmogorov ratio, 1 = balanced", g[0], g[1]);
        line("%10s %16s", "eta", "ratio");
        for (double eta : new double[] {0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100}) {
            Parameters p = Parameters.withEta(1, 0.1, 1, eta, g);
            double ratio = DetailedBalance.kolmogorovRatio(IsingLandscape.of(p), new FlipRates(p), 0, 0, 1);
            line("%10.3g %16.6g", eta, ratio);
            rows.addObject().put("eta", eta).put("ratio", ratio);
        }
    }

    private static double[] uniform(int n, double width, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = r.nextDouble(-width, width);
        }
        return g;
    }
}
