package io.iontrap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.analysis.data.RunData;
import io.iontrap.analysis.data.RunFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The fault scenario shared by the serial and MQTT tests: break the link mid-run, check, resume. */
final class LinkRuns {
    private LinkRuns() {
    }

    /** Starts {@code iontrap run EXPERIMENT} in a thread. */
    static Future<Experiments.Result> start(ExecutorService ex, String... args) {
        return ex.submit(() -> Experiments.run(args));
    }

    static long journalled(Path journal) throws IOException {
        if (!Files.exists(journal)) {
            return 0;
        }
        try (var l = Files.lines(journal)) {
            return l.count() - 1;
        }
    }

    /** Waits until at least {@code n} shots are journalled (or the run ends). */
    static void awaitShots(Path journal, long n, Future<?> run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (journalled(journal) < n) {
            if (run.isDone()) {
                throw new AssertionError("the run ended before " + n + " shots: " + run.get());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + n + " shots journalled within 120 s");
            }
            Thread.sleep(20);
        }
    }

    /**
     * After a run stopped by a broken link: exit 3, "link lost", the run file incomplete and holding every
     * journalled shot. Returns the partial run.
     */
    static RunData assertStoppedKeepingEveryShot(Experiments.Result r, Path out) throws IOException {
        assertEquals(ExperimentRunner.INCOMPLETE, r.status(), r.err());
        assertTrue(r.err().contains("link lost") || r.err().contains("ended"), r.err());
        assertTrue(r.err().contains("--resume"), r.err());
        RunData partial = RunFile.read(out.resolve("run-0.h5"));
        assertFalse(partial.complete());
        assertEquals(journalled(out.resolve("run-0.journal")), partial.totalRecorded(),
                "the run file holds every journalled shot");
        return partial;
    }

    /** After the resume: complete, the shots of the first session kept as they were, analysis recovers the truth. */
    static void assertResumed(Experiments.Result r, Path out, RunData partial, int perTime) throws IOException {
        assertEquals(0, r.status(), r.err());
        RunData full = RunFile.read(out.resolve("run-0.h5"));
        assertTrue(full.complete());
        assertEquals(6L * perTime, full.totalRecorded());
        for (int t = 0; t < full.timeCount(); t++) {
            long[] before = partial.shots(t);
            long[] after = full.shots(t);
            assertEquals(perTime, after.length);
            assertTrue(java.util.Arrays.equals(before, java.util.Arrays.copyOf(after, before.length)),
                    "shots recorded before the break are kept at time index " + t);
        }
        Experiments.assertRecovers(out.resolve("analysis/summary.json"), full.model().drive(), full.model().eta());
    }

    /** The shots/s the run printed. */
    static double shotsPerSecond(Experiments.Result r) {
        Matcher m = Pattern.compile("\\(([0-9]+) shots/s\\)").matcher(r.err());
        double v = Double.NaN;
        while (m.find()) {
            v = Double.parseDouble(m.group(1));
        }
        return v;
    }

    static ExecutorService executor() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "iontrap-run-under-test");
            t.setDaemon(true);
            return t;
        });
    }
}
