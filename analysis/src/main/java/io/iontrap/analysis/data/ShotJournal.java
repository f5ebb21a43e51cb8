package io.iontrap.analysis.data;

import io.iontrap.model.IsingLandscape;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * An append-only text journal of shots beside the run file (design.md: jhdf cannot append, so
 * shots are journalled as they arrive and the HDF5 file is rewritten at checkpoints). Every
 * batch is written and forced to disk before {@link #append} returns.
 *
 * <pre>
 * iontrap-journal 1 N=3
 * 0,010,5d1f33a7
 * </pre>
 * One line per shot: time index, state (character i = ion i, 1 = up), CRC-32 of the text before
 * the last comma. {@link #replay} refuses a damaged line in the middle and drops, with a warning,
 * a torn last line (a crash while writing it).
 */
public final class ShotJournal implements AutoCloseable {
    private static final String MAGIC = "iontrap-journal 1 N=";

    private final FileChannel channel;
    private final int ions;

    private ShotJournal(FileChannel channel, int ions) {
        this.channel = channel;
        this.ions = ions;
    }

    /** Opens (creating with its header if new) the journal for appending. */
    public static ShotJournal open(Path path, int ions) throws IOException {
        boolean fresh = !Files.exists(path) || Files.size(path) == 0;
        if (!fresh) {
            String first;
            try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                first = r.readLine();
            }
            if (first == null || !first.equals(MAGIC + ions)) {
                throw new InputFormatException("journal " + path + ": line 1 is \"" + first + "\", expected \""
                        + MAGIC + ions + "\"");
            }
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        ShotJournal j = new ShotJournal(ch, ions);
        if (fresh) {
            j.write(MAGIC + ions + "\n");
        }
        return j;
    }

    /** Appends the shots measured at one time index and forces them to disk. */
    public void append(int timeIndex, long[] shots) throws IOException {
        StringBuilder b = new StringBuilder(shots.length * (ions + 16));
        for (long s : shots) {
            String body = timeIndex + "," + IsingLandscape.bits(s, ions);
            b.append(body).append(',').append(crc(body)).append('\n');
        }
        write(b.toString());
    }

    private void write(String text) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static String crc(String body) {
        CRC32 c = new CRC32();
        c.update(body.getBytes(StandardCharsets.US_ASCII));
        return String.format(Locale.ROOT, "%08x", c.getValue());
    }

    /**
     * Rebuilds a run from its last checkpoint and the journal: at each time index the journal's
     * shots (in order) replace the checkpoint's when there are at least as many; shots beyond
     * the planned number are refused. {@code complete} is recomputed.
     */
    public static RunData replay(RunData checkpoint, Path path, List<String> warnings) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            warnings.add("no journal " + path + ": the run resumes from its last checkpoint");
            return checkpoint;
        } catch (java.nio.charset.MalformedInputException e) {
            throw new InputFormatException("journal " + path + ": not ASCII text, corrupted");
        }
        boolean endsWithNewline = Files.size(path) > 0 && endsWithNewline(path);
        int n = checkpoint.ions();
        if (lines.isEmpty() || !lines.get(0).equals(MAGIC + n)) {
            throw new InputFormatException("journal " + path + ": line 1 is \""
                    + (lines.isEmpty() ? "" : lines.get(0)) + "\", expected \"" + MAGIC + n + "\"");
        }
        int tc = checkpoint.timeCount();
        List<List<Long>> byTime = new ArrayList<>();
        for (int t = 0; t < tc; t++) {
            byTime.add(new ArrayList<>());
        }
        for (int k = 1; k < lines.size(); k++) {
            String line = lines.get(k);
            boolean last = k == lines.size() - 1;
            int comma = line.lastIndexOf(',');
            String body = comma < 0 ? "" : line.substring(0, comma);
            boolean ok = comma > 0 && line.substring(comma + 1).equals(crc(body)) && (!last || endsWithNewline);
            if (!ok) {
                if (last) {
                    warnings.add("journal " + path + ": torn last line " + (k + 1) + " dropped (interrupted write)");
                    break;
                }
                throw new InputFormatException("journal " + path + ": line " + (k + 1)
                        + ": checksum mismatch, the journal is corrupted");
            }
            String[] f = body.split(",", -1);
            int t;
            try {
                t = Integer.parseInt(f[0]);
            } catch (NumberFormatException e) {
                throw new InputFormatException("journal " + path + ": line " + (k + 1) + ": bad time index");
            }
            if (f.length != 2 || t < 0 || t >= tc) {
                throw new InputFormatException("journal " + path + ": line " + (k + 1) + ": time index " + t
                        + " outside the schedule (" + tc + " hold times)");
            }
            byTime.get(t).add(IsingLandscape.configuration(f[1], n));
        }
        long[][] shots = new long[tc][];
        int[] planned = checkpoint.plannedShots();
        boolean complete = true;
        for (int t = 0; t < tc; t++) {
            List<Long> j = byTime.get(t);
            if (j.size() > planned[t]) {
                throw new InputFormatException("journal " + path + ": " + j.size() + " shots at time index " + t
                        + ", more than the " + planned[t] + " planned");
            }
            if (j.size() >= checkpoint.recorded(t)) {
                shots[t] = j.stream().mapToLong(Long::longValue).toArray();
            } else {
                warnings.add("journal " + path + " has fewer shots than the checkpoint at time index " + t
                        + ": kept the checkpoint's");
                shots[t] = checkpoint.shots(t);
            }
            complete &= shots[t].length == planned[t];
        }
        return checkpoint.toBuilder().shots(shots).complete(complete).build();
    }

    private static boolean endsWithNewline(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, ch.size() - 1);
            return b.get(0) == '\n';
        }
    }
}
