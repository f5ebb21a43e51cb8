package io.iontrap.analysis.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.iontrap.analysis.PngCheck;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
    @TempDir
    Path dir;

    @Test
    void kolmogorovPlotWithAMeasuredPoint() throws Exception {
        double[] eta = new double[30];
        double[] k = new double[30];
        for (int j = 0; j < 30; j++) {
            eta[j] = Math.pow(10, -2 + 4.0 * j / 29);
            k[j] = Math.exp(2 * Math.exp(-Math.pow(Math.log10(eta[j]), 2)));
        }
        Path f = dir.resolve("k.png");
        Plots.save(Plots.kolmogorov(eta, k, List.of(new Plots.Point(1.0, 6.0, 4.0, 9.0))), f, 640, 480);
        PngCheck.assertPlot(f, 640, 480);
    }

    @Test
    void theCheckRejectsABlankImage() throws Exception {
        Path f = dir.resolve("blank.png");
        BufferedImage img = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 200; x++) {
                img.setRGB(x, y, 0xffffff);
            }
        }
        ImageIO.write(img, "png", f.toFile());
        assertThrows(AssertionError.class, () -> PngCheck.assertPlot(f, 200, 100));
    }

    @Test
    void tickLabelsKeepIntegerZeros() {
        assertEquals("1600", Plots.format(1600));
        assertEquals("0.25", Plots.format(0.25));
        assertEquals("2.50e+05", Plots.format(2.5e5));
    }
}
