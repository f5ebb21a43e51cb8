package io.iontrap.hardware.trap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.iontrap.hardware.TrapFixtures;
import io.iontrap.hardware.fuzz.Bounded;
import io.iontrap.hardware.fuzz.Fuzz;
import io.iontrap.hardware.fuzz.Json;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The trap file decoder ({@link TrapFile}) against any input: a {@link TrapSpec} or a
 * {@link TrapFileException} naming the field, within a time limit, never another exception, and the
 * malformed fixtures of {@code src/test/resources/malformed/trap/} each refused with a message that
 * names the problem. Seeded fuzzing harness {@link Fuzz}: a failure names the case seed and shows the input.
 */
class TrapFileFuzzTest {
    private static final String EXAMPLE = read(TrapFixtures.EXAMPLE);
    private static final JsonNode TREE = TrapFixtures.exampleTree();

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Bounded.Outcome<TrapSpec> parse(String text) {
        Bounded.Outcome<TrapSpec> o = Bounded.call(() -> TrapFile.parse(text), TrapFileException.class);
        if (o.refused()) {
            TrapFileException e = (TrapFileException) o.refusal();
            assertNotNull(e.field());
            assertTrue(e.getMessage().startsWith(e.field() + ": "), e.getMessage());
        } else {
            assertNotNull(o.value());
        }
        return o;
    }

    @Test
    void anyTextIsATrapOrRefused() {
        Fuzz.check(500, r -> Fuzz.string(r, 400), TrapFileFuzzTest::parse);
    }

    /** Wrong types, missing and unknown fields, extreme values anywhere in the example trap file. */
    @Test
    void theExampleMutatedIsATrapOrRefused() {
        Fuzz.check(1500, r -> {
            JsonNode t = TREE;
            for (int k = 0, n = 1 + r.nextInt(3); k < n; k++) {
                t = Json.mutate(t, r);
            }
            return Json.write(t);
        }, text -> {
            Bounded.Outcome<TrapSpec> o = parse(text);
            if (!o.refused()) {
                // an accepted mutation is a complete, usable trap
                assertTrue(o.value().spinIons().size() >= 1);
                assertTrue(o.value().channels().size() >= 1);
                assertTrue(o.value().name() != null && !o.value().name().isBlank());
            }
        });
    }

    /** The input shown on a failure is the length kept. */
    @Test
    void theExampleCutAnywhereIsRefused() {
        String text = EXAMPLE.strip();
        Fuzz.check(300, r -> Fuzz.intIn(r, 0, text.length() - 1),
                at -> assertTrue(parse(text.substring(0, at)).refused(), "a truncated trap file was accepted"));
    }

    @Test
    void theExampleWithAnyByteChangedIsATrapOrRefused() {
        record Change(int at, char c) { }
        Fuzz.check(300, r -> new Change(r.nextInt(EXAMPLE.length()), Fuzz.character(r)), change -> {
            StringBuilder sb = new StringBuilder(EXAMPLE);
            sb.setCharAt(change.at(), change.c());
            parse(sb.toString());
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            truncated.json                   | (file)                                  | end-of-input
            empty.json                       | (file)                                  | must be a JSON object
            not-an-object.json               | (file)                                  | must be a JSON object
            not-utf8.json                    | (file)                                  | not UTF-8
            wrong-type-string-for-number.json| maxTotalPower                           | must be a number, got "3.0"
            wrong-type-object-for-array.json | ions                                    | must be an array, got OBJECT
            wrong-type-in-calibration.json   | channels[1].calibration.amplitude[3]    | must be a number, got true
            nan.json                         | (file)                                  | 'NaN'
            infinite.json                    | ionMassAmu                              | must be finite, got Infinity
            unknown-field.json               | maxTotalPowr                            | unknown field
            unknown-field-in-channel.json    | channels[2].maxAmplitud                 | unknown field
            missing-field.json               | channels                                | missing
            duplicate-field.json             | (file)                                  | Duplicate field 'maxTotalPower'
            huge-n-ions.json                 | ions                                    | has 1001 ions, the limit is 1000
            calibration-not-increasing.json  | channels[0].calibration.rabiFrequencyHz[4] | must increase
            negative-limit.json              | channels[0].maxAmplitude                | must be > 0, got -0.5
            deep-nesting.json                | (file)                                  | nesting depth
            """)
    void malformedFixtureIsRefusedNamingTheProblem(String file, String field, String problem) throws URISyntaxException {
        Path p = Path.of(TrapFileFuzzTest.class.getResource("/malformed/trap/" + file).toURI());
        Bounded.Outcome<TrapSpec> o = Bounded.call(() -> TrapFile.read(p), TrapFileException.class);
        assertTrue(o.refused(), file + " was accepted");
        TrapFileException e = (TrapFileException) o.refusal();
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().contains(file), "the message names the file: " + e.getMessage());
    }
}
