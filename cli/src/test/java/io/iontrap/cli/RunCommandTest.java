package io.iontrap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.analysis.data.RunData;
import io.iontrap.analysis.data.RunFile;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** iontrap run over the in-process link: end to end, refusals, dry run, damaged files. */
class RunCommandTest {
    @TempDir
    Path dir;

    @Test
    void inProcessRunRecordsEveryShotAndItsAnalysisRecoversTheTrueParameters() throws Exception {
        Path exp = Experiments.write(dir, "sim:seed=2,detection-error=0.02", 1500, null);
        Experiments.Result r = Experiments.run("run", exp.toString());
        assertEquals(0, r.status(), r.err());
        Path out = dir.resolve("out");
        RunData run = RunFile.read(out.resolve("run-0.h5"));
        assertTrue(run.complete());
        assertEquals(6 * 1500, run.totalRecorded());
        assertTrue(r.err().contains("shots/s"), "progress line on stderr: " + r.err());
        assertTrue(Files.exists(out.resolve("analysis/report.html")));
        assertTrue(RunFile.readResults(out.resolve("run-0.h5")) != null, "results stored in the run file");
        // the device decodes the quantised settings into this model (no calibration error): the truth
        Experiments.assertRecovers(out.resolve("analysis/summary.json"), run.model().drive(), run.model().eta());
        // a second run into the same folder is refused (it would overwrite recorded shots)
        Experiments.Result again = Experiments.run("run", exp.toString());
        assertEquals(2, again.status());
        assertTrue(again.err().contains("--resume"), again.err());
    }

