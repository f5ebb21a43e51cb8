package io.iontrap.analysis.fit;

import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;
import io.iontrap.model.SpinFlipRates;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The model's predicted configuration populations at given hold times, as a function of the
 * drive Ω and the loss–gain balance η, all other parameters at their nominal values.
 *
 * <p>Ω enters every flip rate only as the prefactor Ω² of Eq. (3) (and of its asymptotic forms),
 * so p(t; Ω, η) = p(t·Ω²/Ω_ref²; Ω_ref, η): the rates are built (and memoised) once per η and
 * a change of Ω only rescales time.
 */
public final class ModelPrediction {
    private final Parameters nominal;
    private final Function<Parameters, SpinFlipRates> rateModel;
    private final Propagator propagator;
    private final double[] p0;
    private final IsingLandscape landscape;
    private final double referenceDrive;
    /** Rates of the last few η (optimisers and profiles come back to the same η often). */
    private final Map<Double, SpinFlipRates> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Double, SpinFlipRates> eldest) {
            return size() > 32;
        }
    };

    /**
     * @param nominal    the model; its Ω is the reference drive (1 when it is 0)
     * @param rateModel  flip rates for a parameter set, e.g. {@code FlipRates::new} (Eq. 3)
     * @param propagator the master-equation solver
     * @param p0         initial distribution over the 2^N configurations
     */
    public ModelPrediction(Parameters nominal, Function<Parameters, SpinFlipRates> rateModel, Propagator propagator,
                           double[] p0) {
        this.nominal = nominal;
        this.rateModel = rateModel;
        this.propagator = propagator;
        this.p0 = p0.clone();
        this.landscape = IsingLandscape.of(nominal);
        this.referenceDrive = nominal.drive() > 0 ? nominal.drive() : 1.0;
    }

    public Parameters nominal() {
        return nominal;
    }

    public IsingLandscape landscape() {
        return landscape;
    }

    /** The model with Ω and η replaced (ω, κ, g_i nominal). */
    public Parameters parameters(double drive, double eta) {
        return Parameters.withEta(nominal.omega(), drive, nominal.kappa(), eta, nominal.g());
    }

    /** Flip rates at (Ω, η). */
    public SpinFlipRates rates(double drive, double eta) {
        SpinFlipRates ref = referenceRates(eta);
        double scale = (drive / referenceDrive) * (drive / referenceDrive);
        return (i, dE) -> scale * ref.rate(i, dE);
    }

    /** p(t) at each of {@code times} (any order): [time index][configuration]. */
    public double[][] populations(double drive, double eta, double[] times) {
        SpinFlipRates rates = referenceRates(eta);
        double scale = (drive / referenceDrive) * (drive / referenceDrive);
        double[] scaled = new double[times.length];
        for (int k = 0; k < times.length; k++) {
            scaled[k] = times[k] * scale;
        }
        return propagator.evolveAt(landscape, rates, p0, scaled);
    }

    private synchronized SpinFlipRates referenceRates(double eta) {
        SpinFlipRates cached = cache.get(eta);
        if (cached == null) {
            SpinFlipRates raw = rateModel.apply(parameters(referenceDrive, eta));
            ConcurrentHashMap<Long, Double> memo = new ConcurrentHashMap<>();
            cached = (i, dE) -> memo.computeIfAbsent(((long) i << 58) ^ Double.doubleToLongBits(dE),
                    k -> raw.rate(i, dE));
            cache.put(eta, cached);
        }
        return cached;
    }
}
