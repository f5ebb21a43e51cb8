package io.iontrap.hardware.device;

import io.iontrap.hardware.drive.DriveSettings;
import io.iontrap.hardware.protocol.DeviceLimits;
import io.iontrap.hardware.protocol.ErrorCode;
import io.iontrap.hardware.protocol.JsonCodec;
import io.iontrap.hardware.protocol.Message;
import io.iontrap.hardware.protocol.Message.Shot;
import java.util.ArrayList;
import java.util.List;

/**
 * The protocol behaviour every device shares, for the simulated device and test doubles to extend:
 * identify, configure (checked against the device's own {@link DeviceLimits}; every violation listed,
 * nothing applied when one is found), run (a schedule on a worker thread, shots streamed in batches
 * and stored for {@code fetch}), abort (safe state at once: every channel off, the run ends
 * "aborted"), status. Subclasses say how channels are set and how one shot is measured.
 */
public abstract class AbstractDevice implements DeviceEndpoint, AutoCloseable {
    public static final List<String> CAPABILITIES = List.of("identify", "configure", "run", "abort", "status",
            "fetch", "expiry", "replay-guard");
    private final String deviceId;
    private final String model;
    private final String firmware;
    private final DeviceLimits limits;
    private final int batchSize;
    private final Object lock = new Object();
    private DriveSettings settings;
    private String state = "idle";
    private String runId;
    private long shotsTotal;
    private Thread worker;
    private volatile boolean abortRequested;
    private final List<Shot> stored = new ArrayList<>();

    protected AbstractDevice(String deviceId, String model, String firmware, DeviceLimits limits, int batchSize) {
        this.deviceId = deviceId;
        this.model = model;
        this.firmware = firmware;
        this.limits = limits;
        this.batchSize = batchSize;
    }

    /** Sets every channel (the settings passed the limit check). {@code settings.allOff()} is the safe state. */
    protected abstract void apply(DriveSettings settings);

    /** Measures one shot: prepare {@code initialState}, hold for {@code holdTimeSeconds}, read every spin. */
    protected abstract String measure(Message.Run run, int point, double holdTimeSeconds, long shotIndex);

    public DeviceLimits limits() {
        return limits;
    }

    /** The settings in force (null before configure and after abort). */
    public DriveSettings settings() {
        synchronized (lock) {
            return settings;
        }
    }

    public String state() {
        synchronized (lock) {
            return state;
        }
    }

    @Override
    public Message.Reply handle(Message.Command command, EventSink events) {
        if (command instanceof Message.Identify) {
            return new Message.Identity(deviceId, model, firmware, JsonCodec.PROTOCOL_VERSION, CAPABILITIES, limits);
        }
        if (command instanceof Message.Abort a) {
            return abort(a, events);
        }
        if (command instanceof Message.GetStatus) {
            return status(null);
        }
        if (command instanceof Message.Configure c) {
            return configure(c.settings(), events);
        }
        if (command instanceof Message.Run r) {
            return run(r, events);
        }
        if (command instanceof Message.Fetch f) {
            return fetch(f);
        }
        return new Message.Error(ErrorCode.COMMAND_ERROR, "unsupported command " + command.type(), List.of());
    }

    private Message.Status status(String detail) {
        synchronized (lock) {
            return new Message.Status(state, runId, stored.size(), shotsTotal, detail);
        }
    }

    private Message.Reply configure(DriveSettings s, EventSink events) {
        List<String> violations = limits.check(s);
        if (!violations.isEmpty()) {
            return new Message.Error(ErrorCode.DATA_OUT_OF_RANGE, "settings refused: " + violations.size()
                    + " limit(s) violated, nothing applied", violations);
        }
        synchronized (lock) {
            if (state.equals("running")) {
                return new Message.Error(ErrorCode.SETTINGS_CONFLICT, "cannot configure while running " + runId,
                        List.of());
            }
            apply(s);
            settings = s;
            state = "configured";
        }
        events.emit(status("configured"));
        return new Message.Ok("configured " + s.channels().size() + " channels");
    }

