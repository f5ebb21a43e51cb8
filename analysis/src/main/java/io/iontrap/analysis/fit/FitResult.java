package io.iontrap.analysis.fit;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a maximum-likelihood fit of the model to the shot counts.
 *
 * @param parameters      every model parameter the fit touched, fitted or fixed, by name
 *                        ("Omega", "eta", "e0", "e1")
 * @param covariance      covariance of the fitted parameters (natural units, order of
 *                        {@code fittedNames}) from the Fisher information, or null if singular
 * @param logLikelihood   maximised multinomial log-likelihood
 * @param goodness        deviance, G-test p-value, χ²_red on pooled categories
 * @param predicted       fitted probabilities of each observed configuration, [t][σ] (with detection errors)
 * @param truePopulations fitted populations before detection errors, [t][σ]
 */
public record FitResult(Map<String, ParameterEstimate> parameters, List<String> fittedNames, double[][] covariance,
                        double logLikelihood, GoodnessOfFit goodness, double[][] predicted,
                        double[][] truePopulations, int evaluations, List<String> warnings) {
    public ParameterEstimate get(String name) {
        return parameters.get(name);
    }
}
