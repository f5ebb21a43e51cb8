package io.iontrap.hardware.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real mosquitto broker on a free local port, with its own config file, started and stopped by a test. */
public final class Mosquitto implements AutoCloseable {
    public final int port;
    public final Path dir;
    private Process process;

    public Mosquitto() throws IOException, InterruptedException {
        this(Files.createTempDirectory("iontrap-mqtt"), freePort(), java.util.List.of("allow_anonymous true"));
    }

    /**
     * A broker whose first listener is on {@code port}; {@code lines} follow it in the config file
     * (listener options, further listeners, authentication).
     */
    public Mosquitto(Path dir, int port, java.util.List<String> lines) throws IOException, InterruptedException {
        this.dir = dir;
        this.port = port;
        java.util.List<String> conf = new java.util.ArrayList<>(java.util.List.of(
                "persistence false", "set_tcp_nodelay true", "log_dest stderr", "log_type error", "log_type warning",
                "listener " + port + " 127.0.0.1"));
        conf.addAll(lines);
        Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n", conf) + "\n");
        start();
    }

    private Mosquitto(Path dir, int port, String config) throws IOException, InterruptedException {
        this.dir = dir;
        this.port = port;
        Files.writeString(dir.resolve("mosquitto.conf"), config);
        start();
    }

    /** A broker with exactly this configuration, whose listener is on {@code port}. */
    public static Mosquitto withConfig(Path dir, int port, String config) throws IOException, InterruptedException {
        return new Mosquitto(dir, port, config);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    public void start() throws IOException, InterruptedException {
        String exe = Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "mosquitto";
        process = new ProcessBuilder(exe, "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("log").toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    String log = Files.exists(dir.resolve("log")) ? Files.readString(dir.resolve("log")) : "";
                    process.destroyForcibly();
                    throw new IOException("mosquitto did not start on port " + port + " (is it installed?): " + log);
                }
                Thread.sleep(20);
            }
        }
    }

    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }
}
