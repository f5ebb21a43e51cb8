package io.iontrap.simdevice;

import io.iontrap.hardware.client.IonTrapClient;
import io.iontrap.hardware.device.DeviceEndpoint;
import io.iontrap.hardware.device.DeviceServer;
import io.iontrap.hardware.transport.InProcessLink;
import io.iontrap.hardware.transport.Link;
import io.iontrap.hardware.transport.MqttConfig;
import io.iontrap.hardware.transport.MqttLink;
import io.iontrap.hardware.transport.SerialLink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * A {@link SimulatedTrap} served on one link: serial (socat PTY or a real port), MQTT (broker URI with the
 * hardware layer's auth/TLS options) or in-process. Closing it puts the device in its safe state first,
 * then closes the server and the link.
 * <pre>
 *   try (SimDeviceServer sim = SimDeviceServer.inProcess(SimulatedTrap.fromTrapFile(trap, seed));
 *        IonTrapClient client = sim.connectClient()) { ... }
 * </pre>
 */
public final class SimDeviceServer implements AutoCloseable {
    /** Default serial watchdog: drives off after this long without a command. */
    public static final Duration DEFAULT_SERIAL_WATCHDOG = Duration.ofSeconds(60);
    public static final int DEFAULT_BAUD = 115200;

    private final SimulatedTrap device;
    private final Link link;
    private final SafetyWatchdog watchdog;
    private final DeviceServer server;
    private final Link clientEnd;
    private boolean clientTaken;

    private SimDeviceServer(SimulatedTrap device, Link link, Duration watchdog, Link clientEnd) throws IOException {
        this.device = device;
        this.link = link;
        this.clientEnd = clientEnd;
        this.watchdog = watchdog == null || watchdog.isZero() ? null : new SafetyWatchdog(device, watchdog);
        DeviceEndpoint endpoint = this.watchdog != null ? this.watchdog : device;
        this.server = new DeviceServer(link, endpoint);
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            if (this.watchdog != null) {
                this.watchdog.close();
            }
            server.close();
            throw e;
        }
    }

    /** Serves {@code device} on any link; {@code watchdog} null or zero for none. */
    public static SimDeviceServer serve(SimulatedTrap device, Link link, Duration watchdog) throws IOException {
        return new SimDeviceServer(device, link, watchdog, null);
    }

    /** On a serial port (socat PTY or real), {@link #DEFAULT_BAUD}, with the link-loss watchdog. */
    public static SimDeviceServer serial(SimulatedTrap device, String path, Duration watchdog) throws IOException {
        return serve(device, new SerialLink(path, DEFAULT_BAUD), watchdog);
    }

    /**
     * On MQTT as device {@link SimOptions#deviceId()}: a client's link loss reaches the device as its last
     * will (an abort); {@code watchdog} may add silence protection on top (null for none).
     */
    public static SimDeviceServer mqtt(SimulatedTrap device, MqttConfig config, Duration watchdog) throws IOException {
        return serve(device, new MqttLink(config, device.options().deviceId(), MqttLink.Role.DEVICE), watchdog);
    }

    /** In this JVM (dry runs, the demo): the client end is {@link #clientLink()} or {@link #connectClient()}. */
    public static SimDeviceServer inProcess(SimulatedTrap device) {
        InProcessLink[] pair = InProcessLink.pair();
        try {
            return new SimDeviceServer(device, pair[1], null, pair[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** In this JVM, from a trap file and a seed (everything else {@link SimOptions#defaults()}). */
    public static SimDeviceServer inProcess(java.nio.file.Path trapFile, long seed) {
        return inProcess(SimulatedTrap.fromTrapFile(trapFile, seed));
    }

    public SimulatedTrap device() {
        return device;
    }

    /** The link the device is served on. */
    public Link link() {
        return link;
    }

    /** The watchdog, or null. */
    public SafetyWatchdog watchdog() {
        return watchdog;
    }

    /** The client end of an in-process server (once: a link is started by one owner). */
    public synchronized Link clientLink() {
        if (clientEnd == null) {
            throw new IllegalStateException("not an in-process server: connect a client over " + link.describe());
        }
        if (clientTaken) {
            throw new IllegalStateException("the in-process client end is already taken");
        }
        clientTaken = true;
        return clientEnd;
    }

    /** A client on the in-process link, with the default options. */
    public IonTrapClient connectClient() {
        try {
            return new IonTrapClient(clientLink());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Safe state, then server and link closed. */
    @Override
    public void close() {
        try {
            device.safeState("device shutting down");
        } catch (RuntimeException ignored) {
            // closing anyway
        }
        device.close();
        if (watchdog != null) {
            watchdog.close();
        }
        server.close();
        if (clientEnd != null && !clientTaken) {
            clientEnd.close();
        }
    }
}
