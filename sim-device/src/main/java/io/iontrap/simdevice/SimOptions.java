package io.iontrap.simdevice;

/**
 * How a {@link SimulatedTrap} behaves beyond its trap file. Immutable; change with the {@code with…}
 * methods. Defaults ({@link #defaults()}): device id {@code sim-trap}, seed 1, engine auto, no
 * detection or calibration error, hold times up to 100 s, at most 2·10⁶ shots per run (the device keeps every
 * shot of a run for {@code fetch}: ~100 bytes each), shots streamed in
 * batches of 100, as fast as the engine goes (no pacing), {@link RateModel#DEFAULT} rates.
 *
 * @param calibrationError   rms relative error of the true couplings: g_i,true = g_i,nominal (1 + F z_i),
 *                           z_i standard normal, drawn once per device from the seed
 * @param shotOverheadSeconds wall time each shot takes besides the hold (cooling, detection); 0 = none
 * @param realTime           whether each shot also takes its hold time of wall time
 */
public record SimOptions(String deviceId, long seed, Engine engine, DetectionError detection, double calibrationError,
                         double maxHoldTimeSeconds, long maxShotsPerRun, int batchSize, double shotOverheadSeconds,
                         boolean realTime, RateModel rates) {

    public SimOptions {
        if (!(calibrationError >= 0 && calibrationError < 1)) {
            throw new IllegalArgumentException("calibration error " + calibrationError + " must be in [0, 1)");
        }
        if (!(maxHoldTimeSeconds > 0) || maxShotsPerRun < 1 || batchSize < 1) {
            throw new IllegalArgumentException("max hold time, max shots and batch size must be positive");
        }
        if (!(shotOverheadSeconds >= 0 && shotOverheadSeconds < 10)) {
            throw new IllegalArgumentException("shot overhead " + shotOverheadSeconds + " s must be in [0, 10)");
        }
    }

    public static SimOptions defaults() {
        return new SimOptions("sim-trap", 1, Engine.AUTO, DetectionError.NONE, 0, 100, 2_000_000, 100, 0, false,
                RateModel.DEFAULT);
    }

    /**
     * Options from a device spec of an experiment file: {@code sim:} (defaults) or
     * {@code sim:seed=3,engine=kmc,detection-error=0.01,calibration-error=0.05,shot-time=0.001,real-time=true}
     * (also {@code max-hold-time} in seconds and {@code max-shots} per run, the device's limits).
     * Unknown keys are an error naming the key.
     */
    public static SimOptions parse(String spec) {
        if (spec == null || !spec.startsWith("sim:")) {
            throw new IllegalArgumentException("device spec \"" + spec + "\" is not a simulated device (sim:...)");
        }
        SimOptions o = defaults();
        String rest = spec.substring(4).trim();
        if (rest.startsWith("?")) {
            rest = rest.substring(1);
        }
        if (rest.isEmpty()) {
            return o;
        }
        double shotTime = 0;
        boolean rt = false;
        for (String kv : rest.split("[,&]")) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("device spec \"" + spec + "\": \"" + kv + "\" is not key=value");
            }
            String k = kv.substring(0, eq).trim();
            String v = kv.substring(eq + 1).trim();
            try {
                switch (k) {
                    case "seed" -> o = o.withSeed(Long.parseLong(v));
                    case "engine" -> o = o.withEngine(Engine.parse(v));
                    case "detection-error" -> o = o.withDetection(DetectionError.uniform(Double.parseDouble(v)));
                    case "calibration-error" -> o = o.withCalibrationError(Double.parseDouble(v));
                    case "device-id" -> o = o.withDeviceId(v);
                    case "shot-time" -> shotTime = Double.parseDouble(v);
                    case "real-time" -> rt = Boolean.parseBoolean(v);
                    case "max-hold-time" -> o = o.withLimits(Double.parseDouble(v), o.maxShotsPerRun());
                    case "max-shots" -> o = o.withLimits(o.maxHoldTimeSeconds(), Long.parseLong(v));
                    default -> throw new IllegalArgumentException("device spec \"" + spec + "\": unknown key \"" + k
                            + "\" (seed, engine, detection-error, calibration-error, device-id, shot-time, real-time, "
                            + "max-hold-time, max-shots)");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("device spec \"" + spec + "\": " + k + " = \"" + v
                        + "\" is not a number");
            }
        }
        return o.withPacing(shotTime, rt);
    }

    public SimOptions withDeviceId(String id) {
        return new SimOptions(id, seed, engine, detection, calibrationError, maxHoldTimeSeconds, maxShotsPerRun,
                batchSize, shotOverheadSeconds, realTime, rates);
    }

    public SimOptions withSeed(long s) {
        return new SimOptions(deviceId, s, engine, detection, calibrationError, maxHoldTimeSeconds, maxShotsPerRun,
                batchSize, shotOverheadSeconds, realTime, rates);
    }

    public SimOptions withEngine(Engine e) {
        return new SimOptions(deviceId, seed, e, detection, calibrationError, maxHoldTimeSeconds, maxShotsPerRun,
                batchSize, shotOverheadSeconds, realTime, rates);
    }

    public SimOptions withDetection(DetectionError d) {
        return new SimOptions(deviceId, seed, engine, d, calibrationError, maxHoldTimeSeconds, maxShotsPerRun,
                batchSize, shotOverheadSeconds, realTime, rates);
    }

    public SimOptions withCalibrationError(double f) {
        return new SimOptions(deviceId, seed, engine, detection, f, maxHoldTimeSeconds, maxShotsPerRun,
                batchSize, shotOverheadSeconds, realTime, rates);
    }

    public SimOptions withLimits(double maxHold, long maxShots) {
        return new SimOptions(deviceId, seed, engine, detection, calibrationError, maxHold, maxShots,
                batchSize, shotOverheadSeconds, realTime, rates);
    }

    public SimOptions withBatchSize(int b) {
        return new SimOptions(deviceId, seed, engine, detection, calibrationError, maxHoldTimeSeconds, maxShotsPerRun,
                b, shotOverheadSeconds, realTime, rates);
    }

    /** Pacing: each shot takes {@code overheadSeconds} (+ its hold time when {@code realTime}) of wall time. */
    public SimOptions withPacing(double overheadSeconds, boolean rt) {
        return new SimOptions(deviceId, seed, engine, detection, calibrationError, maxHoldTimeSeconds, maxShotsPerRun,
                batchSize, overheadSeconds, rt, rates);
    }

    public SimOptions withRates(RateModel r) {
        return new SimOptions(deviceId, seed, engine, detection, calibrationError, maxHoldTimeSeconds, maxShotsPerRun,
                batchSize, shotOverheadSeconds, realTime, r);
    }
}
