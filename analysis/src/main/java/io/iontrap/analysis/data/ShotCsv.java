package io.iontrap.analysis.data;

import io.iontrap.model.IsingLandscape;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * CSV interchange of shots (docs/run-file.md): a header line {@code t,shot,state}, then one row
 * per shot: the hold time, the shot number at that time (a non-negative integer, unique per time)
 * and the state as N characters {@code 0}/{@code 1}, character i being ion i and {@code 1}
 * meaning σ_i = +1. The parser is strict: any deviation is refused with the line and column.
 */
public final class ShotCsv {
    public static final String HEADER = "t,shot,state";

    private ShotCsv() {
    }

    public static RunData read(Path path) {
        try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return parse(r, "CSV file " + path);
        } catch (NoSuchFileException e) {
            throw new InputFormatException("CSV file " + path + ": no such file");
        } catch (CharacterCodingException e) {
            throw new InputFormatException("CSV file " + path + ": not UTF-8 text");
        } catch (IOException e) {
            throw new InputFormatException("CSV file " + path + ": cannot read (" + e.getMessage() + ")");
        }
    }

    public static RunData parse(String text) {
        try {
            return parse(new StringReader(text), "CSV");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RunData parse(Reader in, String name) throws IOException {
        BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in);
        String header = r.readLine();
        if (header == null) {
            throw new InputFormatException(name + ": empty, expected the header line \"" + HEADER + "\"");
        }
        if (header.startsWith("\uFEFF")) {
            header = header.substring(1);
        }
        if (!header.strip().equals(HEADER)) {
            throw new InputFormatException(name + ": line 1: header is \"" + abbreviate(header)
                    + "\", expected \"" + HEADER + "\"");
        }
        TreeMap<Double, TreeMap<Long, Long>> byTime = new TreeMap<>();
        int n = -1;
        int lineNo = 1;
        String line;
        boolean sawBlank = false;
        int blankLine = 0;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) {
                if (!sawBlank) {
                    blankLine = lineNo;
                }
                sawBlank = true;
                continue;
            }
            if (sawBlank) {
                throw new InputFormatException(name + ": line " + blankLine + ": empty line before more rows");
            }
            String[] f = line.split(",", -1);
            if (f.length != 3) {
                throw new InputFormatException(name + ": line " + lineNo + ": has " + f.length
                        + " fields, expected 3 (t,shot,state)");
            }
            int col2 = f[0].length() + 2;
            int col3 = col2 + f[1].length() + 1;
            double t = time(f[0], name, lineNo);
            long shot = shot(f[1], name, lineNo, col2);
            String s = f[2];
            if (n < 0) {
                n = s.length();
                if (n < 1 || n > RunData.MAX_IONS) {
                    throw new InputFormatException(name + ": line " + lineNo + ", column " + col3
                            + " (state): " + n + " characters, the analysis handles 1 to " + RunData.MAX_IONS + " ions");
                }
            } else if (s.length() != n) {
                throw new InputFormatException(name + ": line " + lineNo + ", column " + col3 + " (state): \""
                        + abbreviate(s) + "\" has " + s.length() + " characters, earlier rows have N = " + n);
            }
            long c = 0;
            for (int i = 0; i < n; i++) {
                char ch = s.charAt(i);
                if (ch == '1') {
                    c |= 1L << i;
                } else if (ch != '0') {
                    throw new InputFormatException(name + ": line " + lineNo + ", column " + (col3 + i)
                            + " (state, ion " + i + "): '" + ch + "', expected '0' or '1'");
                }
            }
            TreeMap<Long, Long> atT = byTime.computeIfAbsent(t, k -> new TreeMap<>());
            if (atT.put(shot, c) != null) {
                throw new InputFormatException(name + ": line " + lineNo + ", column " + col2 + " (shot): shot "
                        + shot + " at t = " + f[0] + " appears twice");
            }
        }
        if (byTime.isEmpty()) {
            throw new InputFormatException(name + ": no shots after the header");
        }
        double[] times = new double[byTime.size()];
        int[] planned = new int[times.length];
        long[][] shots = new long[times.length][];
        int k = 0;
        for (Map.Entry<Double, TreeMap<Long, Long>> e : byTime.entrySet()) {
            times[k] = e.getKey();
            shots[k] = e.getValue().values().stream().mapToLong(Long::longValue).toArray();
            planned[k] = shots[k].length;
            k++;
        }
        return RunData.builder(n).schedule(times, planned).shots(shots).complete(true).build();
    }

    private static double time(String s, String name, int line) {
        String what = name + ": line " + line + ", column 1 (t): ";
        if (s.isEmpty()) {
            throw new InputFormatException(what + "empty, expected a hold time");
        }
        double t;
        try {
            t = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new InputFormatException(what + "\"" + abbreviate(s) + "\" is not a number");
        }
        if (!Double.isFinite(t) || t < 0 || s.strip().length() != s.length()) {
            throw new InputFormatException(what + "\"" + abbreviate(s) + "\" must be a finite number >= 0");
        }
        return t == 0 ? 0.0 : t;
    }

    private static long shot(String s, String name, int line, int col) {
        String what = name + ": line " + line + ", column " + col + " (shot): ";
        if (s.isEmpty() || s.length() > 12 || !s.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new InputFormatException(what + "\"" + abbreviate(s) + "\" is not a non-negative integer");
        }
        return Long.parseLong(s);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /** Writes every recorded shot of {@code run} (temporary file + rename). */
    public static void write(RunData run, Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                write(run, w);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void write(RunData run, Writer w) throws IOException {
        w.write(HEADER);
        w.write('\n');
        for (int t = 0; t < run.timeCount(); t++) {
            String ts = Double.toString(run.time(t));
            long[] s = run.shots(t);
            for (int k = 0; k < s.length; k++) {
                w.write(ts);
                w.write(',');
                w.write(Integer.toString(k));
                w.write(',');
                w.write(IsingLandscape.bits(s[k], run.ions()));
                w.write('\n');
            }
        }
    }

}
