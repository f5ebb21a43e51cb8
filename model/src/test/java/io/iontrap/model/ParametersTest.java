package io.iontrap.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ParametersTest {

    @Test
    void derivedQuantitiesFollowTheirDefinitions() {
        // Fig. 2a: omega = kappa = 1, eta = 10 -> gamma = 11, theta = 1/11.
        Parameters p = Parameters.withEta(1, 0.1, 1, 10, 1.0, -2.0);
        assertEquals(11, p.gamma(), 1e-15);
        assertEquals(1.0 / 11, p.theta(), 1e-15);
        // nu in its two equivalent forms of physics.md §1.
        double theta = p.theta();
        double eta = p.eta();
        assertEquals(4 * (1 + theta) * eta / ((eta * eta + 4) * (1 - theta)), p.nu(), 1e-14);
        assertEquals(4 * (2 + 10) / 104.0, p.nu(), 1e-15);
        assertEquals(2.5, p.meanSquareCoupling(), 1e-15);
        assertEquals(1 / (2 * 2.5 * p.nu()), p.coherenceTime(), 1e-15);
    }

    @Test
    void refusesEachInvalidFieldByName() {
        assertField("gamma", () -> Parameters.of(1, 0.1, 1, 1, 1.0));
        assertField("gamma", () -> Parameters.of(1, 0.1, 1, 0.5, 1.0));
        assertField("kappa", () -> Parameters.of(1, 0.1, -0.1, 1, 1.0));
        assertField("omega", () -> Parameters.of(0, 0.1, 1, 2, 1.0));
        assertField("Omega", () -> Parameters.of(1, -0.1, 1, 2, 1.0));
        assertField("g", () -> Parameters.of(1, 0.1, 1, 2));
        assertField("g[1]", () -> Parameters.of(1, 0.1, 1, 2, 1.0, Double.NaN));
        assertField("omega", () -> Parameters.of(Double.POSITIVE_INFINITY, 0.1, 1, 2, 1.0));
        assertField("eta", () -> Parameters.withEta(1, 0.1, 1, 0, 1.0));
    }

    @Test
    void warnsWhenThePerturbativeConditionFails() {
        assertTrue(Parameters.withEta(1, 0.1, 1, 1, 1.3, -2.2).validityWarnings().isEmpty());
        // Omega t_L = 1 * 1/(2 g^2 nu) with small g: far outside the window.
        assertTrue(Parameters.withEta(1, 1.0, 1, 1, 0.2).validityWarnings().stream()
                .anyMatch(w -> w.contains("Omega*t_L")));
        // eta = 100 with Omega = 1, g = 1: the large-eta bound 4g^2(1+theta)/(omega Omega (1-theta)) ~ 4.
        assertTrue(Parameters.withEta(1, 0.5, 1, 100, 1.0).validityWarnings().stream()
                .anyMatch(w -> w.contains("large-eta")));
    }

    private static void assertField(String field, Runnable r) {
        InvalidParameterException e = assertThrows(InvalidParameterException.class, r::run);
        assertEquals(field, e.field());
        assertTrue(e.getMessage().startsWith(field + ":"), e.getMessage());
    }
}
