package io.iontrap.cli;

import io.iontrap.model.Parameters;
import io.iontrap.model.rates.FlipRates;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rate", mixinStandardHelpOptions = true,
        description = {"The exact single-flip rate W(dE) of Eq. (3) for one spin with coupling g.",
                "All frequencies angular, in one unit u; dE in u^2; the rate in u."})
final class RateCommand implements Runnable {
    @Option(names = "--omega", required = true, description = "boson frequency omega (u)")
    double omega;
    @Option(names = "--Omega", required = true, description = "transverse drive Omega (u)")
    double drive;
    @Option(names = "--kappa", required = true, description = "boson gain kappa (u)")
    double kappa;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Loss loss;

    static final class Loss {
        @Option(names = "--gamma", required = true, description = "boson loss gamma > kappa (u)")
        Double gamma;
        @Option(names = "--eta", required = true, description = "eta = (gamma - kappa)/omega > 0")
        Double eta;
    }

    @Option(names = "--g", required = true, description = "coupling g of the flipping spin (u)")
    double g;
    @Option(names = "--dE", required = true, description = "energy change of the flip, dE = E(after) - E(before) (u^2)")
    double deltaE;
    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public void run() {
        Parameters p = loss.gamma != null
                ? Parameters.of(omega, drive, kappa, loss.gamma, g)
                : Parameters.withEta(omega, drive, kappa, loss.eta, g);
        if (!Double.isFinite(deltaE)) {
            throw new io.iontrap.model.InvalidParameterException("dE", "must be a finite number, got " + deltaE);
        }
        double w = FlipRates.exact(p, g, deltaE);
        if (json) {
            Json.print(Json.object().put("rate", w));
        } else {
            System.out.printf("W(dE = %s) = %.15g (angular frequency unit)%n", deltaE, w);
        }
    }
}
