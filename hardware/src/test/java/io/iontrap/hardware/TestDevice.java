package io.iontrap.hardware;

import io.iontrap.hardware.device.AbstractDevice;
import io.iontrap.hardware.drive.DriveSettings;
import io.iontrap.hardware.protocol.DeviceLimits;
import io.iontrap.hardware.protocol.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Protocol-level test double: the example trap's limits, random spin outcomes (seeded), an optional
 * delay per shot so a run lasts long enough to be aborted. Records every applied setting.
 */
public final class TestDevice extends AbstractDevice {
    private final SplittableRandom rng = new SplittableRandom(42);
    private final long shotDelayMicros;
    public final List<DriveSettings> applied = new ArrayList<>();
    /** Every shot measured, by shot index (the last run). */
    public final java.util.Map<Long, String> measured = new java.util.concurrent.ConcurrentHashMap<>();

    public TestDevice(long shotDelayMicros, int batchSize) {
        super("trap-1", "iontrap test double", "0.1", DeviceLimits.fromTrap(TrapFixtures.example(), 10.0, 100_000),
                batchSize);
        this.shotDelayMicros = shotDelayMicros;
    }

    @Override
    protected synchronized void apply(DriveSettings settings) {
        applied.add(settings);
    }

    public synchronized DriveSettings lastApplied() {
        return applied.isEmpty() ? null : applied.get(applied.size() - 1);
    }

    @Override
    protected String measure(Message.Run run, int point, double holdTimeSeconds, long shotIndex) {
        if (shotDelayMicros > 0) {
            long end = System.nanoTime() + shotDelayMicros * 1000;
            while (System.nanoTime() < end) {
                try {
                    Thread.sleep(0, 200_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        synchronized (rng) {
            for (int i = 0; i < limits().spins(); i++) {
                sb.append(rng.nextBoolean() ? '1' : '0');
            }
        }
        measured.put(shotIndex, sb.toString());
        return sb.toString();
    }
}