    @Test
    void refusedPlanExitsTwoListingEveryViolationAndWritesNothing() throws Exception {
        Path exp = Experiments.write(dir, "sim:", 100, null);
        String text = Files.readString(exp).replace("\"scale\": \"fastest\"", "\"scale\": 1000");
        Files.writeString(exp, text);
        Experiments.Result r = Experiments.run("run", exp.toString());
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("plan refused"), r.err());
        long lines = r.err().lines().filter(l -> l.startsWith("  point 0")).count();
        assertTrue(lines >= 2, "every violation listed: " + r.err());
        assertFalse(Files.exists(dir.resolve("out")), "nothing written, nothing sent");
    }

    @Test
    void experimentFileErrorsNameTheField() throws Exception {
        Path exp = Experiments.write(dir, "sim:", 100, null);
        String base = Files.readString(exp);
        String[][] cases = {
            {"\"name\": \"test-n4\",", "\"name\": \"test-n4\", \"colour\": 3,", "colour: unknown field"},
            {"\"shotsPerTime\": 100", "\"shotsPerTime\": 0", "schedule.shotsPerTime"},
            {"[0, 10, 30, 100, 300, 600]", "[0, 10, -30]", "schedule.holdTimes[2]"},
            {"\"initial\": \"0000\"", "\"initial\": \"00x0\"", "schedule.initial"},
            {"\"device\": \"sim:\"", "\"device\": \"usb:3\"", "device"},
            {"\"device\": \"sim:\"", "\"device\": \"sim:colour=red\"", "unknown key"},
            {"\"device\": \"sim:\"", "\"device\": \"sim:\", \"scans\": [{\"parameter\": \"g[7]\", \"values\": [1]}]",
                "scans[0].parameter"},
            {"\"eta\": 10,", "", "gamma"},
            {"\"fit\": \"Omega,eta\"", "\"fit\": \"Omega,zeta\"", "analysis.fit"},
        };
        for (String[] c : cases) {
            Files.writeString(exp, base.replace(c[0], c[1]));
            Experiments.Result r = Experiments.run("run", exp.toString(), "--dry-run");
            assertEquals(2, r.status(), c[1] + ": " + r.err());
            assertTrue(r.err().contains(c[2]), "error names " + c[2] + ": " + r.err());
        }
    }

    @Test
    void dryRunPrintsThePlanAndTheMessagesAndRunsNothing() throws Exception {
        Path exp = Experiments.write(dir, "sim:", 100, null);
        Experiments.Result r = Experiments.run("run", exp.toString(), "--dry-run");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("DRY RUN"));
        assertTrue(r.out().contains("\"type\":\"configure\""), r.out());
        assertTrue(r.out().contains("\"type\":\"run\""), r.out());
        assertTrue(r.out().contains("force-red-s0"), r.out());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void aDamagedRunFileIsRefusedOnResumeAndAnalyzeAndAJournalWithADamagedLineToo() throws Exception {
        Path exp = Experiments.write(dir, "sim:seed=3", 200, null);
        assertEquals(0, Experiments.run("run", exp.toString(), "--no-analysis").status());
        Path h5 = dir.resolve("out/run-0.h5");
        // truncated
        Path cut = dir.resolve("out/cut.h5");
        byte[] all = Files.readAllBytes(h5);
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        Experiments.Result r = Experiments.run("run", "--resume", cut.toString());
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("truncated") || r.err().contains("corrupted"), r.err());
        Experiments.Result a = Experiments.run("analyze", cut.toString(), "--out", dir.resolve("a").toString());
        assertEquals(2, a.status(), a.err());
        // one flipped bit inside the shots
        Path flipped = dir.resolve("out/flipped.h5");
        Files.write(flipped, all);
        flipSomeShot(flipped, all);
        Experiments.Result f = Experiments.run("run", "--resume", flipped.toString());
        assertEquals(2, f.status(), f.err());
        assertTrue(f.err().contains("corrupted") || f.err().contains("expected 0 or 1"), f.err());
        // a damaged line in the middle of the journal of an incomplete run
        RunData run = RunFile.read(h5);
        long[][] shots = new long[run.timeCount()][];
        for (int t = 0; t < shots.length; t++) {
            shots[t] = java.util.Arrays.copyOf(run.shots(t), t == 0 ? 100 : run.recorded(t));
        }
        RunFile.write(run.toBuilder().shots(shots).complete(false).build(), h5);
        java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(dir.resolve("out/run-0.journal")));
        String l5 = lines.get(5); // "t,bits,crc": flip the first spin of this shot
        lines.set(5, l5.substring(0, 2) + (l5.charAt(2) == '0' ? '1' : '0') + l5.substring(3));
        Files.write(dir.resolve("out/run-0.journal"), lines);
        Experiments.Result j = Experiments.run("run", "--resume", h5.toString());
        assertEquals(2, j.status(), j.err());
        assertTrue(j.err().contains("journal") && j.err().contains("line 6"), j.err());
    }

    @Test
    void theDevicesOwnLimitsAreCheckedAgainstThePlanBeforeAnythingIsConfigured() throws Exception {
        Path exp = Experiments.write(dir, "sim:max-hold-time=0.01,max-shots=500", 100, null);
        Experiments.Result r = Experiments.run("run", exp.toString());
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("maxHoldTimeSeconds"), r.err());
        assertTrue(r.err().contains("maxShotsPerRun"), r.err());
        assertFalse(Files.exists(dir.resolve("out/run-0.h5")), "nothing configured, nothing recorded");
    }

    @Test
    void resumeRunsOnlyTheMissingShotsGroupedByHowManyAreMissing() throws Exception {
        Path exp = Experiments.write(dir, "sim:", 100, null);
        String text = Files.readString(exp).replace("\"initial\": \"0000\"", "\"initial\": \"0000\", \"repetitions\": 2");
        ExperimentFile e = ExperimentFile.parse(text, dir, null);
        ExperimentRunner runner = new ExperimentRunner(e, dir, new java.io.PrintWriter(System.err), null);
        // fresh: one device run per repetition over every hold time
        java.util.List<int[]> fresh = runner.deviceRuns(new int[6]);
        assertEquals(2, fresh.size());
        assertEquals("[0, 1, 2, 3, 4, 5, 100]", java.util.Arrays.toString(fresh.get(0)));
        // 200 planned per time: time 0 done, time 1 needs 50, time 2 needs 200 (two runs of 100), the rest 100
        java.util.List<int[]> rest = runner.deviceRuns(new int[] {200, 150, 0, 100, 100, 100});
        long[] missing = new long[6];
        for (int[] r : rest) {
            for (int j = 0; j < r.length - 1; j++) {
                missing[r[j]] += r[r.length - 1];
            }
        }
        assertEquals("[0, 50, 200, 100, 100, 100]", java.util.Arrays.toString(missing));
        for (int[] r : rest) {
            assertTrue(r[r.length - 1] <= 100, "never more than shotsPerTime per device run");
        }
    }

    /** Flips the lowest bit of a byte in the middle of the file until the reader refuses it. */
    private static void flipSomeShot(Path f, byte[] original) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            for (long pos = original.length / 3; pos < original.length; pos += 97) {
                raf.seek(pos);
                int b = raf.read();
                raf.seek(pos);
                raf.write(b ^ 1);
                try {
                    RunFile.read(f);
                } catch (IllegalArgumentException e) {
                    return; // refused: good
                }
                raf.seek(pos);
                raf.write(b);
            }
        }
        throw new AssertionError("no flipped bit was detected");
    }
}
