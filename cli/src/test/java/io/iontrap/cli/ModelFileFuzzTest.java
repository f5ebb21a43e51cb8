package io.iontrap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.hardware.fuzz.Bounded;
import io.iontrap.hardware.fuzz.Fuzz;
import io.iontrap.model.InvalidParameterException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The model file decoder ({@link ModelFile}) against any input: a model or an
 * {@link IllegalArgumentException} (an {@link InvalidParameterException} naming the field when one
 * field is wrong) within a time limit, never another exception, StackOverflowError, OutOfMemoryError
 * or hang; and the malformed fixtures of {@code src/test/resources/malformed/model/} each refused with
 * a message that names the problem. Seeded fuzzing harness {@link Fuzz} and time limit {@link Bounded}
 * from the hardware test-jar: a failure names the case seed and shows the input.
 */
class ModelFileFuzzTest {
    private static final String[] FIELDS = {"omega", "Omega", "kappa", "gamma", "eta", "g", "units", "x", "G", ""};

    /** The result, or the refusal; any other outcome fails the test. */
    private static RuntimeException refusal(Callable<ModelFile> c) {
        Bounded.Outcome<ModelFile> o = Bounded.call(c, IllegalArgumentException.class);
        if (!o.refused()) {
            ModelFile m = o.value();
            assertNotNull(m);
            assertNotNull(m.parameters());
            assertTrue(m.parameters().g().length >= 1);
            return null;
        }
        if (o.refusal() instanceof InvalidParameterException ipe) {
            assertTrue(ipe.getMessage().startsWith(ipe.field() + ": "), ipe.getMessage());
        }
        return o.refusal();
    }

    @Test
    void anyTextIsAModelOrRefused() {
        Fuzz.check(500, r -> Fuzz.string(r, 300), text -> {
            refusal(() -> ModelFile.parse(text));
            refusal(() -> ModelFile.parse("{" + text + "}"));
        });
    }

    /** Objects made of the real field names with values of every type and magnitude. */
    @Test
    void anyObjectOfModelFieldsIsAModelOrRefused() {
        Fuzz.check(1500, ModelFileFuzzTest::modelObject, json -> refusal(() -> ModelFile.parse(json)));
    }

    private static String modelObject(SplittableRandom r) {
        List<String> fields = new ArrayList<>();
        for (int k = 0, n = Fuzz.size(r, 9); k < n; k++) {
            fields.add("\"" + Fuzz.oneOf(r, FIELDS) + "\":" + value(r));
        }
        return "{" + String.join(",", fields) + "}";
    }

    /** A number, an awkward value of any type, or a list of numbers (NaN written as 0, infinities as 1e999). */
    private static String value(SplittableRandom r) {
        return switch (r.nextInt(3)) {
            case 0 -> number(r);
            case 1 -> Fuzz.oneOf(r, "0", "-0", "1", "-1", "1e-320", "1e308", "1e999", "-1e999", "NaN", "null", "true",
                    "\"1\"", "{}", "[]", "[1]", "[1,-2.5]", "[1,null]", "[[1]]", "[1e999]", "\"2pi*kHz\"",
                    "9".repeat(400));
            default -> {
                List<Double> l = new ArrayList<>();
                for (int k = 0, n = Fuzz.size(r, 20); k < n; k++) {
                    l.add(Fuzz.anyDouble(r));
                }
                yield l.toString().replace("NaN", "0").replace("Infinity", "1e999");
            }
        };
    }

    private static String number(SplittableRandom r) {
        double d = Fuzz.anyDouble(r);
        return Double.isFinite(d) ? Double.toString(d) : "1e999";
    }

    /** Every cut of the file, not a sample: it is short. */
    @Test
    void aValidFileCutAnywhereIsRefused() {
        String text = "{\"omega\": 0.05, \"Omega\": 0.005, \"kappa\": 0.05, \"eta\": 10.0, \"g\": [0.105, -0.07], "
                + "\"units\": \"2pi*kHz\"}";
        for (int at = 0; at < text.length(); at++) {
            String cut = text.substring(0, at);
            try {
                assertNotNull(refusal(() -> ModelFile.parse(cut)), "a truncated model file was accepted");
            } catch (AssertionError e) {
                throw new AssertionError("cut after " + at + " characters: " + Fuzz.show(cut) + ": " + e.getMessage(), e);
            }
        }
    }

    @Test
    void aValidFileWithAnyCharacterChangedIsAModelOrRefused() {
        String text = "{\"omega\":1,\"Omega\":0.1,\"kappa\":1,\"gamma\":1.5,\"g\":[1.3,-2.2,0.7]}";
        record Change(int at, char c) { }
        Fuzz.check(300, r -> new Change(r.nextInt(text.length()), Fuzz.character(r)), change -> {
            StringBuilder sb = new StringBuilder(text);
            sb.setCharAt(change.at(), change.c());
            refusal(() -> ModelFile.parse(sb.toString()));
        });
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
