package io.iontrap.analysis.data;

import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a run records, in memory: the nominal model, the schedule (hold times, planned
 * shots per time, initial configuration), every recorded shot, the known detection errors, the
 * trap and drive settings as opaque JSON text, provenance, and whether the run completed.
 *
 * <p>A shot is a configuration index (bit i = ion i, 1 meaning σ_i = +1, docs/units.md), so
 * N ≤ 62. Times are in the inverse of the model's angular-frequency unit. Immutable.
 */
public final class RunData {
    /** Largest number of ions a shot index holds. */
    public static final int MAX_IONS = 62;

    private final int ions;
    private final Parameters model;
    private final String units;
    private final double[] times;
    private final int[] plannedShots;
    private final long initial;
    private final long[][] shots;
    private final double[][] detectionError;
    private final String trapJson;
    private final String hardwareJson;
    private final Map<String, String> provenance;
    private final boolean complete;

    private RunData(Builder b) {
        this.ions = b.ions;
        this.model = b.model;
        this.units = b.units;
        this.times = b.times.clone();
        this.plannedShots = b.plannedShots.clone();
        this.initial = b.initial;
        this.shots = new long[b.shots.length][];
        for (int t = 0; t < shots.length; t++) {
            shots[t] = b.shots[t].clone();
        }
        this.detectionError = b.detectionError == null ? null : deepCopy(b.detectionError);
        this.trapJson = b.trapJson;
        this.hardwareJson = b.hardwareJson;
        this.provenance = Collections.unmodifiableMap(new LinkedHashMap<>(b.provenance));
        this.complete = b.complete;
    }

    public static Builder builder(int ions) {
        return new Builder(ions);
    }

    /** A builder pre-filled with this run's content, for derived runs (e.g. more shots). */
    public Builder toBuilder() {
        Builder b = new Builder(ions).model(model).units(units).schedule(times, plannedShots).initial(initial)
                .trapJson(trapJson).hardwareJson(hardwareJson).complete(complete);
        b.shots = shots;
        b.detectionError = detectionError;
        b.provenance.putAll(provenance);
        return b;
    }

    /** Number of ions N (the length of every shot). */
    public int ions() {
        return ions;
    }

    /** The nominal model, or {@code null} when the input (e.g. a bare CSV file) carried none. */
    public Parameters model() {
        return model;
    }

    /** The model's angular-frequency unit label (e.g. {@code "2pi*kHz"}), or {@code null}. */
    public String units() {
        return units;
    }

    public int timeCount() {
        return times.length;
    }

    /** Hold times, one per time index, in 1/unit. */
    public double[] times() {
        return times.clone();
    }

    public double time(int t) {
        return times[t];
    }

    /** Shots planned at each time index. */
    public int[] plannedShots() {
        return plannedShots.clone();
    }

    /** Initial configuration index, or -1 when unknown. */
    public long initial() {
        return initial;
    }

    /** Recorded shots at time index t (configuration indices); may be fewer than planned. */
    public long[] shots(int t) {
        return shots[t].clone();
    }

    public int recorded(int t) {
        return shots[t].length;
    }

    public long totalRecorded() {
        long s = 0;
        for (long[] x : shots) {
            s += x.length;
        }
        return s;
    }

    /**
     * Known detection errors per ion, {@code [i][0]} = P(read 1 | σ_i = -1) (dark read as bright
     * when 1 = bright) and {@code [i][1]} = P(read 0 | σ_i = +1); {@code null} when not calibrated.
     */
    public double[][] detectionError() {
        return detectionError == null ? null : deepCopy(detectionError);
    }

    public String trapJson() {
        return trapJson;
    }

    public String hardwareJson() {
        return hardwareJson;
    }

    public Map<String, String> provenance() {
        return provenance;
    }

    /** False for a run that was interrupted (fewer shots recorded than planned). */
    public boolean complete() {
        return complete;
    }

