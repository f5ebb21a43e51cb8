package io.iontrap.analysis.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShotCsvTest {
    @TempDir
    Path dir;

    @Test
    void parsesGroupsByTimeAndOrdersShots() {
        RunData r = ShotCsv.parse("t,shot,state\n10,1,011\n0,0,000\n10,0,100\n0,1,001\n");
        assertEquals(3, r.ions());
        assertArrayEquals(new double[] {0, 10}, r.times());
        assertArrayEquals(new long[] {0b000, 0b100}, r.shots(0));
        assertArrayEquals(new long[] {0b001, 0b110}, r.shots(1), "character i is ion i, '1' = up");
    }

    @Test
    void writeThenReadRoundTrips() throws Exception {
        RunData run = RunFileTest.sample(true);
        Path f = dir.resolve("shots.csv");
        ShotCsv.write(run, f);
        RunData back = ShotCsv.read(f);
        assertArrayEquals(run.times(), back.times());
        for (int t = 0; t < run.timeCount(); t++) {
            assertArrayEquals(run.shots(t), back.shots(t));
        }
        StringWriter w = new StringWriter();
        ShotCsv.write(back, w);
        assertTrue(w.toString().startsWith("t,shot,state\n0.0,0,"));
    }

    @Test
    void acceptsCrLfAndOneTrailingBlankLine() {
        RunData r = ShotCsv.parse("t,shot,state\r\n0,0,01\r\n0,1,10\r\n\r\n");
        assertEquals(2, r.recorded(0));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|empty, expected the header line",
            "time,shot,state\\n0,0,01|line 1: header is \"time,shot,state\"",
            "t,shot,state|no shots after the header",
            "t,shot,state\\n0,0|line 2: has 2 fields, expected 3",
            "t,shot,state\\n0,0,01,5|line 2: has 4 fields",
            "t,shot,state\\nx,0,01|line 2, column 1 (t): \"x\" is not a number",
            "t,shot,state\\nNaN,0,01|line 2, column 1 (t): \"NaN\" must be a finite number >= 0",
            "t,shot,state\\n-1,0,01|line 2, column 1 (t): \"-1\" must be a finite number >= 0",
            "t,shot,state\\n0,-1,01|line 2, column 3 (shot): \"-1\" is not a non-negative integer",
            "t,shot,state\\n0,1.5,01|line 2, column 3 (shot): \"1.5\" is not a non-negative integer",
            "t,shot,state\\n0,0,01\\n0,1,011|line 3, column 5 (state): \"011\" has 3 characters, earlier rows have N = 2",
            "t,shot,state\\n0,0,01\\n1.5,12,0x|line 3, column 9 (state, ion 1): 'x', expected '0' or '1'",
            "t,shot,state\\n0,0,01\\n0,0,10|line 3, column 3 (shot): shot 0 at t = 0 appears twice",
            "t,shot,state\\n0,0,|line 2, column 5 (state): 0 characters",
            "t,shot,state\\n0,0,01\\n\\n0,1,01|line 3: empty line before more rows",
    })
    void malformedInputNamesLineAndColumn(String text, String expected) {
        String csv = text.replace("\\n", "\n");
        InputFormatException e = assertThrows(InputFormatException.class, () -> ShotCsv.parse(csv));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void hugeNIsRefused() {
        String state = "0".repeat(100);
        InputFormatException e = assertThrows(InputFormatException.class,
                () -> ShotCsv.parse("t,shot,state\n0,0," + state + "\n"));
        assertTrue(e.getMessage().contains("100 characters, the analysis handles 1 to 62 ions"), e.getMessage());
    }
}
