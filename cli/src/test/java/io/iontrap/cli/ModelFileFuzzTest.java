package io.iontrap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.model.InvalidParameterException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The model file decoder ({@link ModelFile}) against any input: a model or an
 * {@link IllegalArgumentException} (an {@link InvalidParameterException} naming the field when one
 * field is wrong) within a time limit, never another exception, StackOverflowError, OutOfMemoryError
 * or hang; and the malformed fixtures of {@code src/test/resources/malformed/model/} each refused with
 * a message that names the problem.
 */
class ModelFileFuzzTest {
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fuzz-worker");
        t.setDaemon(true);
        return t;
    });
    private static final String[] FIELDS = {"omega", "Omega", "kappa", "gamma", "eta", "g", "units", "x", "G", ""};

    /** The result, or the refusal; any other outcome fails the test. */
    private static RuntimeException refusal(Callable<ModelFile> c) {
        Future<ModelFile> f = POOL.submit(c);
        try {
            ModelFile m = f.get(10, TimeUnit.SECONDS);
            assertNotNull(m.parameters());
            assertTrue(m.parameters().g().length >= 1);
            return null;
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("the model file decoder hung");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof IllegalArgumentException iae && iae.getMessage() != null && !iae.getMessage().isBlank()) {
                if (t instanceof InvalidParameterException ipe) {
                    assertTrue(ipe.getMessage().startsWith(ipe.field() + ": "), ipe.getMessage());
                }
                return iae;
            }
            throw new AssertionError("the model file decoder crashed with " + t, t);
        }
    }

    @Property
    void anyTextIsAModelOrRefused(@ForAll @Size(max = 300) String text) {
        refusal(() -> ModelFile.parse(text));
        refusal(() -> ModelFile.parse("{" + text + "}"));
    }

    /** Objects made of the real field names with values of every type and magnitude. */
    @Property(tries = 1500)
    void anyObjectOfModelFieldsIsAModelOrRefused(@ForAll("modelObjects") String json) {
        refusal(() -> ModelFile.parse(json));
    }

    @Provide
    Arbitrary<String> modelObjects() {
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.doubles().map(d -> Double.isFinite(d) ? Double.toString(d) : "1e999"),
                Arbitraries.of("0", "-0", "1", "-1", "1e-320", "1e308", "1e999", "-1e999", "NaN", "null", "true",
                        "\"1\"", "{}", "[]", "[1]", "[1,-2.5]", "[1,null]", "[[1]]", "[1e999]", "\"2pi*kHz\"", "9".repeat(400)),
                Arbitraries.doubles().list().ofMaxSize(20).map(l -> l.toString().replace("NaN", "0")
                        .replace("Infinity", "1e999")));
        Arbitrary<String> field = Arbitraries.of(FIELDS).flatMap(f -> value.map(v -> "\"" + f + "\":" + v));
        return field.list().ofMaxSize(9).map(l -> "{" + String.join(",", l) + "}");
    }

    @Property(tries = 300)
    void aValidFileCutAnywhereIsRefused(@ForAll @IntRange(min = 0, max = 10_000) int at) {
        String text = "{\"omega\": 0.05, \"Omega\": 0.005, \"kappa\": 0.05, \"eta\": 10.0, \"g\": [0.105, -0.07], "
                + "\"units\": \"2pi*kHz\"}";
        String cut = text.substring(0, at % text.length());
        assertNotNull(refusal(() -> ModelFile.parse(cut)), "a truncated model file was accepted: " + cut);
    }

    @Property(tries = 300)
    void aValidFileWithAnyCharacterChangedIsAModelOrRefused(@ForAll @IntRange(min = 0, max = 10_000) int at,
                                                            @ForAll char c) {
        StringBuilder sb = new StringBuilder("{\"omega\":1,\"Omega\":0.1,\"kappa\":1,\"gamma\":1.5,\"g\":[1.3,-2.2,0.7]}");
        sb.setCharAt(at % sb.length(), c);
        refusal(() -> ModelFile.parse(sb.toString()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            truncated.json                      | end-of-input
            empty.json                          | must be a JSON object
            not-an-object.json                  | must be a JSON object
            not-utf8.json                       | not UTF-8
            wrong-type-string-for-number.json   | omega: must be a number, got "0.05"
            wrong-type-in-couplings.json        | g[1]: must be a number, got "-0.07"
            wrong-type-couplings-not-array.json | g: must be an array of couplings, got OBJECT
            nan.json                            | 'NaN'
            infinite.json                       | kappa: must be a finite number, got Infinity
            infinite-coupling.json              | g[2]
            unknown-field.json                  | unit: unknown field
            missing-field.json                  | kappa: missing
            duplicate-field.json                | Duplicate field 'eta'
            huge-n.json                         | g: has 100001 couplings, the limit is 100000
            gamma-and-eta.json                  | give exactly one of gamma (loss rate) or eta
            negative-omega.json                 | omega: must be > 0, got -0.05
            deep-nesting.json                   | nesting depth
            """)
    void malformedFixtureIsRefusedNamingTheProblem(String file, String problem) throws URISyntaxException {
        Path p = Path.of(ModelFileFuzzTest.class.getResource("/malformed/model/" + file).toURI());
        RuntimeException e = refusal(() -> ModelFile.read(p));
        assertNotNull(e, file + " was accepted");
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().contains(file), "the message names the file: " + e.getMessage());
    }
}
