package io.iontrap.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;
import io.iontrap.model.master.MasterEquation;
import io.iontrap.model.rates.FlipRates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "steady", mixinStandardHelpOptions = true,
        description = {"Stationary state of the effective master equation (rates of Eq. 3), exact over 2^N "
                + "configurations (N <= " + MasterEquation.MAX_SPINS + ").",
                "p is indexed by configuration: bit i of the index is spin i, 1 meaning sigma_i = +1.",
                "Energies in the square of the model's frequency unit."})
final class SteadyCommand implements Runnable {
    @Mixin
    ModelOptions model;

    @Option(names = "--no-p", description = "omit the population vector p (large N)")
    boolean noP;

    @Override
    public void run() {
        Parameters params = model.parameters();
        IsingLandscape landscape = IsingLandscape.of(params);
        MasterEquation me = new MasterEquation(landscape, new FlipRates(params));
        double[] p = me.stationary();
        double meanEnergy = me.meanEnergy(p);
        double ground = landscape.groundStatePopulation(p);
        if (model.json) {
            ObjectNode out = Json.object()
                    .put("meanEnergy", meanEnergy)
                    .put("groundStatePopulation", ground)
                    .put("groundEnergy", landscape.groundEnergy());
            Json.putUnits(out, model.file());
            if (!noP) {
                Json.putArray(out, "p", p);
            }
            Json.print(out);
        } else {
            System.out.printf("<E>_stat = %.6g, E_min = %.6g, ground-state population = %.6g%n",
                    meanEnergy, landscape.groundEnergy(), ground);
            if (!noP) {
                for (int s = 0; s < p.length; s++) {
                    System.out.printf("%s %.10g%n", IsingLandscape.bits(s, landscape.size()), p[s]);
                }
            }
        }
    }
}
