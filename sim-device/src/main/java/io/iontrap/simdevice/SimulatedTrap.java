package io.iontrap.simdevice;

import io.iontrap.hardware.device.AbstractDevice;
import io.iontrap.hardware.drive.ChannelSetting;
import io.iontrap.hardware.drive.DriveDecoder;
import io.iontrap.hardware.drive.DriveSettings;
import io.iontrap.hardware.protocol.DeviceLimits;
import io.iontrap.hardware.protocol.ErrorCode;
import io.iontrap.hardware.protocol.Message;
import io.iontrap.hardware.trap.TrapFile;
import io.iontrap.hardware.trap.TrapSpec;
import io.iontrap.hardware.units.ModelUnit;
import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;
import io.iontrap.model.SpinFlipRates;
import io.iontrap.model.master.MasterEquation;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * The simulated ion trap: a device of the hardware protocol ({@link AbstractDevice}) with physics behind it.
 * <ul>
 *   <li>Keeps its own trap description and limits ({@link DeviceLimits#fromTrap}) and checks every
 *       configure and run against them itself, whatever the client checked.</li>
 *   <li>On configure, turns the drive settings back into model parameters with {@link DriveDecoder} (the same
 *       calibration tables as the compiler); the true couplings differ from those by the device's fixed
 *       calibration error ({@link SimOptions#calibrationError()}).</li>
 *   <li>Runs a schedule: for each hold time, S shots; each shot draws the true configuration from the
 *       engine ({@link Engine}), then the per-ion detection error, with a random stream that depends only on
 *       (seed, run id, shot index): a run is reproducible, shot by shot.</li>
 *   <li>Streams shots in batches as they are measured and a {@code status} progress event at every schedule
 *       point and at least every half second.</li>
 *   <li>Abort (and a lost client link, see {@link SafetyWatchdog} and the MQTT client's last will) applies
 *       the safe state: every channel off, amplitude 0.</li>
 * </ul>
 * Hold times are seconds; the model is decoded in 2π×kHz, so a hold of t s is t·2π·10³ model time units.
 */
public class SimulatedTrap extends AbstractDevice {
    private static final Logger LOG = Logger.getLogger(SimulatedTrap.class.getName());
    public static final String FIRMWARE = "sim-device 0.1.0";
    /** The unit the device decodes its drives in; the physics does not depend on it. */
    public static final ModelUnit UNIT = ModelUnit.TWO_PI_KHZ;
    private static final int HISTORY = 1000;
    private static final long PROGRESS_NANOS = 500_000_000L;

    private final TrapSpec trap;
    private final SimOptions options;
    private final DetectionError detection;
    private final double[] couplingFactors;
    private final Deque<DriveSettings> history = new ArrayDeque<>();
    private volatile DriveState drive = DriveState.OFF;
    private volatile EventSink runEvents = e -> { };
    private volatile EventSink lastEvents = e -> { };
    private RunContext context;
    private volatile String lastEngine;

    /** What the drives in force realise: the nominal model, or why there is none. */
    record DriveState(DriveSettings settings, Parameters nominal, String problem, List<String> warnings) {
        static final DriveState OFF = new DriveState(null, null, "not configured", List.of());
    }

    public SimulatedTrap(TrapSpec trap, SimOptions options) {
        super(options.deviceId(), "iontrap simulated trap (" + trap.name() + ")", FIRMWARE + " (engine "
                        + options.engine().label() + ")",
                DeviceLimits.fromTrap(trap, options.maxHoldTimeSeconds(), options.maxShotsPerRun()),
                streamingBatch(options));
        this.trap = trap;
        this.options = options;
        int n = trap.spinIons().size();
        this.detection = options.detection().forIons(n);
        this.couplingFactors = new double[n];
        SplittableRandom r = new SplittableRandom(mix(options.seed(), 0xCA1BL));
        for (int i = 0; i < n; i++) {
            couplingFactors[i] = 1 + options.calibrationError() * gaussian(r);
        }
    }

    /**
     * Shots per streamed batch: {@link SimOptions#batchSize()}, made smaller when shots are paced so that a
     * batch goes out at least every ~0.25 s (one shot per batch in real time, as a real trap streams).
     */
    static int streamingBatch(SimOptions o) {
        if (o.realTime()) {
            return 1;
        }
        if (o.shotOverheadSeconds() > 0) {
            return (int) Math.max(1, Math.min(o.batchSize(), Math.floor(0.25 / o.shotOverheadSeconds())));
        }
        return o.batchSize();
    }

    /** The embedded default of dry runs: a trap file and a seed, everything else {@link SimOptions#defaults()}. */
    public static SimulatedTrap fromTrapFile(Path trapFile, long seed) {
        return new SimulatedTrap(TrapFile.read(trapFile), SimOptions.defaults().withSeed(seed));
    }

    /** Name of the built-in trap (examples/trap-ca40-6ion.json, packaged with the module). */
    public static final String BUILT_IN_TRAP = "trap-ca40-6ion.json";

    /** The built-in trap: the 4-spin ⁴⁰Ca⁺ example of examples/ (used when no trap file is given). */
    public static TrapSpec builtInTrap() {
        try (var in = SimulatedTrap.class.getResourceAsStream(BUILT_IN_TRAP)) {
            if (in == null) {
                throw new IllegalStateException("built-in trap " + BUILT_IN_TRAP + " missing from the class path");
            }
            return TrapFile.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public TrapSpec trap() {
        return trap;
    }

    public SimOptions options() {
        return options;
    }

    public int spins() {
        return couplingFactors.length;
    }

    /** g_i,true / g_i,nominal per spin ion (1 without calibration error). */
    public double[] couplingFactors() {
        return couplingFactors.clone();
    }

    /** The model the drives in force realise according to the calibration (null when none). */
    public Parameters nominalModel() {
        return drive.nominal();
    }

    /** The model the simulated ions really follow (nominal with the calibration error), null when none. */
    public Parameters trueModel() {
        Parameters p = drive.nominal();
        return p == null ? null : trueModel(p);
    }

    private Parameters trueModel(Parameters nominal) {
        double[] g = nominal.g();
        for (int i = 0; i < g.length; i++) {
            g[i] *= couplingFactors[i];
        }
        return nominal.withCouplings(g);
    }

    /** Why the drives in force realise no model (null when they do). */
    public String modelProblem() {
        DriveState d = drive;
        return d.nominal() == null ? d.problem() : null;
    }

    /** The engine of the latest run (null before any). */
    public String lastEngine() {
        return lastEngine;
    }

    /** Whether every channel is off now (the safe state). */
    public boolean drivesOff() {
        DriveSettings s = drive.settings();
        if (s == null) {
            return true;
        }
        for (ChannelSetting c : s.channels()) {
            if (c.on() || c.amplitude() != 0) {
                return false;
            }
        }
        return true;
    }

    /** Every setting applied, oldest first (the last {@value #HISTORY}). */
    public List<DriveSettings> appliedHistory() {
        synchronized (history) {
            return new ArrayList<>(history);
        }
    }

    @Override
    protected void apply(DriveSettings settings) {
        synchronized (history) {
            history.addLast(settings);
            if (history.size() > HISTORY) {
                history.removeFirst();
            }
        }
        drive = decode(settings);
        if (drive.nominal() != null) {
            LOG.fine(() -> "drives realise " + drive.nominal());
        }
    }

    private DriveState decode(DriveSettings s) {
        boolean anyOn = false;
        for (ChannelSetting c : s.channels()) {
            anyOn |= c.on();
        }
        if (!anyOn) {
            return new DriveState(s, null, "every channel is off (safe state): configure first", List.of());
        }
        List<String> oneTone = new ArrayList<>();
        for (TrapSpec.Ion ion : trap.spinIons()) {
            ChannelSetting red = s.get(trap.channelFor(TrapSpec.ChannelRole.FORCE_RED, ion.id()).name());
            ChannelSetting blue = s.get(trap.channelFor(TrapSpec.ChannelRole.FORCE_BLUE, ion.id()).name());
            if (red != null && blue != null && red.on() != blue.on()) {
                oneTone.add(ion.id());
            }
        }
        if (!oneTone.isEmpty()) {
            return new DriveState(s, null, "spin ion(s) " + oneTone + " have only one force tone on: a "
                    + "Jaynes-Cummings coupling, not the sigma_z (a + a+) force of the model, which this device "
                    + "cannot simulate", List.of());
        }
        try {
            DriveDecoder.Decoded d = DriveDecoder.decode(trap, s, UNIT);
            Parameters p = d.parameters();
            if (d.omegaSpread() > 0.01 * p.omega()) {
                return new DriveState(s, null, String.format(Locale.ROOT, "the ions see different mode detunings "
                        + "(omega spread %.3g of omega = %.3g %s): the model has one boson frequency",
                        d.omegaSpread(), p.omega(), UNIT.label()), d.warnings());
            }
            List<String> ionsOff = new ArrayList<>();
            for (int i = 0; i < p.size(); i++) {
                if (p.g(i) == 0) {
                    ionsOff.add(trap.spinIons().get(i).id());
                }
            }
            if (!ionsOff.isEmpty()) {
                return new DriveState(s, null, "spin ion(s) " + ionsOff + " have no force (g = 0): the effective "
                        + "model of Eq. (3) needs every spin coupled", d.warnings());
            }
            return new DriveState(s, p, null, d.warnings());
        } catch (RuntimeException e) {
            return new DriveState(s, null, "the drives realise no model: " + e.getMessage(), List.of());
        }
    }

    @Override
    public Message.Reply handle(Message.Command command, EventSink events) {
        lastEvents = events;
        if (command instanceof Message.Run r && limits().check(r).isEmpty() && !state().equals("running")
                && settings() != null) {
            String problem = runProblem(r);
            if (problem != null) {
                return new Message.Error(ErrorCode.EXECUTION_ERROR, "run refused: " + problem, List.of(problem));
            }
            runEvents = events;
        }
        return super.handle(command, events);
    }

    private String runProblem(Message.Run r) {
        DriveState d = drive;
        if (d.nominal() == null) {
            return d.problem();
        }
        int n = spins();
        if (options.engine() == Engine.EXACT && n > MasterEquation.MAX_SPINS) {
            return "engine exact: N = " + n + " spins exceeds " + MasterEquation.MAX_SPINS + "; use kmc";
        }
        if (options.engine() == Engine.LINDBLAD && n > LindbladSampler.MAX_SPINS) {
            return "engine lindblad: N = " + n + " spins exceeds " + LindbladSampler.MAX_SPINS + "; use exact or kmc";
        }
        return null;
    }

    /** Puts the device in its safe state (abort) with a reason, as if a client had sent abort. */
    public void safeState(String reason) {
        handle(new Message.Abort(reason), lastEvents);
    }

    /** The state of one run, built on the worker thread at its first shot (engines can be costly to set up). */
    private final class RunContext {
        final String runId;
        final long runSeed;
        final ShotSampler sampler;
        final int points;
        int lastPoint = -1;
        long lastProgress;

        RunContext(Message.Run run) {
            this.runId = run.runId();
            this.runSeed = mix(options.seed(), run.runId().hashCode() * 0x9E3779B97F4A7C15L + run.runId().length());
            this.points = run.holdTimesSeconds().size();
            DriveState d = drive;
            if (d.nominal() == null) {
                throw new IllegalStateException(d.problem());
            }
            Parameters truth = trueModel(d.nominal());
            SpinFlipRates rates = options.rates().rates(truth);
            long[] initial = initialWords(run.initialState(), spins());
            double[] times = modelTimes(run.holdTimesSeconds());
            EngineSelector.Choice c = EngineSelector.choose(options.engine(), truth, rates, initial, times,
                    run.shotsPerPoint());
            this.sampler = EngineSelector.build(c.engine(), truth, rates, initial, times);
            lastEngine = c.engine().label();
            List<String> validity = truth.validityWarnings();
            if (c.engine() != Engine.LINDBLAD && !validity.isEmpty()) {
                LOG.warning("run " + runId + ": the true model is outside the effective model's validity ("
                        + validity.size() + " condition(s)), e.g. " + validity.get(0));
            }
            LOG.info("run " + runId + ": engine " + c.engine().label() + " (" + c.reason() + "), " + run.totalShots()
                    + " shots");
        }
    }

    @Override
    protected String measure(Message.Run run, int point, double holdTimeSeconds, long shotIndex) {
        RunContext ctx = context;
        if (ctx == null || shotIndex == 0 || !ctx.runId.equals(run.runId())) {
            runEvents.emit(new Message.Status("running", run.runId(), shotIndex, run.totalShots(),
                    "setting up the engine (" + options.engine().label() + ") for " + spins() + " spins"));
            ctx = new RunContext(run);
            context = ctx;
        }
        long now = System.nanoTime();
        if (point != ctx.lastPoint || now - ctx.lastProgress > PROGRESS_NANOS) {
            ctx.lastPoint = point;
            ctx.lastProgress = now;
            runEvents.emit(new Message.Status("running", run.runId(), shotIndex, run.totalShots(),
                    String.format(Locale.ROOT, "point %d/%d (hold %.6g s), engine %s", point + 1, ctx.points,
                            holdTimeSeconds, ctx.sampler.engine().label())));
        }
        SplittableRandom rng = new SplittableRandom(mix(ctx.runSeed, shotIndex));
        long[] truth = ctx.sampler.sample(point, rng);
        char[] bits = detection.read(truth, spins(), rng);
        pace(holdTimeSeconds);
        return new String(bits);
    }

    private void pace(double hold) {
        double wall = options.shotOverheadSeconds() + (options.realTime() ? hold : 0);
        if (wall > 0) {
            long end = System.nanoTime() + (long) (wall * 1e9);
            long left;
            while ((left = end - System.nanoTime()) > 0) {
                LockSupport.parkNanos(left);
            }
        }
    }

    /** Hold times in seconds → model time units ({@link #UNIT}). */
    public static double[] modelTimes(List<Double> seconds) {
        double[] t = new double[seconds.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = seconds.get(i) * UNIT.radPerSecond();
        }
        return t;
    }

    /** The initial configuration of a run (null or empty: every spin down). */
    public static long[] initialWords(String bits, int n) {
        long[] w = new long[(n + 63) >>> 6];
        if (bits == null || bits.isEmpty()) {
            return w;
        }
        if (bits.length() != n) {
            throw new IllegalArgumentException("initial state \"" + bits + "\" must have " + n + " characters");
        }
        for (int i = 0; i < n; i++) {
            char c = bits.charAt(i);
            if (c == '1') {
                w[i >>> 6] |= 1L << (i & 63);
            } else if (c != '0') {
                throw new IllegalArgumentException("initial state \"" + bits + "\": character " + i + " is '" + c
                        + "', expected '0' or '1'");
            }
        }
        return w;
    }

    /**
     * The distribution of what this device reports (true p(t) from the exact master equation of the
     * true model, detection errors folded in) at each hold time: the prediction its shots must agree
     * with. Index = configuration of the read bits (bit i = ion i). N ≤ {@link EngineSelector#EXACT_MAX_SPINS}.
     */
    public double[][] predictReadout(List<Double> holdTimesSeconds, String initialState) {
        Parameters truth = trueModel();
        if (truth == null) {
            throw new IllegalStateException(modelProblem());
        }
        return predictReadout(truth, options.rates(), detection, holdTimesSeconds, initialState);
    }

    /** As {@link #predictReadout(List, String)} for any model, rates and detection errors. */
    public static double[][] predictReadout(Parameters model, RateModel rates, DetectionError detection,
                                            List<Double> holdTimesSeconds, String initialState) {
        int n = model.size();
        MasterEquation me = new MasterEquation(new IsingLandscape(model.g()), rates.rates(model));
        int initial = (int) initialWords(initialState, n)[0];
        double[][] p = me.evolve(initial, modelTimes(holdTimesSeconds));
        for (int k = 0; k < p.length; k++) {
            p[k] = detection.fold(p[k], n);
        }
        return p;
    }

    /**
     * As {@link #predictReadout(List, String)} from the full spin-boson model (Lindblad solver, N ≤ 6): what a
     * device with {@link Engine#LINDBLAD} reports.
     */
    public double[][] predictReadoutFullModel(List<Double> holdTimesSeconds, String initialState) {
        Parameters truth = trueModel();
        if (truth == null) {
            throw new IllegalStateException(modelProblem());
        }
        return predictReadoutFullModel(truth, detection, holdTimesSeconds, initialState);
    }

    public static double[][] predictReadoutFullModel(Parameters model, DetectionError detection,
                                                     List<Double> holdTimesSeconds, String initialState) {
        int n = model.size();
        double[][] p = LindbladSampler.populations(model, (int) initialWords(initialState, n)[0],
                modelTimes(holdTimesSeconds));
        for (int k = 0; k < p.length; k++) {
            p[k] = detection.fold(p[k], n);
        }
        return p;
    }

    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
