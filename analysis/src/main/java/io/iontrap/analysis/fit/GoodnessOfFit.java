package io.iontrap.analysis.fit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * Goodness of fit of predicted multinomial probabilities to counts at several times: the
 * G statistic (deviance) and Pearson χ² on categories pooled so that every expected count is at
 * least 5 (Cochran's rule; with 2^N configurations most are rare), degrees of freedom
 * Σ_t (bins_t − 1) − fitted parameters, the G-test p-value and χ²_red = χ²/dof.
 */
public record GoodnessOfFit(double deviance, double pearson, int dof, double pValue, double chi2red) {
    public static final double MIN_EXPECTED = 5;

    /** @param counts [t][category], @param probabilities [t][category] predicted, summing to 1 per t */
    public static GoodnessOfFit of(int[][] counts, double[][] probabilities, int fittedParameters) {
        double g = 0;
        double x2 = 0;
        int bins = 0;
        for (int t = 0; t < counts.length; t++) {
            int n = Arrays.stream(counts[t]).sum();
            if (n == 0) {
                continue;
            }
            List<double[]> cells = new ArrayList<>(); // {observed, expected}
            for (int s = 0; s < counts[t].length; s++) {
                cells.add(new double[] {counts[t][s], n * Math.max(probabilities[t][s], 0)});
            }
            cells.sort(Comparator.comparingDouble(c -> c[1]));
            List<double[]> pooled = new ArrayList<>();
            double[] acc = {0, 0};
            for (double[] c : cells) {
                if (c[1] < MIN_EXPECTED) {
                    acc[0] += c[0];
                    acc[1] += c[1];
                } else {
                    pooled.add(c);
                }
            }
            if (acc[1] > 0 || acc[0] > 0) {
                if (acc[1] < MIN_EXPECTED && !pooled.isEmpty()) {
                    double[] first = pooled.remove(0);
                    acc[0] += first[0];
                    acc[1] += first[1];
                }
                pooled.add(acc);
            }
            for (double[] c : pooled) {
                double o = c[0];
                double e = Math.max(c[1], 1e-300);
                if (o > 0) {
                    g += 2 * o * Math.log(o / e);
                }
                g -= 2 * (o - e); // zero in total: keeps each term's sign meaningful
                x2 += (o - e) * (o - e) / e;
            }
            bins += pooled.size() - 1;
        }
        int dof = bins - fittedParameters;
        double p = dof > 0 ? 1 - new ChiSquaredDistribution(null, dof, 1e-12).cumulativeProbability(g) : Double.NaN;
        return new GoodnessOfFit(g, x2, dof, p, dof > 0 ? x2 / dof : Double.NaN);
    }

    /** A one-line verdict for reports. */
    public String verdict() {
        if (dof <= 0) {
            return "no degrees of freedom left to test the fit";
        }
        return pValue < 0.01 ? String.format("poor fit: G-test p = %.2g (chi2_red = %.2f)", pValue, chi2red)
                : String.format("acceptable fit: G-test p = %.2g (chi2_red = %.2f)", pValue, chi2red);
    }
}
