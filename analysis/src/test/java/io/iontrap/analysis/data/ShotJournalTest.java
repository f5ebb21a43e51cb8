package io.iontrap.analysis.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShotJournalTest {
    @TempDir
    Path dir;

    RunData empty() {
        return RunData.builder(3).schedule(new double[] {0, 5}, new int[] {4, 4}).initial(0).complete(false).build();
    }

    @Test
    void checkpointPlusJournalRebuildsTheRun() throws Exception {
        Path run = dir.resolve("run.h5");
        Path journal = dir.resolve("run.h5.journal");
        RunData start = empty();
        try (ShotJournal j = ShotJournal.open(journal, 3)) {
            j.append(0, new long[] {0, 1, 2, 3});
        }
        RunFile.write(ShotJournal.replay(start, journal, new ArrayList<>()), run); // checkpoint
        try (ShotJournal j = ShotJournal.open(journal, 3)) { // reopened after a restart
            j.append(1, new long[] {7, 6});
        }
        List<String> w = new ArrayList<>();
        RunData resumed = ShotJournal.replay(RunFile.read(run), journal, w);
        assertTrue(w.isEmpty(), w.toString());
        assertArrayEquals(new long[] {0, 1, 2, 3}, resumed.shots(0));
        assertArrayEquals(new long[] {7, 6}, resumed.shots(1));
        assertFalse(resumed.complete());
        try (ShotJournal j = ShotJournal.open(journal, 3)) {
            j.append(1, new long[] {5, 4});
        }
        assertTrue(ShotJournal.replay(resumed, journal, w).complete());
    }

    @Test
    void aTornLastLineIsDroppedAndADamagedMiddleLineRefused() throws Exception {
        Path journal = dir.resolve("j");
        try (ShotJournal j = ShotJournal.open(journal, 3)) {
            j.append(0, new long[] {1, 2, 3});
        }
        byte[] all = Files.readAllBytes(journal);
        Files.write(journal, Arrays.copyOf(all, all.length - 4)); // crash mid-line
        List<String> w = new ArrayList<>();
        RunData r = ShotJournal.replay(empty(), journal, w);
        assertEquals(2, r.recorded(0));
        assertTrue(w.get(0).contains("torn last line 4 dropped"), w.toString());
        String text = new String(all, StandardCharsets.US_ASCII).replace("0,100,", "0,110,");
        Files.writeString(journal, text);
        InputFormatException e = assertThrows(InputFormatException.class,
                () -> ShotJournal.replay(empty(), journal, new ArrayList<>()));
        assertTrue(e.getMessage().contains("line 2: checksum mismatch"), e.getMessage());
    }

    @Test
    void moreShotsThanPlannedOrAWrongHeaderAreRefused() throws Exception {
        Path journal = dir.resolve("j");
        try (ShotJournal j = ShotJournal.open(journal, 3)) {
            j.append(0, new long[] {1, 2, 3, 4, 5});
        }
        InputFormatException e = assertThrows(InputFormatException.class,
                () -> ShotJournal.replay(empty(), journal, new ArrayList<>()));
        assertTrue(e.getMessage().contains("5 shots at time index 0, more than the 4 planned"), e.getMessage());
        InputFormatException h = assertThrows(InputFormatException.class, () -> ShotJournal.open(journal, 4));
        assertTrue(h.getMessage().contains("expected \"iontrap-journal 1 N=4\""), h.getMessage());
    }
}
