package io.iontrap.analysis.data;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed run files built directly with jhdf (no digest, so the structural checks are what
 * refuses them): each message names the HDF5 path and the problem.
 */
class MalformedRunFileTest {
    @TempDir
    Path dir;

    /** A minimal valid file; {@code change} edits the parts before they are written. */
    private Path file(String name, Consumer<Parts> change) {
        Parts p = new Parts();
        change.accept(p);
        Path f = dir.resolve(name + ".h5");
        try (WritableHdfFile h = HdfFile.write(f)) {
            h.putAttribute("format", p.format);
            h.putAttribute("format_version", p.version);
            h.putAttribute("complete", (byte) 1);
            h.putAttribute("ions", p.ions);
            if (p.model) {
                WritableGroup m = h.putGroup("model");
                m.putAttribute("omega", 1.0);
                m.putAttribute("Omega", 0.1);
                m.putAttribute("kappa", 1.0);
                m.putAttribute("gamma", p.gamma);
                m.putAttribute("units", "2pi*kHz");
                m.putDataset("g", p.g);
            }
            if (p.schedule) {
                WritableGroup s = h.putGroup("schedule");
                s.putAttribute("initial", p.initial);
                s.putDataset("times", p.times);
                s.putDataset("shots_per_time", p.planned);
            }
            WritableGroup d = h.putGroup("data");
            d.putDataset("shots", p.shots);
            d.putDataset("recorded", p.recorded);
        }
        return f;
    }

    static final class Parts {
        String format = "iontrap-run";
        int version = 1;
        int ions = 2;
        boolean model = true;
        double gamma = 2.0;
        double[] g = {1.3, -2.2};
        boolean schedule = true;
        String initial = "00";
        double[] times = {0, 10};
        int[] planned = {2, 2};
        Object shots = new byte[][][] {{{0, 0}, {0, 1}}, {{1, 1}, {1, 0}}};
        int[] recorded = {2, 2};
    }

    private void refused(Path f, String expected) {
        InputFormatException e = assertThrows(InputFormatException.class, () -> RunFile.read(f));
        assertTrue(e.getMessage().startsWith("run file " + f + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected \"" + expected + "\" in: " + e.getMessage());
    }

    @Test
    void theBaseFixtureIsValid() {
        assertTrue(RunFile.read(file("ok", p -> { })).complete());
    }

    @Test
    void wrongFormatOrVersion() {
        refused(file("fmt", p -> p.format = "other"), "/ attribute 'format': is \"other\", expected \"iontrap-run\"");
        refused(file("ver", p -> p.version = 7), "/ attribute 'format_version': is 7, this reader understands 1");
    }

    @Test
    void missingGroups() {
        refused(file("nosched", p -> p.schedule = false), "/schedule: missing");
    }

    @Test
    void wrongShapes() {
        refused(file("rank", p -> p.shots = new byte[][] {{0, 0}, {1, 1}}), "/data/shots: has rank 2, expected 3");
        refused(file("times", p -> p.times = new double[] {0, 10, 20}),
                "/schedule/shots_per_time: has 2 entries, /schedule/times has 3");
        refused(file("g", p -> p.g = new double[] {1.0}), "/model/g: has 1 couplings but /data/shots has 2 ions");
    }

    @Test
    void hugeN() {
        refused(file("huge", p -> {
            p.ions = 70;
            p.shots = new byte[2][2][70];
            p.g = new double[70];
        }), "/data/shots: has 70 ions, the analysis handles 1 to 62");
    }

    @Test
    void inconsistentCountsAndValues() {
        refused(file("rec", p -> p.recorded = new int[] {2, 3}), "/data/recorded[1] = 3 is outside [0, min(2 stored, 2 planned)]");
        refused(file("val", p -> p.shots = new byte[][][] {{{0, 0}, {0, 2}}, {{1, 1}, {1, 0}}}),
                "/data/shots[0][1][1] = 2, expected 0 or 1");
        refused(file("nan", p -> p.times = new double[] {0, Double.NaN}), "/schedule/times[1] = NaN, must be finite");
        refused(file("init", p -> p.initial = "0x"), "/schedule attribute 'initial'");
    }

    @Test
    void modelOutOfDomainNamesTheAttribute() {
        refused(file("gamma", p -> p.gamma = 0.5), "/model attribute 'gamma': loss must exceed gain");
    }

    @Test
    void noChecksumIsAcceptedWithAWarning() {
        java.util.List<String> warnings = new java.util.ArrayList<>();
        RunFile.read(file("nodigest", p -> { }), warnings);
        assertTrue(warnings.toString().contains("no content_sha256"), warnings.toString());
    }
}
