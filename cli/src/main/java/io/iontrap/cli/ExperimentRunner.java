package io.iontrap.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iontrap.analysis.Analysis;
import io.iontrap.analysis.data.RunData;
import io.iontrap.analysis.data.RunFile;
import io.iontrap.analysis.data.ShotJournal;
import io.iontrap.analysis.fit.FitSpec;
import io.iontrap.hardware.client.DeviceTimeoutException;
import io.iontrap.hardware.client.IonTrapClient;
import io.iontrap.hardware.client.RunResult;
import io.iontrap.hardware.drive.DriveCompiler;
import io.iontrap.hardware.drive.DrivePlan;
import io.iontrap.hardware.drive.Feasibility;
import io.iontrap.hardware.drive.LimitCheck;
import io.iontrap.hardware.protocol.DeviceLimits;
import io.iontrap.hardware.protocol.Envelope;
import io.iontrap.hardware.protocol.JsonCodec;
import io.iontrap.hardware.protocol.Message;
import io.iontrap.hardware.transport.MqttConfig;
import io.iontrap.hardware.transport.MqttLink;
import io.iontrap.hardware.transport.SerialLink;
import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;
import io.iontrap.simdevice.DetectionError;
import io.iontrap.simdevice.SimDeviceServer;
import io.iontrap.simdevice.SimOptions;
import io.iontrap.simdevice.SimulatedTrap;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;
import sun.misc.SignalHandler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The experiment workflow behind {@code iontrap run} (and the demo): plan every scan point (compile and
 * validate), connect, identify and check the device's limits, configure, run the schedule while recording
 * every shot (journal forced to disk per batch, HDF5 run file rewritten atomically at checkpoints and at
 * the end), then analyse. Interrupted runs (Ctrl-C: the device is aborted first; link lost; device error)
 * keep every recorded shot in a run file marked incomplete; {@link #execute(boolean)} with resume runs only
 * the shots still missing.
 *
 * <p>Output folder: {@code experiment.json} (resolved, self-contained), {@code plan.json}, per scan point k
 * {@code run-k.h5} and {@code run-k.journal}, and {@code analysis/} (report).
 */
final class ExperimentRunner {
    /** Exit status of a run that stopped before completing (link lost, device error); resumable. */
    static final int INCOMPLETE = 3;
    static final int INTERRUPTED = 130;
    private static final long CHECKPOINT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final ExperimentFile exp;
    private final Path out;
    private final PrintWriter err;
    private final Function<String, MqttConfig> mqttConfig;
    private final List<Planned> points = new ArrayList<>();
    private volatile boolean interrupted;
    private volatile IonTrapClient client;
    private String session = "s0";
    /** Set by the demo: a device to use instead of building one from the spec (its trap, its options). */
    SimulatedTrap simOverride;
    boolean quiet;
    boolean installHook = true;
    /** What happened, for --json and the demo. */
    final ObjectNode summary = Json.object();
    double shotsPerSecond = Double.NaN;

    /** One compiled scan point. */
    record Planned(ExperimentFile.Point point, double scale, Parameters lab, DrivePlan plan, double[] holdSeconds,
                   double[] labTimes, Path runFile, Path journal) {
    }

    ExperimentRunner(ExperimentFile exp, Path out, PrintWriter err, Function<String, MqttConfig> mqttConfig) {
        this.exp = exp;
        this.out = out;
        this.err = err;
        this.mqttConfig = mqttConfig;
    }

    List<Planned> points() {
        return points;
    }

    /** Compiles every scan point; returns every violation (empty when every plan holds). */
    List<String> plan() {
        List<String> violations = new ArrayList<>();
        double common = exp.scale() == null ? Double.POSITIVE_INFINITY : exp.scale();
        if (exp.scale() == null) {
            // "fastest": the largest scale feasible at every scan point, so that all points share one lab
            // time scale (beta_eff, fitted frequencies and hold times in seconds are comparable across the scan)
            for (ExperimentFile.Point pt : exp.points()) {
                Feasibility.Result best = Feasibility.fastest(exp.trap(), pt.model(), exp.labUnit());
                if (!best.feasible()) {
                    for (LimitCheck c : best.binding()) {
                        violations.add("point " + pt.index() + " (" + pt.describe() + "): no feasible lab scale: "
                                + c.message());
                    }
                    if (best.binding().isEmpty()) {
                        violations.add("point " + pt.index() + " (" + pt.describe() + "): no lab scale in 1e-6..1e6 is "
                                + "feasible on trap " + exp.trap().name());
                    }
                } else {
                    common = Math.min(common, best.scale());
                }
            }
            if (!violations.isEmpty()) {
                return violations;
            }
        }
        for (ExperimentFile.Point pt : exp.points()) {
            double s = common;
            Parameters lab = Feasibility.scale(pt.model(), s);
            DrivePlan plan = DriveCompiler.compile(exp.trap(), lab, exp.labUnit());
            for (LimitCheck c : plan.violations()) {
                violations.add("point " + pt.index() + " (" + pt.describe() + "): " + c.message());
            }
            double[] sec = exp.holdSeconds(s);
            double[] labTimes = new double[sec.length];
            for (int i = 0; i < sec.length; i++) {
                labTimes[i] = exp.holdTimes()[i] / s;
            }
            points.add(new Planned(pt, s, lab, plan, sec, labTimes, out.resolve("run-" + pt.index() + ".h5"),
                    out.resolve("run-" + pt.index() + ".journal")));
        }
        return violations;
    }

    /** The device runs that complete a point from what is recorded: a list of (time indices, shots each). */
    List<int[]> deviceRuns(int[] recorded) {
        int n = exp.holdTimes().length;
        int planned = exp.shotsPerTime() * exp.repetitions();
        int[] rec = recorded.clone();
        List<int[]> runs = new ArrayList<>();
        while (true) {
            boolean all = true;
            boolean any = false;
            for (int t = 0; t < n; t++) {
                all &= planned - rec[t] >= exp.shotsPerTime();
                any |= planned - rec[t] > 0;
            }
            if (!any) {
                return runs;
            }
            if (all) {
                int[] r = new int[n + 1];
                for (int t = 0; t < n; t++) {
                    r[t] = t;
                    rec[t] += exp.shotsPerTime();
                }
                r[n] = exp.shotsPerTime();
                runs.add(r);
                continue;
            }
            TreeMap<Integer, List<Integer>> byMissing = new TreeMap<>();
            for (int t = 0; t < n; t++) {
                int m = Math.min(planned - rec[t], exp.shotsPerTime());
                if (m > 0) {
                    byMissing.computeIfAbsent(m, k -> new ArrayList<>()).add(t);
                }
            }
            for (Map.Entry<Integer, List<Integer>> e : byMissing.entrySet()) {
                int[] r = new int[e.getValue().size() + 1];
                for (int j = 0; j < e.getValue().size(); j++) {
                    r[j] = e.getValue().get(j);
                    rec[r[j]] += e.getKey();
                }
                r[r.length - 1] = e.getKey();
                runs.add(r);
            }
        }
    }

    /** What --dry-run prints: the compiled plans and every message that would be sent, in order. */
    ObjectNode dryRun() {
        ObjectNode o = Json.object();
        o.set("experiment", exp.resolved());
        o.put("output", out.toString());
        o.put("device", exp.device().uri());
        ArrayNode pts = o.putArray("points");
        ArrayNode send = o.putArray("wouldSend");
        long expires = 0;
        int id = 0;
        send.add(JsonCodec.encode(Envelope.command("dry-" + ++id, expires, new Message.Identify("iontrap-run"))));
        send.add(JsonCodec.encode(Envelope.command("dry-" + ++id, expires, new Message.GetStatus())));
        for (Planned p : points) {
            ObjectNode x = pts.addObject();
            x.put("index", p.point().index());
            x.put("scan", p.point().describe());
            x.put("labScale", p.scale());
            x.put("labUnits", exp.labUnit().label());
            Json.putArray(x, "holdTimesModel", exp.holdTimes());
            Json.putArray(x, "holdTimesSeconds", p.holdSeconds());
            x.put("runFile", p.runFile().toString());
            x.set("plan", PlanCommand.toJson(p.plan(), Feasibility.fastest(exp.trap(), p.point().model(), exp.labUnit()),
                    exp.labUnit(), p.scale()));
            x.put("modelUnitsNote", "lab value = labScale x model value, in " + exp.labUnit().label()
                    + "; seconds = model time / (labScale x " + exp.labUnit().radPerSecond() + " rad/s)");
            send.add(JsonCodec.encode(Envelope.command("dry-" + ++id, expires,
                    new Message.Configure(p.plan().settingsToSend()))));
            int rep = 0;
            for (int[] r : deviceRuns(new int[exp.holdTimes().length])) {
                send.add(JsonCodec.encode(Envelope.command("dry-" + ++id, expires, runMessage(p, r, "p" + p.point().index()
                        + "-r" + rep++))));
            }
        }
        return o;
    }

    private Message.Run runMessage(Planned p, int[] r, String tag) {
        List<Double> holds = new ArrayList<>();
        for (int j = 0; j < r.length - 1; j++) {
            holds.add(p.holdSeconds()[r[j]]);
        }
        return new Message.Run(exp.name() + "-" + tag + "-" + session, holds, r[r.length - 1], exp.initial());
    }

    /**
     * Run ids are deterministic (the simulated device draws every shot from (seed, run id, shot index), so a
     * run is reproducible) and differ between sessions of one experiment: the tag says how many shots of the
     * point were recorded before ({@code s0} for a fresh run).
     */
    private void session(long recordedBefore) {
        session = "s" + recordedBefore;
    }

    /** Records the shots of one scan point: journal per batch, run file at checkpoints. */
    private final class Recorder implements AutoCloseable {
        final Planned p;
        final List<List<Long>> shots = new ArrayList<>();
        final ShotJournal journal;
        final RunData template;
        long lastCheckpoint = System.nanoTime();
        long received;

        Recorder(Planned p, RunData start) throws IOException {
            this.p = p;
            this.template = start;
            for (int t = 0; t < start.timeCount(); t++) {
                List<Long> l = new ArrayList<>();
                for (long s : start.shots(t)) {
                    l.add(s);
                }
                shots.add(l);
            }
            this.journal = ShotJournal.open(p.journal(), exp.spins());
        }

        int[] recorded() {
            synchronized (this) {
                int[] r = new int[shots.size()];
                for (int t = 0; t < r.length; t++) {
                    r[t] = shots.get(t).size();
                }
                return r;
            }
        }

        /** On the client's event thread: one streamed batch, journalled and forced to disk before returning. */
        void accept(int[] timeIndex, List<Message.Shot> batch) {
            synchronized (this) {
                Map<Integer, List<Long>> byT = new TreeMap<>();
                for (Message.Shot s : batch) {
                    int t = timeIndex[s.point()];
                    byT.computeIfAbsent(t, k -> new ArrayList<>()).add(IsingLandscape.configuration(s.bits(), exp.spins()));
                }
                for (Map.Entry<Integer, List<Long>> e : byT.entrySet()) {
                    try {
                        journal.append(e.getKey(), e.getValue().stream().mapToLong(Long::longValue).toArray());
                    } catch (IOException ex) {
                        throw new java.io.UncheckedIOException("cannot journal shots to " + p.journal(), ex);
                    }
                    shots.get(e.getKey()).addAll(e.getValue());
                }
                received += batch.size();
            }
        }

        RunData snapshot() {
            synchronized (this) {
                long[][] s = new long[shots.size()][];
                boolean complete = true;
                int[] planned = template.plannedShots();
                for (int t = 0; t < s.length; t++) {
                    s[t] = shots.get(t).stream().mapToLong(Long::longValue).toArray();
                    complete &= s[t].length == planned[t];
                }
                return template.toBuilder().shots(s).complete(complete).build();
            }
        }

        RunData checkpoint() throws IOException {
            RunData r = snapshot();
            RunFile.write(r, p.runFile());
            lastCheckpoint = System.nanoTime();
            return r;
        }

        @Override
        public void close() throws IOException {
            journal.close();
        }
    }

    private RunData fresh(Planned p, double[][] detection) {
        int n = exp.spins();
        int[] planned = new int[exp.holdTimes().length];
        java.util.Arrays.fill(planned, exp.shotsPerTime() * exp.repetitions());
        long[][] empty = new long[planned.length][0];
        RunData.Builder b = RunData.builder(n).model(p.plan().achieved()).units(exp.labUnit().label())
                .schedule(p.labTimes(), planned).initial(IsingLandscape.configuration(exp.initial(), n)).shots(empty)
                .trapJson(exp.trapText()).hardwareJson(JsonCodec.settings(p.plan().quantised()).toString())
                .complete(false)
                .provenance("software", "iontrap 0.1.0")
                .provenance("command", "iontrap run")
                .provenance("experiment", exp.resolved().toString())
                .provenance("experiment_file", exp.source() == null ? "(resumed or built in)" : exp.source().toString())
                .provenance("scan_point", Integer.toString(p.point().index()))
                .provenance("scan", p.point().describe())
                .provenance("lab_scale", Double.toString(p.scale()))
                .provenance("hold_times_model_units", java.util.Arrays.toString(exp.holdTimes()))
                .provenance("device", exp.device().uri());
        if (detection != null) {
            b.detectionError(detection);
        }
        return b.build();
    }

    private double[][] detectionErrors(SimulatedTrap sim) {
        int n = exp.spins();
        double[][] e = new double[n][];
        if (sim != null) {
            DetectionError d = sim.options().detection().forIons(n);
            if (d.none()) {
                return null;
            }
            for (int i = 0; i < n; i++) {
                e[i] = new double[] {d.readOneGivenZero(i), d.readZeroGivenOne(i)};
            }
            return e;
        }
        if (exp.detectionError() == null) {
            return null;
        }
        for (int i = 0; i < n; i++) {
            e[i] = new double[] {exp.detectionError(), exp.detectionError()};
        }
        return e;
    }

    /** Runs (or resumes) the experiment. Returns the exit status. */
    int execute(boolean resume) throws IOException {
        Files.createDirectories(out);
        if (!resume) {
            for (Planned p : points) {
                if (Files.exists(p.runFile()) || Files.exists(p.journal())) {
                    throw new IllegalArgumentException("output: " + out + " already holds " + p.runFile().getFileName()
                            + ": resume it with iontrap run --resume " + p.runFile() + ", or choose another output folder");
                }
            }
        }
        write(out.resolve("experiment.json"), Json.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsString(exp.resolved()));
        write(out.resolve("plan.json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(dryRun()));

        SimDeviceServer sim = null;
        SimulatedTrap simDevice = null;
        try {
            IonTrapClient.Options opts = exp.device().serial()
                    ? new IonTrapClient.Options(Duration.ofMillis(300), 5, Duration.ofSeconds(10))
                    : IonTrapClient.Options.defaults();
            if (exp.device().timeoutSeconds() != null || exp.device().retries() != null) {
                opts = new IonTrapClient.Options(exp.device().timeoutSeconds() == null ? opts.timeout()
                        : Duration.ofMillis(Math.round(1000 * exp.device().timeoutSeconds())),
                        exp.device().retries() == null ? opts.retries() : exp.device().retries(), opts.commandTtl());
            }
            if (exp.device().simulated()) {
                simDevice = simOverride != null ? simOverride
                        : new SimulatedTrap(exp.trap(), SimOptions.parse(exp.device().uri()));
                sim = SimDeviceServer.inProcess(simDevice);
                client = new IonTrapClient(sim.clientLink(), opts);
            } else if (exp.device().serial()) {
                client = new IonTrapClient(new SerialLink(exp.device().serialPath(), exp.device().baud()), opts);
            } else {
                client = new IonTrapClient(new MqttLink(mqttConfig.apply(exp.device().brokerUri()),
                        exp.device().mqttDeviceId(), MqttLink.Role.CLIENT), opts);
            }
            if (installHook) {
                // a signal handler, not a shutdown hook: shutdown hooks run in no fixed order and jSerialComm's
                // closes the serial port in one, so an abort sent from a hook may never leave the process
                SignalHandler onSignal = sig -> interruptNow(sig.getName());
                for (String name : new String[] {"INT", "TERM"}) {
                    try {
                        previous.put(name, Signal.handle(new Signal(name), onSignal));
                    } catch (IllegalArgumentException e) {
                        // signal not available here
                    }
                }
            }
            return runAll(resume, simDevice);
        } finally {
            for (Map.Entry<String, SignalHandler> e : previous.entrySet()) {
                Signal.handle(new Signal(e.getKey()), e.getValue());
            }
            previous.clear();
            IonTrapClient c = client;
            if (c != null) {
                c.close();
            }
            if (sim != null) {
                sim.close();
            }
        }
    }

    private final Map<String, SignalHandler> previous = new LinkedHashMap<>();

    /** Ctrl-C / SIGTERM: abort the device first, then let the run loop save what arrived (exit 130). */
    private void interruptNow(String signal) {
        if (interrupted) {
            return;
        }
        interrupted = true;
        IonTrapClient c = client;
        if (c != null) {
            try {
                c.abort("interrupted by the operator (SIG" + signal + ")");
                err.println();
                err.println("iontrap run: interrupted (SIG" + signal + "): device aborted (drives off); saving the "
                        + "shots so far");
            } catch (RuntimeException e) {
                err.println("iontrap run: interrupted (SIG" + signal + "); abort not acknowledged: " + e.getMessage());
            }
            err.flush();
        }
    }

    private int runAll(boolean resume, SimulatedTrap simDevice) throws IOException {
        Message.Identity id;
        try {
            id = client.identify();
        } catch (DeviceTimeoutException e) {
            throw new DeviceUnreachable("device " + exp.device().uri() + " does not answer: " + e.getMessage());
        }
        DeviceLimits lim = id.limits();
        List<String> bad = new ArrayList<>();
        if (lim.spins() != exp.spins()) {
            bad.add("spins: the device has " + lim.spins() + " spin ions, the experiment N = " + exp.spins());
        }
        for (Planned p : points) {
            for (String v : lim.check(p.plan().quantised())) {
                bad.add("point " + p.point().index() + ": " + v);
            }
            for (int t = 0; t < p.holdSeconds().length; t++) {
                if (p.holdSeconds()[t] > lim.maxHoldTimeSeconds()) {
                    bad.add(String.format(Locale.ROOT, "point %d: hold time %d = %.6g s (%.6g model units at lab scale "
                                    + "%.6g) > maxHoldTimeSeconds = %.6g s", p.point().index(), t, p.holdSeconds()[t],
                            exp.holdTimes()[t], p.scale(), lim.maxHoldTimeSeconds()));
                }
            }
        }
        long perRun = (long) exp.holdTimes().length * exp.shotsPerTime();
        if (perRun > lim.maxShotsPerRun()) {
            bad.add("shots: " + perRun + " per device run (holdTimes x shotsPerTime) > maxShotsPerRun = "
                    + lim.maxShotsPerRun());
        }
        if (!bad.isEmpty()) {
            err.println("iontrap run: device " + id.deviceId() + " (" + id.model() + ") cannot run this plan: " + bad.size()
                    + " limit(s) violated, nothing was sent:");
            bad.forEach(b -> err.println("  " + b));
            err.flush();
            return 2;
        }
        if (!quiet) {
            err.printf(Locale.ROOT, "iontrap run: device %s (%s, firmware %s) over %s%n", id.deviceId(), id.model(),
                    id.firmware(), exp.device().uri());
        }
        Message.Status st = client.status();
        if ("running".equals(st.state())) {
            err.println("iontrap run: the device is still running " + st.runId() + " (an interrupted session): aborting it");
            client.abort("stale run of an interrupted session");
        }
        double[][] det = detectionErrors(simDevice);
        long totalShots = 0;
        long t0 = System.nanoTime();
        ArrayNode files = summary.putArray("runFiles");
        for (Planned p : points) {
            files.add(p.runFile().toString());
            List<String> warnings = new ArrayList<>();
            RunData start;
            if (resume && Files.exists(p.runFile())) {
                RunData cp = RunFile.read(p.runFile(), warnings);
                start = ShotJournal.replay(cp, p.journal(), warnings);
                for (String w : warnings) {
                    err.println("iontrap run: " + w);
                }
                if (start.complete()) {
                    if (!cp.complete()) {
                        RunFile.write(start, p.runFile());
                    }
                    continue;
                }
            } else {
                start = fresh(p, det);
                RunFile.write(start, p.runFile());
            }
            int status;
            try (Recorder rec = new Recorder(p, start)) {
                status = runPoint(p, rec);
                RunData r = rec.checkpoint();
                totalShots += rec.received;
                if (status != 0) {
                    err.printf(Locale.ROOT, "iontrap run: %d shots of point %d recorded in %s (incomplete); complete it "
                            + "with: iontrap run --resume %s%n", r.totalRecorded(), p.point().index(), p.runFile(),
                            p.runFile());
                    err.flush();
                    summary.put("complete", false);
                    return status;
                }
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        shotsPerSecond = totalShots / Math.max(secs, 1e-9);
        summary.put("complete", true);
        summary.put("shotsRecorded", totalShots);
        summary.put("runSeconds", secs);
        summary.put("shotsPerSecond", shotsPerSecond);
        if (!quiet) {
            err.printf(Locale.ROOT, "iontrap run: %d shots recorded in %.1f s (%.0f shots/s)%n", totalShots, secs,
                    shotsPerSecond);
        }
        client.close();
        return 0;
    }

    /** Thrown when the device never answers (exit 3). */
    static final class DeviceUnreachable extends RuntimeException {
        DeviceUnreachable(String m) {
            super(m);
        }
    }

    private int runPoint(Planned p, Recorder rec) throws IOException {
        client.configure(p.plan());
        session(rec.snapshot().totalRecorded());
        int k = 0;
        List<int[]> runs = deviceRuns(rec.recorded());
        long planned = 0;
        for (int[] r : runs) {
            planned += (long) (r.length - 1) * r[r.length - 1];
        }
        long base = rec.received;
        long start = System.nanoTime();
        for (int[] r : runs) {
            if (interrupted) {
                return INTERRUPTED;
            }
            int[] tmap = java.util.Arrays.copyOf(r, r.length - 1);
            Message.Run m = runMessage(p, r, "p" + p.point().index() + "-r" + k++);
            long[] lastHeard = {System.nanoTime()};
            client.onStatus(s -> lastHeard[0] = System.nanoTime());
            IonTrapClient.RunHandle h = client.run(m.runId(), m.holdTimesSeconds(), m.shotsPerPoint(), m.initialState(),
                    batch -> {
                        lastHeard[0] = System.nanoTime();
                        rec.accept(tmap, batch);
                    });
            RunResult result = null;
            long lastProgress = 0;
            while (result == null) {
                try {
                    result = h.completion().get(250, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // progress, checkpoint, interruption and link checks below
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    interrupted = true;
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
                if (interrupted) {
                    waitForAbort(h);
                    return INTERRUPTED;
                }
                long now = System.nanoTime();
                if (now - lastProgress > 500_000_000L) {
                    progress(p, rec.received - base, planned, start, now);
                    lastProgress = now;
                }
                if (now - rec.lastCheckpoint > CHECKPOINT_NANOS) {
                    rec.checkpoint();
                }
                if (result == null && now - lastHeard[0] > (long) (exp.device().linkTimeoutSeconds() * 1e9)) {
                    try {
                        Message.Status s = client.status();
                        lastHeard[0] = System.nanoTime();
                        if (m.runId().equals(s.runId()) && !"running".equals(s.state())) {
                            try {
                                result = h.await(Duration.ofSeconds(30));
                            } catch (TimeoutException ex) {
                                err.println("\niontrap run: device says run " + m.runId() + " is over but the result "
                                        + "did not complete");
                                return INCOMPLETE;
                            }
                        }
                    } catch (DeviceTimeoutException ex) {
                        err.println();
                        err.println("iontrap run: link lost (" + exp.device().uri() + "): " + ex.getMessage());
                        return INCOMPLETE;
                    }
                }
            }
            if (!"completed".equals(result.outcome()) || result.missing() > 0) {
                err.println();
                err.println("iontrap run: device run " + m.runId() + " ended " + result.outcome()
                        + (result.detail() == null ? "" : " (" + result.detail() + ")")
                        + (result.missing() > 0 ? ", " + result.missing() + " shots missing" : ""));
                return interrupted ? INTERRUPTED : INCOMPLETE;
            }
        }
        progress(p, rec.received - base, planned, start, System.nanoTime());
        if (!quiet) {
            err.println();
            err.flush();
        }
        return 0;
    }

    private void waitForAbort(IonTrapClient.RunHandle h) {
        try {
            h.completion().get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // saved with what arrived
        }
    }

    private void progress(Planned p, long done, long planned, long start, long now) {
        if (quiet) {
            return;
        }
        double secs = (now - start) / 1e9;
        double rate = done / Math.max(secs, 1e-9);
        String left = rate > 0 && done < planned ? String.format(Locale.ROOT, "%.0f s left", (planned - done) / rate)
                : done >= planned ? "done" : "-";
        err.printf(Locale.ROOT, "\r[point %d/%d: %s] %d/%d shots (%.0f%%), %.0f shots/s, %s   ",
                p.point().index() + 1, points.size(), p.point().describe(), done, planned,
                planned == 0 ? 100.0 : 100.0 * done / planned, rate, left);
        err.flush();
    }

    /** Analyses the recorded run files into {@code out/analysis}; returns the summary (scan or single). */
    Map<String, Object> analyse() throws IOException {
        Path dir = out.resolve("analysis");
        FitSpec fit = FitSpec.parse(exp.fit()).withLevel(exp.level());
        Analysis.Options o = new Analysis.Options().plots(exp.plots());
        List<Path> files = new ArrayList<>();
        for (Planned p : points) {
            files.add(p.runFile());
        }
        Map<String, Object> s;
        if (files.size() == 1) {
            s = Analysis.run(files.get(0), null, fit, dir, o);
            storeResults(files.get(0), dir.resolve(Analysis.SUMMARY));
            summary.put("report", dir.resolve(Analysis.REPORT).toString());
        } else {
            s = Analysis.scan(files, null, fit, dir, o);
            for (int k = 0; k < files.size(); k++) {
                storeResults(files.get(k), dir.resolve("run-" + k).resolve(Analysis.SUMMARY));
            }
            summary.put("report", dir.resolve("scan.html").toString());
        }
        return s;
    }

    private static void storeResults(Path runFile, Path summaryJson) throws IOException {
        if (!Files.exists(summaryJson)) {
            return;
        }
        RunData r = RunFile.read(runFile);
        RunFile.write(r, RunFile.Results.of(r, Files.readString(summaryJson, StandardCharsets.UTF_8)), runFile);
    }

    private static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static Map<String, Object> linked() {
        return new LinkedHashMap<>();
    }
}
