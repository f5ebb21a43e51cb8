package io.iontrap.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iontrap.model.InvalidParameterException;
import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;
import io.iontrap.model.balance.DetailedBalance;
import io.iontrap.model.rates.FlipRates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "kolmogorov", mixinStandardHelpOptions = true,
        description = {"Kolmogorov ratio of the two-spin loop (uu)->(ud)->(dd)->(du)->(uu) (physics.md §5, Fig. 3):",
                "product of the four clockwise rates of Eq. (3) over the four counter-clockwise ones; "
                        + "1 iff detailed balance holds on the loop. Needs a model with exactly two spins."})
final class KolmogorovCommand implements Runnable {
    @Mixin
    ModelOptions model;

    @Override
    public void run() {
        Parameters params = model.parameters();
        if (params.size() != 2) {
            throw new InvalidParameterException("g", "kolmogorov needs exactly 2 spins, the model has " + params.size());
        }
        IsingLandscape landscape = IsingLandscape.of(params);
        double ratio = DetailedBalance.kolmogorovRatio(landscape, new FlipRates(params), 0, 0, 1);
        if (model.json) {
            ObjectNode out = Json.object().put("ratio", ratio).put("eta", params.eta());
            Json.print(out);
        } else {
            System.out.printf("Kolmogorov ratio = %.12g (eta = %.6g)%n", ratio, params.eta());
        }
    }
}