    private Message.Reply run(Message.Run r, EventSink events) {
        List<String> violations = limits.check(r);
        if (!violations.isEmpty()) {
            return new Message.Error(ErrorCode.DATA_OUT_OF_RANGE, "run refused: " + violations.size()
                    + " problem(s)", violations);
        }
        synchronized (lock) {
            if (state.equals("running")) {
                return new Message.Error(ErrorCode.SETTINGS_CONFLICT, "already running " + runId, List.of());
            }
            if (settings == null) {
                return new Message.Error(ErrorCode.EXECUTION_ERROR, "not configured: send configure first", List.of());
            }
            runId = r.runId();
            shotsTotal = r.totalShots();
            stored.clear();
            state = "running";
            abortRequested = false;
            worker = new Thread(() -> execute(r, events), "device-run-" + r.runId());
            worker.setDaemon(true);
            worker.start();
        }
        events.emit(status("running"));
        return new Message.Ok("run " + r.runId() + " started: " + r.totalShots() + " shots");
    }

    private void execute(Message.Run r, EventSink events) {
        List<Shot> batch = new ArrayList<>();
        long index = 0;
        String outcome = "completed";
        String detail = null;
        try {
            outer:
            for (int p = 0; p < r.holdTimesSeconds().size(); p++) {
                double t = r.holdTimesSeconds().get(p);
                for (int k = 0; k < r.shotsPerPoint(); k++) {
                    if (abortRequested) {
                        outcome = "aborted";
                        break outer;
                    }
                    Shot s = new Shot(index, p, t, measure(r, p, t, index));
                    index++;
                    synchronized (lock) {
                        stored.add(s);
                    }
                    batch.add(s);
                    if (batch.size() >= batchSize) {
                        events.emit(new Message.Shots(r.runId(), batch));
                        batch = new ArrayList<>();
                    }
                }
            }
        } catch (RuntimeException e) {
            outcome = "failed";
            detail = e.toString();
        }
        if (abortRequested) {
            outcome = "aborted";
        }
        if (!batch.isEmpty()) {
            events.emit(new Message.Shots(r.runId(), batch));
        }
        long n;
        synchronized (lock) {
            n = stored.size();
            state = settings == null ? "idle" : "configured";
        }
        events.emit(new Message.Done(r.runId(), outcome, n, detail));
        events.emit(status(outcome));
    }

    private Message.Reply abort(Message.Abort a, EventSink events) {
        Thread w;
        synchronized (lock) {
            abortRequested = true;
            apply(settings != null ? settings.allOff() : safeState());
            settings = null;
            w = worker;
            if (!state.equals("running")) {
                state = "idle";
            }
        }
        if (w == null || !w.isAlive()) {
            events.emit(status("aborted" + (a.reason() == null ? "" : ": " + a.reason())));
        }
        return new Message.Ok("aborted; all channels off");
    }

    /** Every channel of the device off (used by abort before any configure). */
    protected DriveSettings safeState() {
        List<io.iontrap.hardware.drive.ChannelSetting> off = new ArrayList<>();
        for (DeviceLimits.ChannelLimit c : limits.channels()) {
            off.add(io.iontrap.hardware.drive.ChannelSetting.off(c.name(),
                    io.iontrap.hardware.units.CyclicFrequency.hz(c.minFrequencyHz())));
        }
        return new DriveSettings(off);
    }

    private Message.Reply fetch(Message.Fetch f) {
        synchronized (lock) {
            if (runId == null || !runId.equals(f.runId())) {
                return new Message.Error(ErrorCode.EXECUTION_ERROR, "no stored shots of run " + f.runId(), List.of());
            }
            int from = (int) Math.max(0, Math.min(f.from(), stored.size()));
            int to = (int) Math.min(stored.size(), from + (long) Math.max(0, Math.min(f.max(), 1000)));
            return new Message.Shots(runId, new ArrayList<>(stored.subList(from, to)));
        }
    }

    @Override
    public void close() {
        Thread w;
        synchronized (lock) {
            abortRequested = true;
            w = worker;
        }
        if (w != null) {
            try {
                w.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
