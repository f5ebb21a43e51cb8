package io.iontrap.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;

/** Checks that a file is a real PNG of the expected size with something drawn on it. */
public final class PngCheck {
    private PngCheck() {
    }

    public static void assertPlot(Path file, int width, int height) throws Exception {
        assertTrue(Files.isRegularFile(file), file + " written");
        byte[] head = Files.readAllBytes(file);
        assertEquals((byte) 0x89, head[0]);
        assertEquals('P', head[1]);
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img, file + " decodes");
        assertEquals(width, img.getWidth());
        assertEquals(height, img.getHeight());
        Set<Integer> colours = new HashSet<>();
        long nonWhite = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb != 0xffffff) {
                    nonWhite++;
                }
            }
        }
        long sampled = (long) ((img.getWidth() + 1) / 2) * ((img.getHeight() + 1) / 2);
        assertTrue(colours.size() >= 8, file + " has " + colours.size() + " colours: blank?");
        assertTrue(nonWhite > sampled / 100, file + ": only " + nonWhite + " of " + sampled + " sampled pixels drawn");
    }
}
