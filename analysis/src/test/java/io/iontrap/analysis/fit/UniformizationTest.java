package io.iontrap.analysis.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.iontrap.model.IsingLandscape;
import org.junit.jupiter.api.Test;

class UniformizationTest {
    @Test
    void singleSpinRelaxesAnalytically() {
        double w = 0.3;
        double[] times = {0, 0.5, 2, 10, 100};
        double[][] p = new Uniformization().evolve(new IsingLandscape(1.0), (i, dE) -> w, new double[] {1, 0}, times);
        for (int k = 0; k < times.length; k++) {
            double up = 0.5 * (1 - Math.exp(-2 * w * times[k]));
            assertEquals(up, p[k][1], 1e-12, "t = " + times[k]);
            assertEquals(1, p[k][0] + p[k][1], 1e-12);
        }
    }

    @Test
    void glauberRatesReachBoltzmann() {
        IsingLandscape l = new IsingLandscape(1.3, -2.2, 0.4);
        double beta = 0.7;
        double[] p0 = new double[8];
        p0[0] = 1;
        double[][] p = new Uniformization().evolve(l, (i, dE) -> 1 / (1 + Math.exp(beta * dE)), p0,
                new double[] {400});
        double[] e = l.energies();
        double z = 0;
        for (double v : e) {
            z += Math.exp(-beta * v);
        }
        double[] boltzmann = new double[8];
        for (int s = 0; s < 8; s++) {
            boltzmann[s] = Math.exp(-beta * e[s]) / z;
        }
        assertArrayEquals(boltzmann, p[0], 1e-9);
    }

    @Test
    void agreesWithTheModelsMasterEquation() {
        IsingLandscape l = new IsingLandscape(0.83, -1.41, 2.27, -0.35, 1.92);
        io.iontrap.model.Parameters p = io.iontrap.model.Parameters.withEta(1, 0.1, 1, 0.5, 0.83, -1.41, 2.27, -0.35, 1.92);
        io.iontrap.model.SpinFlipRates rates = RateModels.smallJump().apply(p);
        double[] p0 = new double[32];
        p0[5] = 1;
        double[] times = {3000, 0, 10, 200};
        double[][] a = new Uniformization().evolveAt(l, rates, p0, times);
        double[][] b = new MasterEquationPropagator().evolveAt(l, rates, p0, times);
        for (int k = 0; k < times.length; k++) {
            assertArrayEquals(b[k], a[k], 1e-10, "t = " + times[k]);
        }
    }
}
