package io.iontrap.cli;

import io.iontrap.model.InvalidParameterException;
import io.iontrap.model.rates.RateAsymptotics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "beta-eff", mixinStandardHelpOptions = true,
        description = {"Effective inverse temperature of the cooling regime (physics.md §4):",
                "beta_eff = 128 eta / ((eta^2+4)^2 (2 kappa/omega + eta) omega^2), in 1/(frequency unit)^2."})
final class BetaEffCommand implements Runnable {
    @Option(names = "--omega", required = true, description = "boson frequency omega (angular frequency unit)")
    double omega;
    @Option(names = "--kappa", required = true, description = "boson gain kappa (same unit)")
    double kappa;
    @Option(names = "--eta", required = true, description = "eta = (gamma - kappa)/omega (dimensionless)")
    double eta;
    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public void run() {
        if (!(omega > 0) || !Double.isFinite(omega)) {
            throw new InvalidParameterException("omega", "must be a finite number > 0, got " + omega);
        }
        if (!(kappa >= 0) || !Double.isFinite(kappa)) {
            throw new InvalidParameterException("kappa", "must be a finite number >= 0, got " + kappa);
        }
        if (!(eta > 0) || !Double.isFinite(eta)) {
            throw new InvalidParameterException("eta", "must be a finite number > 0, got " + eta);
        }
        double beta = RateAsymptotics.betaEff(omega, kappa, eta);
        if (json) {
            Json.print(Json.object().put("betaEff", beta));
        } else {
            System.out.printf("beta_eff = %.10g per (frequency unit)^2%n", beta);
        }
    }
}
