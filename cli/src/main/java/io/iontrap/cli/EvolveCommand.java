package io.iontrap.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iontrap.model.InvalidParameterException;
import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;
import io.iontrap.model.master.MasterEquation;
import io.iontrap.model.rates.FlipRates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evolve", mixinStandardHelpOptions = true,
        description = {"Time evolution p(t) of the effective master equation (rates of Eq. 3) from one "
                + "configuration, exact over 2^N configurations (N <= " + MasterEquation.MAX_SPINS + ").",
                "Times in the inverse of the model's frequency unit; p indexed by configuration "
                        + "(bit i of the index is spin i, 1 meaning sigma_i = +1)."})
final class EvolveCommand implements Runnable {
    @Mixin
    ModelOptions model;

    @Option(names = "--times", required = true, split = ",", paramLabel = "t1,t2,...",
            description = "output times >= 0, in 1/(frequency unit)")
    double[] times;

    @Option(names = "--initial", paramLabel = "BITS",
            description = "initial configuration, N characters 0/1, character i = spin i, 1 = up (default all down)")
    String initial;

    @Option(names = "--no-p", description = "omit the population vectors p (large N)")
    boolean noP;

    @Override
    public void run() {
        Parameters params = model.parameters();
        int n = params.size();
        for (int k = 0; k < times.length; k++) {
            if (!(times[k] >= 0) || !Double.isFinite(times[k])) {
                throw new InvalidParameterException("times", "entry " + k + " must be a finite time >= 0, got " + times[k]);
            }
        }
        long start = initial == null ? 0 : IsingLandscape.configuration(initial, n);
        IsingLandscape landscape = IsingLandscape.of(params);
        MasterEquation me = new MasterEquation(landscape, new FlipRates(params));
        double[][] p = me.evolve((int) start, times);
        double[] energy = me.meanEnergies(p);
        if (model.json) {
            ObjectNode out = Json.object();
            Json.putArray(out, "times", times);
            Json.putArray(out, "meanEnergy", energy);
            Json.putUnits(out, model.file());
            if (!noP) {
                ArrayNode rows = out.putArray("p");
                for (double[] row : p) {
                    ArrayNode r = rows.addArray();
                    for (double x : row) {
                        r.add(x);
                    }
                }
            }
            Json.print(out);
        } else {
            System.out.println("# t  <E>(t)");
            for (int k = 0; k < times.length; k++) {
                System.out.printf("%-10.6g %.8g%n", times[k], energy[k]);
            }
        }
    }
}
