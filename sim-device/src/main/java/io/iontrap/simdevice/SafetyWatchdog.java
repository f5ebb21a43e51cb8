package io.iontrap.simdevice;

import io.iontrap.hardware.device.DeviceEndpoint;
import io.iontrap.hardware.protocol.Message;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Link-loss protection for links without a last will (serial): when no command has arrived for
 * {@code timeout} while any drive is on, the device goes to its safe state (abort: every channel off,
 * a run ends "aborted"). A client keeps the link alive by sending any command; {@code IonTrapClient}'s
 * {@code RunHandle.await} asks for {@code status} every second while it waits, so a client waiting for its
 * run never trips it. Sits between the {@code DeviceServer} and the device.
 */
public final class SafetyWatchdog implements DeviceEndpoint, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SafetyWatchdog.class.getName());
    private final SimulatedTrap device;
    private final long timeoutNanos;
    private final ScheduledExecutorService timer;
    private volatile long lastCommand = System.nanoTime();
    private volatile long trips;

    public SafetyWatchdog(SimulatedTrap device, Duration timeout) {
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("watchdog timeout must be positive, got " + timeout);
        }
        this.device = device;
        this.timeoutNanos = timeout.toNanos();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sim-watchdog");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(10, Math.min(1000, timeout.toMillis() / 5));
        timer.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public Message.Reply handle(Message.Command command, EventSink events) {
        lastCommand = System.nanoTime();
        return device.handle(command, events);
    }

    private void check() {
        try {
            long silent = System.nanoTime() - lastCommand;
            if (silent > timeoutNanos && (!device.drivesOff() || device.state().equals("running"))) {
                trips++;
                String why = String.format(java.util.Locale.ROOT,
                        "watchdog: no command from the client for %.1f s (limit %.1f s): link lost, drives off",
                        silent / 1e9, timeoutNanos / 1e9);
                LOG.warning(why);
                device.safeState(why);
            }
        } catch (RuntimeException e) {
            LOG.warning("watchdog check failed: " + e);
        }
    }

    /** How often the watchdog has put the device in its safe state. */
    public long trips() {
        return trips;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
