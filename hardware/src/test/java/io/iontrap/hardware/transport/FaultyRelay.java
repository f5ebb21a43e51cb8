package io.iontrap.hardware.transport;

import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies bytes between two serial ports in both directions, flipping a bit, dropping the byte or
 * inserting a random byte, each with probability {@code rate} per byte (seeded).
 */
final class FaultyRelay implements AutoCloseable {
    final AtomicLong flipped = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong inserted = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    /** Lines (frames) that left the relay, and those of them with at least one fault injected. */
    final AtomicLong lines = new AtomicLong();
    final AtomicLong damagedLines = new AtomicLong();
    private final SerialPort a;
    private final SerialPort b;
    private final Thread ab;
    private final Thread ba;
    private volatile boolean closed;

    FaultyRelay(String pathA, String pathB, double rate, long seed) throws IOException {
        a = open(pathA);
        b = open(pathB);
        ab = pump(a, b, rate, new SplittableRandom(seed));
        ba = pump(b, a, rate, new SplittableRandom(seed + 1));
    }

    private static SerialPort open(String path) throws IOException {
        SerialPort p = SerialPort.getCommPort(path);
        p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 100, 0);
        if (!p.openPort(0)) {
            throw new IOException("cannot open " + path);
        }
        return p;
    }

    private Thread pump(SerialPort from, SerialPort to, double rate, SplittableRandom rng) {
        Thread t = new Thread(() -> {
            byte[] in = new byte[8192];
            byte[] out = new byte[2 * 8192];
            boolean damaged = false;
            while (!closed) {
                int n = from.readBytes(in, in.length);
                if (n <= 0) {
                    continue;
                }
                bytes.addAndGet(n);
                int m = 0;
                for (int i = 0; i < n; i++) {
                    double u = rng.nextDouble();
                    int m0 = m;
                    if (u < rate) {
                        out[m++] = (byte) (in[i] ^ (1 << rng.nextInt(8)));
                        flipped.incrementAndGet();
                        damaged = true;
                    } else if (u < 2 * rate) {
                        dropped.incrementAndGet();
                        damaged = true;
                    } else if (u < 3 * rate) {
                        out[m++] = (byte) rng.nextInt(256);
                        out[m++] = in[i];
                        inserted.incrementAndGet();
                        damaged = true;
                    } else {
                        out[m++] = in[i];
                    }
                    for (int j = m0; j < m; j++) {
                        if (out[j] == '\n') {
                            lines.incrementAndGet();
                            if (damaged) {
                                damagedLines.incrementAndGet();
                            }
                            damaged = false;
                        }
                    }
                }
                int off = 0;
                while (off < m && !closed) {
                    int w = to.writeBytes(out, m - off, off);
                    if (w <= 0) {
                        break;
                    }
                    off += w;
                }
            }
        }, "relay");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        ab.join(1000);
        ba.join(1000);
        a.closePort();
        b.closePort();
    }

    @Override
    public String toString() {
        return bytes + " bytes relayed in " + lines + " lines: " + flipped + " bits flipped, " + dropped
                + " bytes dropped, " + inserted + " bytes inserted; " + damagedLines + " lines damaged";
    }
}
