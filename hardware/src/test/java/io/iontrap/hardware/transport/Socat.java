package io.iontrap.hardware.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A socat pseudo-terminal pair started (and stopped) by a test. */
public final class Socat implements AutoCloseable {
    public final Path dir;
    public final Path a;
    public final Path b;
    private final Process process;

    public Socat() throws IOException, InterruptedException {
        dir = Files.createTempDirectory("iontrap-pty");
        a = dir.resolve("client");
        b = dir.resolve("device");
        process = new ProcessBuilder("socat", "-d", "-d", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                .redirectErrorStream(true).redirectOutput(dir.resolve("socat.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!(Files.exists(a) && Files.exists(b))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String log = Files.exists(dir.resolve("socat.log")) ? Files.readString(dir.resolve("socat.log")) : "";
                process.destroyForcibly();
                throw new IOException("socat did not create the PTY pair (is socat installed?): " + log);
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(3, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
        }
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }
}
