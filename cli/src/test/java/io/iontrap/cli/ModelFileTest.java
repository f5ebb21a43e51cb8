package io.iontrap.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.model.InvalidParameterException;
import io.iontrap.model.Parameters;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ModelFileTest {

    @Test
    void readsTheIssueExampleAndTheEtaForm() {
        Parameters p = ModelFile.parse("{\"omega\":1.0,\"Omega\":0.1,\"kappa\":1.0,\"gamma\":1.1,\"g\":[1.3,-2.2]}")
                .parameters();
        assertEquals(0.1, p.eta(), 1e-12);
        assertArrayEquals(new double[] {1.3, -2.2}, p.g());
        ModelFile f = ModelFile.parse("{\"omega\":2,\"Omega\":0.1,\"kappa\":1,\"eta\":0.5,\"g\":[1],\"units\":\"2pi*kHz\"}");
        assertEquals(2.0, f.parameters().gamma(), 1e-15);
        assertEquals("2pi*kHz", f.units());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing gamma and eta|{\"omega\":1,\"Omega\":0.1,\"kappa\":1,\"g\":[1]}|gamma",
        "both gamma and eta|{\"omega\":1,\"Omega\":0.1,\"kappa\":1,\"gamma\":2,\"eta\":1,\"g\":[1]}|eta",
        "gamma below kappa|{\"omega\":1,\"Omega\":0.1,\"kappa\":1,\"gamma\":0.5,\"g\":[1]}|gamma",
        "negative kappa|{\"omega\":1,\"Omega\":0.1,\"kappa\":-1,\"gamma\":2,\"g\":[1]}|kappa",
        "string omega|{\"omega\":\"1\",\"Omega\":0.1,\"kappa\":1,\"gamma\":2,\"g\":[1]}|omega",
        "unknown field|{\"omega\":1,\"Omega\":0.1,\"kappa\":1,\"gamma\":2,\"g\":[1],\"gama\":3}|gama",
        "empty g|{\"omega\":1,\"Omega\":0.1,\"kappa\":1,\"gamma\":2,\"g\":[]}|g",
        "g not array|{\"omega\":1,\"Omega\":0.1,\"kappa\":1,\"gamma\":2,\"g\":1.5}|g",
        "non-number coupling|{\"omega\":1,\"Omega\":0.1,\"kappa\":1,\"gamma\":2,\"g\":[1,null]}|g[1]",
        "missing Omega|{\"omega\":1,\"kappa\":1,\"gamma\":2,\"g\":[1]}|Omega",
        "g and disorder|{\"omega\":1,\"Omega\":0.1,\"kappa\":1,\"gamma\":2,\"g\":[1],\"disorder\":{}}|g",
        "bad distribution|{\"omega\":1,\"Omega\":0.1,\"kappa\":1,\"gamma\":2,\"disorder\":{\"distribution\":\"cauchy\",\"width\":3,\"n\":4,\"seed\":1}}|disorder.distribution",
        "huge n|{\"omega\":1,\"Omega\":0.1,\"kappa\":1,\"gamma\":2,\"disorder\":{\"distribution\":\"uniform\",\"width\":3,\"n\":1e9,\"seed\":1}}|disorder.n",
        "unknown disorder field|{\"omega\":1,\"Omega\":0.1,\"kappa\":1,\"gamma\":2,\"disorder\":{\"distribution\":\"uniform\",\"width\":3,\"n\":4,\"seed\":1,\"mean\":0}}|disorder.mean",
        "units not text|{\"omega\":1,\"Omega\":0.1,\"kappa\":1,\"gamma\":2,\"g\":[1],\"units\":5}|units",
    })
    void refusesBadFilesNamingTheField(String name, String json, String field) {
        InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> ModelFile.parse(json));
        assertEquals(field, e.field(), e.getMessage());
    }

    @Test
    void drawsSeededDisorder() {
        String json = "{\"omega\":1,\"Omega\":0.1,\"kappa\":1,\"eta\":10,"
                + "\"disorder\":{\"distribution\":\"uniform\",\"width\":3,\"n\":2000,\"seed\":7}}";
        double[] g = ModelFile.parse(json).parameters().g();
        assertArrayEquals(g, ModelFile.parse(json).parameters().g(), "same seed, same couplings");
        double mean = 0;
        double square = 0;
        for (double x : g) {
            assertTrue(Math.abs(x) <= 3);
            mean += x / g.length;
            square += x * x / g.length;
        }
        // uniform on [-3, 3]: mean 0, variance 3; tolerances are 5 standard errors
        assertEquals(0, mean, 5 * Math.sqrt(3.0 / g.length));
        assertEquals(3, square, 5 * Math.sqrt(9 * 4 / 5.0 / g.length));
        double[] normal = ModelFile.parse(json.replace("uniform", "normal")).parameters().g();
        double v = 0;
        for (double x : normal) {
            v += x * x / normal.length;
        }
        assertEquals(9, v, 5 * 9 * Math.sqrt(2.0 / normal.length));
    }

    @Test
    void refusesMalformedJsonWithItsLocation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.parse("{\"omega\":1,\"Omega\":NaN}"));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelFile.parse("{\"omega\":1,\"omega\":2}"));
        assertTrue(e.getMessage().contains("omega"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelFile.parse("[1,2]"));
        assertTrue(e.getMessage().contains("JSON object"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelFile.parse("{\"omega\":1,"));
        assertTrue(e.getMessage().startsWith("not valid JSON"), e.getMessage());
    }

    @Test
    void namesTheFileThatIsMissing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.read(Path.of("no/such/model.json")));
        assertTrue(e.getMessage().contains("no/such/model.json") && e.getMessage().contains("no such file"));
    }
}
