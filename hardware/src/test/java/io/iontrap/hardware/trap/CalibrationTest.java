package io.iontrap.hardware.trap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.hardware.units.CyclicFrequency;
import org.junit.jupiter.api.Test;

class CalibrationTest {
    private final double[] a = {0, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0};
    private final double[] r = {0, 40e3, 78e3, 140e3, 185e3, 210e3, 215e3};
    private final Calibration cal = new Calibration(a, r, "cal");

    @Test
    void passesThroughTheMeasuredPoints() {
        for (int k = 0; k < a.length; k++) {
            assertEquals(r[k], cal.rabi(a[k]).hz(), 1e-9);
            assertEquals(a[k], cal.amplitudeFor(CyclicFrequency.hz(r[k])), 0);
        }
    }

    @Test
    void isMonotoneAndNeverOvershootsASaturatingTable() {
        double prev = -1;
        for (int k = 0; k <= 10000; k++) {
            double x = k / 10000.0;
            double y = cal.rabi(x).hz();
            assertTrue(y >= prev, "not monotone at " + x);
            assertTrue(y <= 215e3 + 1e-9, "overshoots the last point at " + x);
            prev = y;
        }
    }

    @Test
    void inverseIsExactToRoundOff() {
        for (int k = 1; k < 1000; k++) {
            double y = 215e3 * k / 1000.0;
            double x = cal.amplitudeFor(CyclicFrequency.hz(y));
            assertEquals(y, cal.rabi(x).hz(), 1e-9 * y, "at " + y);
            double back = cal.amplitudeFor(cal.rabi(k / 1000.0));
            assertEquals(k / 1000.0, back, 1e-13);
        }
    }

    @Test
    void linearTableIsReproducedExactly() {
        Calibration lin = new Calibration(new double[]{0, 0.5, 1}, new double[]{0, 100, 200}, "lin");
        assertEquals(73.3, lin.rabi(0.3665).hz(), 1e-12);
        assertEquals(0.3665, lin.amplitudeFor(CyclicFrequency.hz(73.3)), 1e-15);
    }

    @Test
    void refusesWhatCannotBeInvertedNamingTheEntry() {
        TrapFileException e = assertThrows(TrapFileException.class,
                () -> new Calibration(new double[]{0, 0.5, 1}, new double[]{0, 100, 90}, "channels[2].calibration"));
        assertEquals("channels[2].calibration.rabiFrequencyHz[2]", e.field());
        e = assertThrows(TrapFileException.class,
                () -> new Calibration(new double[]{0, 0.5, 0.5}, new double[]{0, 100, 190}, "c"));
        assertEquals("c.amplitude[2]", e.field());
        e = assertThrows(TrapFileException.class,
                () -> new Calibration(new double[]{0, 1.5}, new double[]{0, 100}, "c"));
        assertEquals("c.amplitude[1]", e.field());
        assertThrows(IllegalArgumentException.class, () -> cal.amplitudeFor(CyclicFrequency.hz(216e3)));
        assertThrows(IllegalArgumentException.class, () -> cal.rabi(1.01));
    }
}
