package io.iontrap.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iontrap.model.InvalidParameterException;
import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;
import io.iontrap.model.master.MasterEquation;
import io.iontrap.model.rates.FlipRates;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Benchmarks of the effective model, run by bench/run side by side with the SciPy peer
 * (bench/master_scipy.py reads what {@code --out} writes). Prints one JSON line of figures.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark the effective model: flip-rate evaluations (fast path and exact Eq. 3), "
                + "and the master equation's stationary state and evolution for N spins",
                "(omega = kappa = 1, Omega = 0.1, g uniform in [-3, 3]; times in 1/omega). Used by bench/run."})
final class BenchCommand implements Runnable {
    @Option(names = "--n", defaultValue = "14", description = "number of spins (default ${DEFAULT-VALUE})")
    int n;
    @Option(names = "--eta", defaultValue = "0.1", description = "eta (default ${DEFAULT-VALUE})")
    double eta;
    @Option(names = "--seed", defaultValue = "1", description = "seed of the couplings (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--times", split = ",", defaultValue = "2000", description = "evolution output times (default ${DEFAULT-VALUE})")
    double[] times;
    @Option(names = "--out", paramLabel = "DIR", description = "write rates, results and timings for the SciPy peer")
    Path out;
    @Option(names = "--rates-only", description = "only the flip-rate throughput")
    boolean ratesOnly;

    @Override
    public void run() {
        if (n < 1 || n > MasterEquation.MAX_SPINS) {
            throw new InvalidParameterException("--n", "must be in 1.." + MasterEquation.MAX_SPINS
                    + " (the exact master equation), got " + n);
        }
        double[] g = new double[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            g[i] = r.nextDouble(-3, 3);
        }
        Parameters p = Parameters.withEta(1, 0.1, 1, eta, g);
        ObjectNode result = Json.object().put("n", n).put("eta", eta)
                .put("threads", Runtime.getRuntime().availableProcessors());
        long t0 = System.nanoTime();
        FlipRates rates = new FlipRates(p);
        result.put("rateTablesSeconds", seconds(t0));
        rateThroughput(rates, p, result);
        if (!ratesOnly) {
            masterEquation(rates, p, result);
        }
        Json.print(result);
    }

    private void rateThroughput(FlipRates rates, Parameters p, ObjectNode result) {
        IsingLandscape landscape = IsingLandscape.of(p);
        SplittableRandom r = new SplittableRandom(seed + 1);
        int samples = 1 << 16;
        double[] dE = new double[samples];
        int[] spin = new int[samples];
        for (int k = 0; k < samples; k++) {
            spin[k] = r.nextInt(n);
            double max = landscape.maxAbsDeltaE(spin[k]);
            dE[k] = r.nextDouble(-max, max);
        }
        double sink = 0;
        long evaluations = 0;
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < 2_000_000_000L) {
            for (int k = 0; k < samples; k++) {
                sink += rates.rate(spin[k], dE[k]);
            }
            evaluations += samples;
        }
        result.put("fastRatesPerSecond", evaluations / seconds(t0));
        t0 = System.nanoTime();
        int exact = 0;
        while (System.nanoTime() - t0 < 2_000_000_000L && exact < samples) {
            sink += rates.exact(spin[exact], dE[exact]);
            exact++;
        }
        result.put("exactRatesPerSecond", exact / seconds(t0));
        result.put("checksum", sink);
    }

    private void masterEquation(FlipRates rates, Parameters p, ObjectNode result) {
        long t0 = System.nanoTime();
        MasterEquation me = new MasterEquation(IsingLandscape.of(p), rates);
        result.put("generatorSeconds", seconds(t0));
        t0 = System.nanoTime();
        MasterEquation.Stationary stationary = me.stationarySolution();
        double[] pi = stationary.distribution();
        result.put("javaStationarySeconds", seconds(t0));
        result.put("stationarySweeps", stationary.sweeps());
        result.put("stationaryRelativeResidual", stationary.relativeResidual());
        t0 = System.nanoTime();
        double[][] pt = me.evolve(0, times);
        result.put("javaEvolveSeconds", seconds(t0));
        Json.putArray(result, "times", times);
        result.put("stationaryMeanEnergy", me.meanEnergy(pi));
        result.put("heapMiB", (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        if (out != null) {
            write(me, pi, pt, result);
        }
    }

    private void write(MasterEquation me, double[] pi, double[][] pt, ObjectNode result) {
        try {
            Files.createDirectories(out);
            int states = me.states();
            try (FileChannel ch = FileChannel.open(out.resolve("rates.f64"), StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
                for (int s = 0; s < states; s++) {
                    b.clear();
                    for (int i = 0; i < n; i++) {
                        b.putDouble(me.flipRate(s, i));
                    }
                    b.flip();
                    ch.write(b);
                }
            }
            writeDoubles(out.resolve("pi.f64"), pi);
            double[] flat = new double[pt.length * states];
            for (int k = 0; k < pt.length; k++) {
                System.arraycopy(pt[k], 0, flat, k * states, states);
            }
            writeDoubles(out.resolve("pt.f64"), flat);
            Files.writeString(out.resolve("meta.json"), Json.MAPPER.writeValueAsString(result));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write benchmark files to " + out + ": " + e.getMessage());
        }
    }

    private static void writeDoubles(Path path, double[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putDouble(v);
        }
        b.flip();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) * 1e-9;
    }
}
