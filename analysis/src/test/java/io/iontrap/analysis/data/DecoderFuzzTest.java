package io.iontrap.analysis.data;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of both decoders: every mutated input ends in a run or an
 * {@link InputFormatException} naming the file, never another exception or a hang.
 */
class DecoderFuzzTest {
    @TempDir
    Path dir;

    @Test
    void mutatedRunFilesAreReadOrRefusedCleanly() throws Exception {
        Path good = dir.resolve("good.h5");
        RunFile.write(RunFileTest.sample(true), good);
        byte[] original = Files.readAllBytes(good);
        SplittableRandom rnd = new SplittableRandom(8);
        int accepted = 0;
        int refused = 0;
        double slowest = 0;
        for (int k = 0; k < 400; k++) {
            byte[] b = original.clone();
            int kind = rnd.nextInt(3);
            if (kind == 0) {
                int flips = 1 + rnd.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
            } else if (kind == 1) {
                b = Arrays.copyOf(b, rnd.nextInt(b.length));
            } else {
                int at = rnd.nextInt(b.length);
                int len = Math.min(b.length - at, 1 + rnd.nextInt(64));
                for (int j = 0; j < len; j++) {
                    b[at + j] = (byte) rnd.nextInt(256);
                }
            }
            Path f = dir.resolve("m" + k + ".h5");
            long t0 = System.nanoTime();
            Files.write(f, b);
            final int id = k;
            boolean ok = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                try {
                    RunFile.read(f);
                    return true;
                } catch (InputFormatException e) {
                    assertTrue(e.getMessage().startsWith("run file " + f), e.getMessage());
                    return false;
                } catch (Throwable t) {
                    fail("mutation " + id + ": " + t, t);
                    return false;
                }
            });
            if (ok) {
                accepted++;
            } else {
                refused++;
            }
            Files.delete(f);
            slowest = Math.max(slowest, (System.nanoTime() - t0) / 1e6);
        }
        System.out.println("HDF5 fuzz: " + accepted + " mutated files read (mutation outside the checked content), "
                + refused + " refused; slowest " + Math.round(slowest) + " ms");
        assertTrue(refused > 300, "most mutations must be caught, refused " + refused);
    }

    @Test
    void randomCsvTextIsParsedOrRefusedCleanly() {
        SplittableRandom rnd = new SplittableRandom(9);
        String alphabet = "01,\n\r.-e tshoa9NI";
        int refused = 0;
        for (int k = 0; k < 2000; k++) {
            StringBuilder b = new StringBuilder(k % 3 == 0 ? "t,shot,state\n" : "");
            int len = rnd.nextInt(60);
            for (int j = 0; j < len; j++) {
                b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            try {
                ShotCsv.parse(b.toString());
            } catch (InputFormatException e) {
                refused++;
                assertTrue(e.getMessage().startsWith("CSV: "), e.getMessage());
            }
        }
        assertTrue(refused > 1500);
    }
}
