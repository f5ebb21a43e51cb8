package io.iontrap.hardware.fuzz;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * A seeded fuzzing harness for plain JUnit 5 tests, and the random inputs the decoder tests share
 * (hardware, and cli through the hardware test-jar).
 *
 * <p>{@link #check} runs a property over a fixed number of generated cases. Every case has its own
 * seed, derived from the base seed and the test's class and method name, so the suite is the same on
 * every run and a failure is reproducible: the failure message names the case seed, shows the input
 * and gives the command line that replays that one case. Search beyond the suite's cases with
 * system properties (surefire passes them to the tests):
 * <ul>
 * <li>{@code -Dfuzz.scale=40}: 40 times as many cases for every property;
 * <li>{@code -Dfuzz.seed=N}: another base seed, hence other inputs (properties with a seed of their
 * own keep it);
 * <li>{@code -Dfuzz.replay=0x...}: run only the case with that seed (from a failure message).
 * </ul>
 * Time limits are the callers': decoder calls go through {@link Bounded}.
 */
public final class Fuzz {
    /** The base seed of every property that has no seed of its own. */
    public static final long SEED = parse(System.getProperty("fuzz.seed", "20261125"));
    /** Multiplier on the number of cases of every property. */
    public static final int SCALE = Math.max(1, Integer.getInteger("fuzz.scale", 1));
    private static final String REPLAY = System.getProperty("fuzz.replay");
    private static final int SHOWN = 20_000;
    private static final String SYNTAX = "{}[]\":,.-+eE0123456789 \t\r\n@*\\/truefalsnNaIiy";
    private static final char[] EDGE_CHARS = {'\u0000', '\u001f', '\u007f', '\u0080', '\u00ff', '\u03a9', '\u2028',
        '\ud800', '\udfff', '\ufeff', '\ufffd', '\uffff'};

    private Fuzz() {
    }

    /**
     * Runs {@code property} on {@code cases} inputs (times {@link #SCALE}) made by {@code generate},
     * seeded from {@link #SEED} and the calling test method.
     */
    public static <I> void check(int cases, Function<SplittableRandom, I> generate, Consumer<I> property) {
        run(caller(), SEED, cases, generate, property);
    }

    /** As {@link #check(int, Function, Consumer)}, with a base seed of its own that {@code fuzz.seed} does not change. */
    public static <I> void check(long seed, int cases, Function<SplittableRandom, I> generate, Consumer<I> property) {
        run(caller(), seed, cases, generate, property);
    }

    /** A seed as printed ({@code 0x} and 16 hex digits) or as a decimal long. */
    private static long parse(String seed) {
        String s = seed.strip();
        return s.startsWith("0x") || s.startsWith("0X") ? Long.parseUnsignedLong(s.substring(2), 16)
                : Long.parseLong(s);
    }

    private static StackWalker.StackFrame caller() {
        return StackWalker.getInstance().walk(s -> s.skip(2).findFirst()).orElseThrow();
    }

    private static <I> void run(StackWalker.StackFrame test, long base, int cases,
                                Function<SplittableRandom, I> generate, Consumer<I> property) {
        String cls = test.getClassName().substring(test.getClassName().lastIndexOf('.') + 1);
        String name = cls + "#" + test.getMethodName();
        if (REPLAY != null) {
            runCase(name, base, 0, 1, parse(REPLAY), generate, property);
            return;
        }
        SplittableRandom seeds = new SplittableRandom(base ^ (long) name.hashCode() * 0x9E3779B97F4A7C15L);
        int n = cases * SCALE;
        for (int k = 0; k < n; k++) {
            runCase(name, base, k, n, seeds.nextLong(), generate, property);
        }
    }

    private static <I> void runCase(String name, long base, int k, int n, long seed,
                                    Function<SplittableRandom, I> generate, Consumer<I> property) {
        Object input = "(not generated)";
        try {
            I in = generate.apply(new SplittableRandom(seed));
            input = in;
            property.accept(in);
        } catch (Throwable t) {
            String replay = String.format("0x%016x", seed);
            AssertionError e = new AssertionError(name + ": case " + (k + 1) + " of " + n + " failed"
                    + "\n  case seed: " + replay + " (base seed " + base + ")"
                    + "\n  input: " + show(input)
                    + "\n  failure: " + t
                    + "\n  replay: mvn -B test" + module() + " -Dtest='" + name + "'"
                    + " -Dsurefire.failIfNoSpecifiedTests=false -Dfuzz.replay=" + replay, t);
            throw e;
        }
    }

    /** {@code -pl <module> -am}, the module being the directory surefire runs the tests in. */
    private static String module() {
        String dir = System.getProperty("basedir", System.getProperty("user.dir", ""));
        java.nio.file.Path name = java.nio.file.Path.of(dir).getFileName();
        return name == null ? "" : " -pl " + name + " -am";
    }

    // ---- showing an input

    /**
     * The input as a reader (and a Java source file) can take it: strings quoted and escaped, bytes as
     * bytes, records by component.
     */
    public static String show(Object o) {
        StringBuilder sb = new StringBuilder();
        append(sb, o);
        if (sb.length() > SHOWN) {
            int all = sb.length();
            sb.setLength(SHOWN);
            sb.append("... (").append(SHOWN).append(" of ").append(all)
                    .append(" characters shown; replay the case seed for all)");
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object o) {
        if (o instanceof CharSequence s) {
            sb.append("\"");
            for (int i = 0; i < s.length() && sb.length() <= SHOWN; i++) {
                escape(sb, s.charAt(i));
            }
            sb.append("\" (").append(s.length()).append(" chars)");
        } else if (o instanceof byte[] b) {
            sb.append("bytes \"");
            for (int i = 0; i < b.length && sb.length() <= SHOWN; i++) {
                int c = b[i] & 0xff;
                if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                    sb.append((char) c);
                } else {
                    sb.append(String.format("\\x%02x", c));
                }
            }
            sb.append("\" (").append(b.length).append(" bytes)");
        } else if (o instanceof Character c) {
            sb.append('\'');
            escape(sb, c);
            sb.append('\'');
        } else if (o instanceof Record r) {
            sb.append(r.getClass().getSimpleName()).append('[');
            RecordComponent[] cs = r.getClass().getRecordComponents();
            for (int i = 0; i < cs.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(cs[i].getName()).append('=');
                try {
                    cs[i].getAccessor().setAccessible(true);
                    append(sb, cs[i].getAccessor().invoke(r));
                } catch (ReflectiveOperationException e) {
                    sb.append("?");
                }
            }
            sb.append(']');
        } else if (o instanceof Collection<?> c) {
            sb.append('[');
            boolean first = true;
            for (Object x : c) {
                sb.append(first ? "" : ", ");
                first = false;
                append(sb, x);
            }
            sb.append(']');
        } else {
            sb.append(o);
        }
    }

    private static void escape(StringBuilder sb, char c) {
        switch (c) {
            case '"' -> sb.append("\\\"");
            case '\'' -> sb.append("\\'");
            case '\\' -> sb.append("\\\\");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            default -> {
                if (c >= 0x20 && c < 0x7f) {
                    sb.append(c);
                } else {
                    sb.append(String.format("\\u%04x", (int) c));
                }
            }
        }
    }

    // ---- random inputs

    /** A length in [0, max], biased towards short ones and including max itself. */
    public static int size(RandomGenerator r, int max) {
        return switch (r.nextInt(8)) {
            case 0, 1 -> r.nextInt(Math.min(max, 8) + 1);
            case 2, 3 -> r.nextInt(Math.min(max, 40) + 1);
            case 4 -> max;
            default -> r.nextInt(max + 1);
        };
    }

    /** An int in [min, max]: now and then one of its edges (min, min + 1, max - 1, max), otherwise uniform. */
    public static int intIn(RandomGenerator r, int min, int max) {
        if (r.nextInt(10) == 0) {
            int[] edges = {min, Math.min(min + 1, max), Math.max(max - 1, min), max};
            return edges[r.nextInt(edges.length)];
        }
        return (int) (min + r.nextLong((long) max - min + 1));
    }

    /**
     * An int in [min, max] (min &gt; 0) spread evenly over orders of magnitude (as many between 10 and 100
     * as between 10,000 and 100,000), with now and then an edge: for sizes whose cost grows with the value.
     */
    public static int magnitude(RandomGenerator r, int min, int max) {
        if (r.nextInt(10) == 0) {
            return intIn(r, min, max);
        }
        double v = Math.exp(Math.log(min) + r.nextDouble() * (Math.log(max + 1.0) - Math.log(min)));
        return (int) Math.max(min, Math.min(max, Math.floor(v)));
    }

    /** Any long, with 0, 1, -1, the extremes and small numbers more often than chance. */
    public static long anyLong(RandomGenerator r) {
        return switch (r.nextInt(8)) {
            case 0 -> new long[]{0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MIN_VALUE,
                Integer.MAX_VALUE}[r.nextInt(7)];
            case 1, 2 -> r.nextInt(2001) - 1000;
            default -> r.nextLong();
        };
    }

    /** Any double: the special ones (zeros, NaN, infinities, extremes, subnormals), random bits, ordinary magnitudes. */
    public static double anyDouble(RandomGenerator r) {
        return switch (r.nextInt(6)) {
            case 0 -> new double[]{0.0, -0.0, 1.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -Double.MIN_VALUE,
                Double.MIN_NORMAL}[r.nextInt(12)];
            case 1 -> Double.longBitsToDouble(r.nextLong());
            case 2 -> r.nextInt(2001) - 1000;
            default -> r.nextGaussian() * Math.pow(10, r.nextInt(41) - 20);
        };
    }

    /**
     * Any char: anything in the 16-bit range, printable ASCII, the JSON and serial-frame syntax, or an
     * awkward one (NUL, lone surrogates, BOM, U+FFFF).
     */
    public static char character(RandomGenerator r) {
        return switch (r.nextInt(10)) {
            case 0, 1, 2 -> (char) r.nextInt(0x10000);
            case 3, 4, 5 -> (char) (0x20 + r.nextInt(0x5f));
            case 6, 7, 8 -> SYNTAX.charAt(r.nextInt(SYNTAX.length()));
            default -> EDGE_CHARS[r.nextInt(EDGE_CHARS.length)];
        };
    }

    /**
     * A string of at most {@code max} chars: made of any chars, of printable ASCII, mostly of JSON and
     * frame syntax, or of all of these mixed.
     */
    public static String string(RandomGenerator r, int max) {
        int n = size(r, max);
        int mode = r.nextInt(4);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(switch (mode) {
                case 0 -> (char) r.nextInt(0x10000);
                case 1 -> (char) (0x20 + r.nextInt(0x5f));
                case 2 -> r.nextInt(4) == 0 ? character(r) : SYNTAX.charAt(r.nextInt(SYNTAX.length()));
                default -> character(r);
            });
        }
        return sb.toString();
    }

    /** A string of at most {@code max} letters and digits. */
    public static String alphanumeric(RandomGenerator r, int max) {
        String abc = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        int n = size(r, max);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(abc.charAt(r.nextInt(abc.length())));
        }
        return sb.toString();
    }

    /** At most {@code max} bytes: uniformly random, mostly frame and JSON syntax, or a random string's UTF-8 cut to size. */
    public static byte[] bytes(RandomGenerator r, int max) {
        int n = size(r, max);
        byte[] b = new byte[n];
        switch (r.nextInt(3)) {
            case 0 -> r.nextBytes(b);
            case 1 -> {
                for (int i = 0; i < n; i++) {
                    b[i] = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : (byte) SYNTAX.charAt(r.nextInt(SYNTAX.length()));
                }
            }
            default -> {
                byte[] s = string(r, max).getBytes(StandardCharsets.UTF_8);
                b = java.util.Arrays.copyOf(s, Math.min(s.length, max));
            }
        }
        return b;
    }

    @SafeVarargs
    public static <T> T oneOf(RandomGenerator r, T... choices) {
        return choices[r.nextInt(choices.length)];
    }
}