    /** The Ising landscape of the nominal model (null without a model). */
    public IsingLandscape landscape() {
        return model == null ? null : IsingLandscape.of(model);
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RunData r)) {
            return false;
        }
        return ions == r.ions && initial == r.initial && complete == r.complete
                && Objects.equals(String.valueOf(model), String.valueOf(r.model)) && Objects.equals(units, r.units)
                && Arrays.equals(times, r.times) && Arrays.equals(plannedShots, r.plannedShots)
                && Arrays.deepEquals(shots, r.shots) && Arrays.deepEquals(detectionError, r.detectionError)
                && Objects.equals(trapJson, r.trapJson) && Objects.equals(hardwareJson, r.hardwareJson)
                && provenance.equals(r.provenance);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ions, initial, Arrays.hashCode(times), Arrays.deepHashCode(shots));
    }

    @Override
    public String toString() {
        return "RunData{N=" + ions + ", times=" + times.length + ", shots=" + totalRecorded()
                + (complete ? "" : ", incomplete") + "}";
    }

    /** Builds and validates a {@link RunData}; every violation is an {@link IllegalArgumentException} naming the field. */
    public static final class Builder {
        private final int ions;
        private Parameters model;
        private String units;
        private double[] times = new double[0];
        private int[] plannedShots = new int[0];
        private long initial = -1;
        private long[][] shots;
        private double[][] detectionError;
        private String trapJson;
        private String hardwareJson;
        private final Map<String, String> provenance = new LinkedHashMap<>();
        private boolean complete = true;

        private Builder(int ions) {
            if (ions < 1 || ions > MAX_IONS) {
                throw new IllegalArgumentException("N: the analysis handles 1 to " + MAX_IONS + " ions, got " + ions);
            }
            this.ions = ions;
        }

        public Builder model(Parameters p) {
            this.model = p;
            return this;
        }

        public Builder units(String u) {
            this.units = u;
            return this;
        }

        public Builder schedule(double[] holdTimes, int[] shotsPerTime) {
            this.times = holdTimes.clone();
            this.plannedShots = shotsPerTime.clone();
            return this;
        }

        public Builder initial(long configuration) {
            this.initial = configuration;
            return this;
        }

        /** Shots per time index, as configuration indices. */
        public Builder shots(long[][] s) {
            this.shots = s;
            return this;
        }

        public Builder detectionError(double[][] e) {
            this.detectionError = e;
            return this;
        }

        public Builder trapJson(String s) {
            this.trapJson = s;
            return this;
        }

        public Builder hardwareJson(String s) {
            this.hardwareJson = s;
            return this;
        }

        public Builder provenance(String key, String value) {
            this.provenance.put(key, value);
            return this;
        }

        public Builder complete(boolean c) {
            this.complete = c;
            return this;
        }

        public RunData build() {
            int tc = times.length;
            if (tc == 0) {
                throw new IllegalArgumentException("schedule: no hold times");
            }
            if (plannedShots.length != tc) {
                throw new IllegalArgumentException("schedule: " + tc + " hold times but " + plannedShots.length
                        + " shots-per-time entries");
            }
            for (int t = 0; t < tc; t++) {
                if (!Double.isFinite(times[t]) || times[t] < 0) {
                    throw new IllegalArgumentException("schedule: hold time [" + t + "] = " + times[t]
                            + " must be finite and >= 0");
                }
                if (plannedShots[t] < 0) {
                    throw new IllegalArgumentException("schedule: shots per time [" + t + "] = " + plannedShots[t]
                            + " must be >= 0");
                }
            }
            if (model != null && model.size() != ions) {
                throw new IllegalArgumentException("model: has " + model.size() + " couplings but the shots have N = "
                        + ions + " ions");
            }
            long mask = ions == 64 ? -1L : (1L << ions) - 1;
            if (initial != -1 && (initial & ~mask) != 0) {
                throw new IllegalArgumentException("initial: configuration " + initial + " has bits beyond N = " + ions);
            }
            if (shots == null) {
                shots = new long[tc][0];
            }
            if (shots.length != tc) {
                throw new IllegalArgumentException("shots: " + shots.length + " time indices, schedule has " + tc);
            }
            boolean full = true;
            for (int t = 0; t < tc; t++) {
                if (shots[t] == null) {
                    throw new IllegalArgumentException("shots: time index " + t + " missing");
                }
                if (shots[t].length > plannedShots[t]) {
                    throw new IllegalArgumentException("shots: time index " + t + " has " + shots[t].length
                            + " shots, more than the " + plannedShots[t] + " planned");
                }
                full &= shots[t].length == plannedShots[t];
                for (long s : shots[t]) {
                    if ((s & ~mask) != 0 || s < 0) {
                        throw new IllegalArgumentException("shots: time index " + t + " has configuration " + s
                                + " with bits beyond N = " + ions);
                    }
                }
            }
            if (complete && !full) {
                throw new IllegalArgumentException("complete: run marked complete but fewer shots recorded than planned");
            }
            if (detectionError != null) {
                if (detectionError.length != ions) {
                    throw new IllegalArgumentException("detection_error: " + detectionError.length
                            + " rows, expected one per ion (N = " + ions + ")");
                }
                for (int i = 0; i < ions; i++) {
                    if (detectionError[i] == null || detectionError[i].length != 2) {
                        throw new IllegalArgumentException("detection_error[" + i + "]: expected 2 rates");
                    }
                    for (int k = 0; k < 2; k++) {
                        double e = detectionError[i][k];
                        if (!(e >= 0 && e < 0.5)) {
                            throw new IllegalArgumentException("detection_error[" + i + "][" + k + "] = " + e
                                    + " must be in [0, 0.5)");
                        }
                    }
                }
            }
            return new RunData(this);
        }
    }
}
