package io.iontrap.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iontrap.hardware.trap.TrapFile;
import io.iontrap.hardware.trap.TrapSpec;
import io.iontrap.hardware.transport.MqttConfig;
import io.iontrap.simdevice.DetectionError;
import io.iontrap.simdevice.Engine;
import io.iontrap.simdevice.SimDeviceServer;
import io.iontrap.simdevice.SimOptions;
import io.iontrap.simdevice.SimulatedTrap;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "sim-device", mixinStandardHelpOptions = true,
        description = {"Run the simulated ion trap as a device server until stopped (Ctrl-C / SIGTERM: every drive "
                + "off, then a clean exit). It speaks the device protocol (docs/protocol.md) over a serial port "
                + "(a socat PTY or a real port) or MQTT, enforces its trap's limits itself, and answers runs with "
                + "sampled single shots (docs/sim-device.md).",
                "Hold times are seconds; the drives are decoded with the trap file's calibration.",
                "MQTT secrets come only from a file or the environment, never from the command line."})
final class SimDeviceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    static final class Link {
        @Option(names = "--serial", paramLabel = "PATH", description = "serve on this serial port (e.g. a socat PTY)")
        Path serial;
        @Option(names = "--mqtt", paramLabel = "URI", description = "serve through this MQTT broker (tcp://, ssl:// or "
                + "mqtts://host:port)")
        String mqtt;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Link link;
    @Option(names = "--device-id", defaultValue = "sim-trap", description = "device id (MQTT topic level; identity) "
            + "(default: ${DEFAULT-VALUE})")
    String deviceId;
    @Option(names = "--trap", paramLabel = "FILE", description = "trap file (docs/trap-file.md); default: the built-in "
            + "4-spin 40Ca+ example (examples/trap-ca40-6ion.json)")
    Path trap;
    @Option(names = "--seed", defaultValue = "1", description = "seed: the calibration error and every shot follow "
            + "from it (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--engine", defaultValue = "auto", description = "auto, exact (effective master equation, "
            + "N <= 24), kmc (kinetic Monte Carlo, any N) or lindblad (full spin-boson model, N <= 6) "
            + "(default: ${DEFAULT-VALUE})")
    String engine;
    @Option(names = "--detection-error", defaultValue = "0", paramLabel = "E", description = "probability that an "
            + "ion is read in the wrong state (each way, per ion and shot) (default: ${DEFAULT-VALUE})")
    double detectionError;
    @Option(names = "--calibration-error", defaultValue = "0", paramLabel = "F", description = "rms fractional error "
            + "of the true couplings g_i against the calibrated ones, fixed per seed (default: ${DEFAULT-VALUE})")
    double calibrationError;
    @Option(names = "--watchdog", paramLabel = "SECONDS", description = "drives off after this long without a "
            + "command from the client; 0 = off (default: 60 on serial, off on MQTT, where the client's last will "
            + "does it)")
    Double watchdog;
    @Option(names = "--shot-time", defaultValue = "0", paramLabel = "SECONDS", description = "wall time per shot "
            + "besides the hold (cooling, detection); 0 = as fast as the engine goes (default: ${DEFAULT-VALUE})")
    double shotTime;
    @Option(names = "--real-time", description = "each shot also takes its hold time of wall time")
    boolean realTime;
    @Option(names = "--max-hold-time", defaultValue = "100", paramLabel = "SECONDS", description = "longest hold the "
            + "device accepts (default: ${DEFAULT-VALUE})")
    double maxHold;
    @Option(names = "--max-shots", defaultValue = "2000000", paramLabel = "N", description = "most shots per run; "
            + "the device keeps every shot of a run for fetch, ~100 bytes each "
            + "(default: ${DEFAULT-VALUE})")
    long maxShots;
    @Option(names = "--baud", defaultValue = "115200", description = "serial baud rate (default: ${DEFAULT-VALUE})")
    int baud;
    @Option(names = "--topic-prefix", defaultValue = "iontrap", description = "MQTT topic prefix (default: "
            + "${DEFAULT-VALUE})")
    String prefix;
    /** The MQTT security flags, the same as every command that opens an MQTT link (docs/security.md). */
    @Mixin
    MqttOptions mqtt;
    @Option(names = "--json", description = "print one JSON object describing the server when it is up")
    boolean json;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile SimDeviceServer server;
    private volatile Thread hook;

    /** Stops the server as SIGINT/SIGTERM would: drives off, link closed, {@link #call} returns 0. */
    void stop() {
        SimDeviceServer s = server;
        if (s != null) {
            s.close();
        }
        stopped.countDown();
        Thread h = hook;
        if (h != null && Thread.currentThread() != h) {
            try {
                Runtime.getRuntime().removeShutdownHook(h);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
    }

    /** The running server (null before it is up), for tests. */
    SimDeviceServer server() {
        return server;
    }

    @Override
    public Integer call() throws Exception {
        TrapSpec t = trap == null ? SimulatedTrap.builtInTrap() : TrapFile.read(trap);
        MqttConfig mqttConfig = null;
        if (link.mqtt != null) {
            // checked before the device is built: a wrong flag costs no simulation set-up
            mqttConfig = mqtt.apply(MqttConfig.of(link.mqtt).withPrefix(prefix));
        } else if (mqtt.given()) {
            spec.commandLine().getErr().println("iontrap: warning: the --mqtt-* flags are ignored with --serial");
            spec.commandLine().getErr().flush();
        }
        SimOptions o = SimOptions.defaults().withDeviceId(deviceId).withSeed(seed).withEngine(Engine.parse(engine))
                .withDetection(DetectionError.uniform(detectionError)).withCalibrationError(calibrationError)
                .withLimits(maxHold, maxShots).withPacing(shotTime, realTime);
        SimulatedTrap device = new SimulatedTrap(t, o);
        SimDeviceServer server;
        String where;
        if (stopped.getCount() == 0) {
            return 0;
        }
        if (link.serial != null) {
            Duration wd = Duration.ofMillis(Math.round(1000 * (watchdog == null ? 60 : watchdog)));
            server = SimDeviceServer.serve(device, new io.iontrap.hardware.transport.SerialLink(link.serial.toString(),
                    baud), wd);
            where = "serial " + link.serial + " @ " + baud;
        } else {
            Duration wd = watchdog == null || watchdog == 0 ? null : Duration.ofMillis(Math.round(1000 * watchdog));
            server = SimDeviceServer.mqtt(device, mqttConfig, wd);
            where = "MQTT " + mqttConfig + " topics " + prefix + "/" + deviceId + "/...";
        }
        this.server = server;
        hook = new Thread(this::stop, "sim-device-shutdown"); // safe state first, then the link
        Runtime.getRuntime().addShutdownHook(hook);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode j = Json.object();
            j.put("deviceId", deviceId).put("link", where).put("trap", t.name()).put("spins", device.spins())
                    .put("engine", engine).put("seed", seed).put("detectionError", detectionError)
                    .put("calibrationError", calibrationError);
            out.println(Json.MAPPER.writeValueAsString(j));
        } else {
            out.printf(Locale.ROOT, "sim-device %s serving on %s: trap %s (%d spins), engine %s, seed %d, detection "
                            + "error %.4g, calibration error %.4g. Ctrl-C stops it (drives off first).%n", deviceId,
                    where, t.name(), device.spins(), engine, seed, detectionError, calibrationError);
        }
        out.flush();
        stopped.await();
        return 0;
    }
}
