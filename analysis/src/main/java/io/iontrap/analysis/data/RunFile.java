package io.iontrap.analysis.data;

import io.iontrap.model.InvalidParameterException;
import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The HDF5 run file (docs/run-file.md), written with jhdf and readable from h5py.
 *
 * <p>jhdf writes a whole file at once, so {@link #write} writes a temporary file beside the
 * target and renames it over the target: a reader never sees a half-written file. A SHA-256
 * digest of the content is stored and checked on reading; a truncated, corrupted or
 * inconsistent file is refused with an {@link InputFormatException} naming the file, the HDF5
 * path and the problem.
 */
public final class RunFile {
    public static final String FORMAT = "iontrap-run";
    public static final int VERSION = 1;

    private RunFile() {
    }

    /**
     * Derived results stored beside the data under {@code /results}: the analysis summary as JSON
     * text and, for N ≤ {@link #MAX_RESULT_IONS}, the Jeffreys populations with their 95% intervals
     * per time index and configuration. Not part of the content digest (they can be recomputed);
     * they carry their own {@code summary_sha256}.
     */
    public record Results(String summaryJson, double[][] populations, double[][] lower, double[][] upper) {
        /** Results of {@code run} with the given summary (populations computed here). */
        public static Results of(RunData run, String summaryJson) {
            if (run.ions() > MAX_RESULT_IONS) {
                return new Results(summaryJson, null, null, null);
            }
            var counts = io.iontrap.analysis.estimate.ShotCounts.of(run);
            var est = io.iontrap.analysis.estimate.Estimators.populations(counts, 0.95);
            double[][] p = new double[est.length][];
            double[][] lo = new double[est.length][];
            double[][] hi = new double[est.length][];
            for (int t = 0; t < est.length; t++) {
                p[t] = new double[est[t].length];
                lo[t] = new double[est[t].length];
                hi[t] = new double[est[t].length];
                for (int k = 0; k < est[t].length; k++) {
                    p[t][k] = est[t][k].value();
                    lo[t][k] = est[t][k].lo();
                    hi[t][k] = est[t][k].hi();
                }
            }
            return new Results(summaryJson, p, lo, hi);
        }
    }

    /** Largest N for which {@code /results/populations} (T × 2^N) is stored. */
    public static final int MAX_RESULT_IONS = 12;

    /** Writes {@code run} to {@code target} atomically (temporary file + rename). */
    public static void write(RunData run, Path target) throws IOException {
        write(run, null, target);
    }

    /** Writes {@code run} and its analysis {@code results} (may be null) atomically. */
    public static void write(RunData run, Results results, Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            writeDirect(run, results, tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void writeDirect(RunData run, Results results, Path path) {
        int n = run.ions();
        int tc = run.timeCount();
        int maxShots = 1;
        for (int s : run.plannedShots()) {
            maxShots = Math.max(maxShots, s);
        }
        // jhdf 0.9.4 corrupts files where a group without datasets sits beside groups with
        // datasets: every group below therefore holds at least one dataset.
        try (WritableHdfFile f = HdfFile.write(path)) {
            f.putAttribute("format", FORMAT);
            f.putAttribute("format_version", VERSION);
            f.putAttribute("complete", (byte) (run.complete() ? 1 : 0));
            f.putAttribute("ions", n);
            f.putAttribute("content_sha256", RunDigest.sha256(run));
            if (run.model() != null) {
                Parameters p = run.model();
                String u = run.units() == null ? "" : run.units();
                WritableGroup m = f.putGroup("model");
                m.putAttribute("omega", p.omega());
                m.putAttribute("Omega", p.drive());
                m.putAttribute("kappa", p.kappa());
                m.putAttribute("gamma", p.gamma());
                m.putAttribute("eta", p.eta());
                m.putAttribute("units", u);
                m.putAttribute("frequency_kind", "angular");
                m.putDataset("g", p.g()).putAttribute("units", u);
            }
            if (run.trapJson() != null) {
                f.putGroup("trap").putDataset("json", run.trapJson());
            }
            if (run.hardwareJson() != null) {
                f.putGroup("hardware").putDataset("json", run.hardwareJson());
            }
            if (run.detectionError() != null) {
                f.putGroup("calibrations").putDataset("detection_error", run.detectionError())
                        .putAttribute("columns", "P(read 1 | sigma=-1), P(read 0 | sigma=+1)");
            }
            WritableGroup s = f.putGroup("schedule");
            s.putAttribute("initial", run.initial() < 0 ? "" : IsingLandscape.bits(run.initial(), n));
            s.putDataset("times", run.times()).putAttribute("units",
                    run.units() == null ? "1/unit" : "1/(" + run.units() + ")");
            s.putDataset("shots_per_time", run.plannedShots());
            WritableGroup d = f.putGroup("data");
            byte[][][] shots = new byte[tc][maxShots][n];
            int[] recorded = new int[tc];
            for (int t = 0; t < tc; t++) {
                long[] st = run.shots(t);
                recorded[t] = st.length;
                for (int k = 0; k < st.length; k++) {
                    for (int i = 0; i < n; i++) {
                        shots[t][k][i] = (byte) ((st[k] >>> i) & 1L);
                    }
                }
            }
            d.putDataset("shots", shots).putAttribute("encoding",
                    "time index x shot x ion; 1 = sigma_i = +1, 0 = sigma_i = -1; shots beyond recorded[t] are padding");
            d.putDataset("recorded", recorded);
            if (results != null) {
                WritableGroup res = f.putGroup("results");
                res.putDataset("summary_json", results.summaryJson() == null ? "{}" : results.summaryJson());
                res.putAttribute("summary_sha256", sha256(results.summaryJson() == null ? "{}" : results.summaryJson()));
                if (results.populations() != null) {
                    res.putDataset("populations", results.populations()).putAttribute("description",
                            "Jeffreys estimate (F+1/2)/(n+1), time index x configuration (bit i = ion i, 1 = up)");
                    res.putDataset("populations_lo", results.lower()).putAttribute("description", "95% lower end");
                    res.putDataset("populations_hi", results.upper()).putAttribute("description", "95% upper end");
                }
            }
            WritableGroup prov = f.putGroup("provenance");
            for (Map.Entry<String, String> e : run.provenance().entrySet()) {
                prov.putAttribute(e.getKey(), e.getValue());
            }
            prov.putDataset("keys", run.provenance().keySet().toArray(new String[0]).length == 0
                    ? new String[] {""} : run.provenance().keySet().toArray(new String[0]));
        }
    }

    /** Reads and validates a run file. */
    public static RunData read(Path path) {
        return read(path, new ArrayList<>());
    }

    /** Reads and validates a run file, adding non-fatal remarks (incomplete run, no checksum) to {@code warnings}. */
    public static RunData read(Path path, List<String> warnings) {
        if (!Files.isRegularFile(path)) {
            throw new InputFormatException("run file " + path + ": no such file");
        }
        HdfFile f;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            // read through a memory map: with a bounded buffer, a corrupted size field fails fast
            // instead of making jhdf allocate and fill implausibly large buffers from the channel
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            f = HdfFile.fromByteBuffer(map);
        } catch (IOException e) {
            throw new InputFormatException("run file " + path + ": cannot read (" + e.getMessage() + ")", e);
        } catch (RuntimeException | OutOfMemoryError e) {
            throw new InputFormatException("run file " + path + ": not a readable HDF5 file (truncated or corrupted?): "
                    + describe(e), e);
        }
        try (f) {
            return new Reader(path, f, warnings).read();
        } catch (InputFormatException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new InputFormatException("run file " + path + ": cannot be read (truncated or corrupted?): "
                    + describe(e), e);
        } catch (OutOfMemoryError e) {
            // a corrupted size field makes jhdf allocate an implausible buffer: one failed allocation
            throw new InputFormatException("run file " + path + ": corrupted (a structure claims an implausible size)", e);
        }
    }

    /** The {@code /results} of a run file, or null when it has none; checked against its digest. */
    public static Results readResults(Path path) {
        RunData run = read(path); // validates the file as a whole first
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            HdfFile f = HdfFile.fromByteBuffer(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()));
            try (f) {
                Node node = f.getChildren().get("results");
                if (!(node instanceof Group g)) {
                    return null;
                }
                Object json = ((Dataset) g.getChild("summary_json")).getData();
                Attribute digest = g.getAttribute("summary_sha256");
                if (!(json instanceof String s) || digest == null || !sha256(s).equals(digest.getData())) {
                    throw new InputFormatException("run file " + path + ": /results/summary_json: checksum mismatch or "
                            + "wrong type, the results are corrupted");
                }
                if (!g.getChildren().containsKey("populations")) {
                    return new Results(s, null, null, null);
                }
                double[][] p = (double[][]) ((Dataset) g.getChild("populations")).getData();
                double[][] lo = (double[][]) ((Dataset) g.getChild("populations_lo")).getData();
                double[][] hi = (double[][]) ((Dataset) g.getChild("populations_hi")).getData();
                if (p.length != run.timeCount() || p[0].length != 1 << run.ions()) {
                    throw new InputFormatException("run file " + path + ": /results/populations has the wrong shape");
                }
                return new Results(s, p, lo, hi);
            }
        } catch (IOException e) {
            throw new InputFormatException("run file " + path + ": cannot read (" + e.getMessage() + ")", e);
        } catch (InputFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InputFormatException("run file " + path + ": /results cannot be read: " + describe(e), e);
        }
    }

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = e; c != null && b.length() < 400; c = c.getCause()) {
            if (b.length() > 0) {
                b.append(": ");
            }
            b.append(c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage());
            if (c.getCause() == c) {
                break;
            }
        }
        return b.toString();
    }

    private static final class Reader {
        private final Path path;
        private final HdfFile f;
        private final List<String> warnings;

        Reader(Path path, HdfFile f, List<String> warnings) {
            this.path = path;
            this.f = f;
            this.warnings = warnings;
        }

        private InputFormatException bad(String where, String what) {
            return new InputFormatException("run file " + path + ": " + where + (what.startsWith("= ") ? " " : ": ") + what);
        }

        RunData read() {
            long eof = f.getHdfBackingStorage().getSuperblock().getEndOfFileAddress() + f.getUserBlockSize();
            long size = f.getHdfBackingStorage().size();
            if (size < eof) {
                throw new InputFormatException("run file " + path + ": truncated: " + size
                        + " bytes, the HDF5 superblock says " + eof);
            }
            String format = string(f, "/", "format", true);
            if (!FORMAT.equals(format)) {
                throw bad("/ attribute 'format'", "is \"" + format + "\", expected \"" + FORMAT + "\"");
            }
            int version = (int) integer(f, "/", "format_version");
            if (version != VERSION) {
                throw bad("/ attribute 'format_version'", "is " + version + ", this reader understands " + VERSION);
            }
            long completeFlag = integer(f, "/", "complete");
            if (completeFlag != 0 && completeFlag != 1) {
                throw bad("/ attribute 'complete'", "is " + completeFlag + ", expected 0 or 1");
            }
            Map<String, Node> top = f.getChildren();
            Group sched = group(top, "schedule");
            double[] times = doubles(dataset(sched, "/schedule/times"), "/schedule/times");
            int[] planned = ints1(dataset(sched, "/schedule/shots_per_time"), "/schedule/shots_per_time");
            if (planned.length != times.length) {
                throw bad("/schedule/shots_per_time", "has " + planned.length + " entries, /schedule/times has "
                        + times.length);
            }
            Group data = group(top, "data");
            Dataset shotsDs = dataset(data, "/data/shots");
            int[] dims = shotsDs.getDimensions();
            if (dims.length != 3) {
                throw bad("/data/shots", "has rank " + dims.length + ", expected 3 (time index x shot x ion)");
            }
            if (dims[0] != times.length) {
                throw bad("/data/shots", "has " + dims[0] + " time indices, /schedule/times has " + times.length);
            }
            int n = dims[2];
            if (n < 1 || n > RunData.MAX_IONS) {
                throw bad("/data/shots", "has " + n + " ions, the analysis handles 1 to " + RunData.MAX_IONS);
            }
            long ionsAttr = integer(f, "/", "ions");
            if (ionsAttr != n) {
                throw bad("/ attribute 'ions'", "is " + ionsAttr + " but /data/shots has " + n + " ions");
            }
            int[] recorded = ints1(dataset(data, "/data/recorded"), "/data/recorded");
            if (recorded.length != times.length) {
                throw bad("/data/recorded", "has " + recorded.length + " entries, expected " + times.length);
            }
            Object raw = shotsDs.getData();
            long[][] shots = new long[times.length][];
            for (int t = 0; t < times.length; t++) {
                if (recorded[t] < 0 || recorded[t] > dims[1] || recorded[t] > planned[t]) {
                    throw bad("/data/recorded[" + t + "]", "= " + recorded[t] + " is outside [0, min("
                            + dims[1] + " stored, " + planned[t] + " planned)]");
                }
                Object plane = Array.get(raw, t);
                shots[t] = new long[recorded[t]];
                for (int k = 0; k < recorded[t]; k++) {
                    Object row = Array.get(plane, k);
                    long c = 0;
                    for (int i = 0; i < n; i++) {
                        long v = ((Number) Array.get(row, i)).longValue();
                        if (v == 1) {
                            c |= 1L << i;
                        } else if (v != 0) {
                            throw bad("/data/shots[" + t + "][" + k + "][" + i + "]", "= " + v + ", expected 0 or 1");
                        }
                    }
                    shots[t][k] = c;
                }
            }
            RunData.Builder b = RunData.builder(n).schedule(times, planned).shots(shots).complete(completeFlag == 1);
            try {
                b.initial(initial(sched, n));
            } catch (InvalidParameterException e) {
                throw bad("/schedule attribute 'initial'", e.getMessage());
            }
            if (top.containsKey("model")) {
                Group m = group(top, "model");
                double[] g = doubles(dataset(m, "/model/g"), "/model/g");
                if (g.length != n) {
                    throw bad("/model/g", "has " + g.length + " couplings but /data/shots has " + n + " ions");
                }
                try {
                    b.model(Parameters.of(number(m, "/model", "omega"), number(m, "/model", "Omega"),
                            number(m, "/model", "kappa"), number(m, "/model", "gamma"), g));
                } catch (InvalidParameterException e) {
                    throw bad("/model attribute '" + e.field() + "'", e.getMessage().substring(e.field().length() + 2));
                }
                String u = string(m, "/model", "units", false);
                b.units(u == null || u.isEmpty() ? null : u);
            } else {
                warnings.add("run file has no /model group: the model must be given separately");
            }
            if (top.containsKey("trap")) {
                b.trapJson(text(dataset(group(top, "trap"), "/trap/json"), "/trap/json"));
            }
            if (top.containsKey("hardware")) {
                b.hardwareJson(text(dataset(group(top, "hardware"), "/hardware/json"), "/hardware/json"));
            }
            if (top.containsKey("calibrations")) {
                Group c = group(top, "calibrations");
                if (c.getChildren().containsKey("detection_error")) {
                    Dataset e = dataset(c, "/calibrations/detection_error");
                    Object o = e.getData();
                    if (!(o instanceof double[][] de)) {
                        throw bad("/calibrations/detection_error", "must be a float64 array N x 2");
                    }
                    b.detectionError(de);
                }
            }
            if (top.containsKey("provenance")) {
                Group pg = group(top, "provenance");
                Map<String, Attribute> attrs = pg.getAttributes();
                // the written order (the dataset "keys") first: the content digest covers the entries in order,
                // and HDF5 attribute order is not insertion order
                List<String> order = new ArrayList<>();
                if (pg.getChildren().get("keys") instanceof Dataset kd && kd.getData() instanceof String[] ks) {
                    for (String k : ks) {
                        if (attrs.containsKey(k) && !order.contains(k)) {
                            order.add(k);
                        }
                    }
                }
                for (String k : attrs.keySet()) {
                    if (!order.contains(k)) {
                        order.add(k);
                    }
                }
                for (String k : order) {
                    Object v = attrs.get(k).getData();
                    b.provenance(k, v instanceof String s ? s : String.valueOf(v));
                }
            }
            RunData run;
            try {
                run = b.build();
            } catch (IllegalArgumentException e) {
                throw bad("content", e.getMessage());
            }
            String stored = string(f, "/", "content_sha256", false);
            if (stored == null) {
                warnings.add("run file has no content_sha256: its integrity cannot be checked");
            } else {
                String computed = RunDigest.sha256(run);
                if (!computed.equals(stored)) {
                    throw bad("/ attribute 'content_sha256'", "checksum mismatch, the file is corrupted (stored "
                            + stored + ", content gives " + computed + ")");
                }
            }
            if (!run.complete()) {
                warnings.add("incomplete run: " + run.totalRecorded() + " shots recorded of "
                        + java.util.Arrays.stream(planned).asLongStream().sum() + " planned");
            }
            return run;
        }

        private long initial(Group sched, int n) {
            String s = string(sched, "/schedule", "initial", false);
            if (s == null || s.isEmpty()) {
                return -1;
            }
            return IsingLandscape.configuration(s, n);
        }

        private Group group(Map<String, Node> top, String name) {
            Node node = top.get(name);
            if (node == null) {
                throw bad("/" + name, "missing");
            }
            if (!(node instanceof Group g)) {
                throw bad("/" + name, "must be a group");
            }
            return g;
        }

        private Dataset dataset(Group g, String fullPath) {
            String name = fullPath.substring(fullPath.lastIndexOf('/') + 1);
            Node node = g.getChildren().get(name);
            if (node == null) {
                throw bad(fullPath, "missing");
            }
            if (!(node instanceof Dataset d)) {
                throw bad(fullPath, "must be a dataset");
            }
            return d;
        }

        private Attribute attribute(Node node, String where, String name, boolean required) {
            Attribute a = node.getAttribute(name);
            if (a == null && required) {
                throw bad(where + " attribute '" + name + "'", "missing");
            }
            return a;
        }

        private String string(Node node, String where, String name, boolean required) {
            Attribute a = attribute(node, where, name, required);
            if (a == null) {
                return null;
            }
            Object v = a.getData();
            if (!(v instanceof String s)) {
                throw bad(where + " attribute '" + name + "'", "must be a string");
            }
            return s;
        }

        private long integer(Node node, String where, String name) {
            Object v = attribute(node, where, name, true).getData();
            if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
                return ((Number) v).longValue();
            }
            throw bad(where + " attribute '" + name + "'", "must be an integer, got " + describeValue(v));
        }

        private double number(Node node, String where, String name) {
            Object v = attribute(node, where, name, true).getData();
            if (v instanceof Number num) {
                return num.doubleValue();
            }
            throw bad(where + " attribute '" + name + "'", "must be a number, got " + describeValue(v));
        }

        private String describeValue(Object v) {
            return v == null ? "nothing" : v.getClass().isArray() ? "an array" : v.getClass().getSimpleName();
        }

        private double[] doubles(Dataset d, String where) {
            Object o = d.getData();
            if (o == null || !o.getClass().isArray() || o.getClass().getComponentType().isArray()) {
                throw bad(where, "must be a one-dimensional numeric array");
            }
            int len = Array.getLength(o);
            double[] out = new double[len];
            for (int k = 0; k < len; k++) {
                Object v = Array.get(o, k);
                if (!(v instanceof Number num)) {
                    throw bad(where, "must be numeric");
                }
                out[k] = num.doubleValue();
                if (!Double.isFinite(out[k])) {
                    throw bad(where + "[" + k + "]", "= " + out[k] + ", must be finite");
                }
            }
            return out;
        }

        private int[] ints1(Dataset d, String where) {
            Object o = d.getData();
            if (o == null || !o.getClass().isArray() || o.getClass().getComponentType().isArray()) {
                throw bad(where, "must be a one-dimensional integer array");
            }
            int len = Array.getLength(o);
            int[] out = new int[len];
            for (int k = 0; k < len; k++) {
                Object v = Array.get(o, k);
                if (!(v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long)) {
                    throw bad(where, "must be an integer array");
                }
                long x = ((Number) v).longValue();
                if (x < 0 || x > Integer.MAX_VALUE) {
                    throw bad(where + "[" + k + "]", "= " + x + " is out of range");
                }
                out[k] = (int) x;
            }
            return out;
        }

        private String text(Dataset d, String where) {
            Object o = d.getData();
            if (o instanceof String s) {
                return s;
            }
            throw bad(where, "must be a scalar string");
        }
    }
}
