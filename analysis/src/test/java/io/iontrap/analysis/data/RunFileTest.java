package io.iontrap.analysis.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.model.Parameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFileTest {
    @TempDir
    Path dir;

    static RunData sample(boolean complete) {
        Parameters p = Parameters.withEta(1.0, 0.1, 1.0, 1.0, 1.3, -2.2, 0.7);
        SplittableRandom rnd = new SplittableRandom(3);
        double[] times = {0, 5, 20.5};
        int[] planned = {40, 40, 40};
        long[][] shots = new long[3][];
        for (int t = 0; t < 3; t++) {
            int n = complete || t < 2 ? 40 : 17;
            shots[t] = new long[n];
            for (int k = 0; k < n; k++) {
                shots[t][k] = rnd.nextInt(8);
            }
        }
        return RunData.builder(3).model(p).units("2pi*kHz").schedule(times, planned).initial(0b010)
                .shots(shots).detectionError(new double[][] {{0.01, 0.02}, {0.0, 0.03}, {0.015, 0.015}})
                .trapJson("{\"ions\": 4, \"note\": \"2\u03c0 caf\u00e9\"}").hardwareJson("{\"channels\": []}")
                .provenance("software", "iontrap 0.1.0").provenance("command", "iontrap run x.json")
                .complete(complete).build();
    }

    @Test
    void roundTripKeepsEverything() throws Exception {
        RunData run = sample(true);
        Path f = dir.resolve("run.h5");
        RunFile.write(run, f);
        List<String> warnings = new ArrayList<>();
        RunData back = RunFile.read(f, warnings);
        assertEquals(run, back);
        assertTrue(warnings.isEmpty(), warnings.toString());
        assertEquals(1.0, back.model().eta(), 1e-15);
        assertEquals("2pi*kHz", back.units());
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }

    @Test
    void incompleteRunIsReadWithAWarning() throws Exception {
        RunData run = sample(false);
        Path f = dir.resolve("partial.h5");
        RunFile.write(run, f);
        List<String> warnings = new ArrayList<>();
        RunData back = RunFile.read(f, warnings);
        assertFalse(back.complete());
        assertEquals(17, back.recorded(2));
        assertTrue(warnings.get(0).contains("incomplete run: 97 shots recorded of 120 planned"), warnings.toString());
    }

    @Test
    void overwriteReplacesAtomically() throws Exception {
        Path f = dir.resolve("run.h5");
        RunFile.write(sample(false), f);
        RunFile.write(sample(true), f);
        assertTrue(RunFile.read(f).complete());
    }

    @Test
    void truncatedFilesAreRefused() throws Exception {
        Path f = dir.resolve("run.h5");
        RunFile.write(sample(true), f);
        byte[] all = Files.readAllBytes(f);
        for (int len : new int[] {0, 10, 200, all.length / 2, all.length - 16}) {
            Path cut = dir.resolve("cut" + len + ".h5");
            Files.write(cut, Arrays.copyOf(all, len));
            InputFormatException e = assertThrows(InputFormatException.class, () -> RunFile.read(cut),
                    "truncated to " + len + " of " + all.length);
            assertTrue(e.getMessage().startsWith("run file " + cut), e.getMessage());
        }
    }

    @Test
    void aFlippedShotBitIsDetectedByTheChecksum() throws Exception {
        long[][] shots = new long[2][500];
        for (long[] s : shots) {
            Arrays.fill(s, 0b111);
        }
        RunData run = RunData.builder(3).schedule(new double[] {0, 1}, new int[] {500, 500}).shots(shots).build();
        Path f = dir.resolve("ones.h5");
        RunFile.write(run, f);
        byte[] all = Files.readAllBytes(f);
        int start = longestRunOfOnes(all);
        all[start + 1234] = 0;
        Files.write(f, all);
        InputFormatException e = assertThrows(InputFormatException.class, () -> RunFile.read(f));
        assertTrue(e.getMessage().contains("content_sha256") && e.getMessage().contains("corrupted"), e.getMessage());
    }

    @Test
    void aShotValueOtherThanZeroOrOneIsNamed() throws Exception {
        long[][] shots = new long[1][300];
        for (long[] s : shots) {
            Arrays.fill(s, 0b11);
        }
        RunData run = RunData.builder(2).schedule(new double[] {0}, new int[] {300}).shots(shots).build();
        Path f = dir.resolve("ones.h5");
        RunFile.write(run, f);
        byte[] all = Files.readAllBytes(f);
        int start = longestRunOfOnes(all);
        all[start + 11] = 7;
        Files.write(f, all);
        InputFormatException e = assertThrows(InputFormatException.class, () -> RunFile.read(f));
        assertTrue(e.getMessage().contains("/data/shots[0][5][1] = 7, expected 0 or 1"), e.getMessage());
    }

    @Test
    void notHdf5IsRefused() throws Exception {
        Path f = dir.resolve("text.h5");
        Files.writeString(f, "t,shot,state\n0,0,01\n");
        InputFormatException e = assertThrows(InputFormatException.class, () -> RunFile.read(f));
        assertTrue(e.getMessage().contains("not a readable HDF5 file"), e.getMessage());
        InputFormatException missing = assertThrows(InputFormatException.class,
                () -> RunFile.read(dir.resolve("nope.h5")));
        assertTrue(missing.getMessage().endsWith("no such file"));
    }

    private static int longestRunOfOnes(byte[] b) {
        int best = -1;
        int bestLen = 0;
        for (int i = 0; i < b.length; ) {
            int j = i;
            while (j < b.length && b[j] == 1) {
                j++;
            }
            if (j - i > bestLen) {
                bestLen = j - i;
                best = i;
            }
            i = Math.max(j, i + 1);
        }
        assertTrue(bestLen > 500, "shots region found");
        return best;
    }

    @Test
    void resultsAreStoredBesideTheData() throws Exception {
        RunData run = sample(true);
        Path f = dir.resolve("with-results.h5");
        RunFile.write(run, RunFile.Results.of(run, "{\"fit\": {}}"), f);
        assertEquals(run, RunFile.read(f));
        RunFile.Results r = RunFile.readResults(f);
        assertEquals("{\"fit\": {}}", r.summaryJson());
        assertEquals(3, r.populations().length);
        assertEquals(8, r.populations()[0].length);
        assertTrue(r.lower()[0][0] <= r.populations()[0][0] && r.populations()[0][0] <= r.upper()[0][0]);
        Path plain = dir.resolve("plain.h5");
        RunFile.write(run, plain);
        assertEquals(null, RunFile.readResults(plain));
    }
}
