package dev.lamina.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The input-gradient commands ({@code fgsm}, {@code saliency}, {@code maximise}, {@code style}) on a tiny setting
 * (few epochs, few steps): each picture is a valid PNG of the expected size, and FGSM at epsilon 0.1 costs more
 * accuracy than random-sign noise of the same size, which costs none or some.
 */
class AnalysisSamplesTest {

    @Test
    void fgsmHurtsMoreThanNoiseOfTheSameSize(@TempDir Path dir) throws Exception {
        AdversarialDigits.Figures figures = AdversarialDigits.run(dir, 10);
        AdversarialDigits.Row at01 = figures.at(0.1);
        assertTrue(figures.clean() > 0.9, "clean accuracy " + figures.clean());
        assertTrue(at01.fgsm() < at01.noise() && at01.noise() <= figures.clean(), "at epsilon 0.1: FGSM "
                + at01.fgsm() + ", noise " + at01.noise() + ", clean " + figures.clean());
        assertTrue(at01.iterated() <= at01.fgsm(), "iterated " + at01.iterated() + ", one step " + at01.fgsm());
        // eight digits of 8x8 at zoom 12 in three rows, gaps of 2
        assertPicture(figures.picture(), 8 * 96 + 9 * 2, 3 * 96 + 4 * 2);
    }

    @Test
    void saliencyMaximiseAndStyleWriteTheirPictures(@TempDir Path dir) throws Exception {
        Main.main(new String[] {"saliency", "--out", dir.toString(), "--epochs", "5"});
        // two grids of 16 digits, 8 to a row, zoom 12, gaps of 2, one above the other
        assertPicture(dir.resolve("saliency.png"), 8 * 96 + 9 * 2, 2 * (2 * 96 + 3 * 2));
        // the first digit and its ten Jacobian maps, each 8 x 12 pixels wide with its gaps
        assertPicture(dir.resolve("jacobian.png"), (96 + 2 * 2) + (10 * 96 + 11 * 2), 96 + 2 * 2);
        String report = Files.readString(dir.resolve("report.html"));
        assertTrue(report.contains("<h2>Saliency</h2>") && report.contains("<h2>Jacobian of the first digit</h2>"),
                "the saliency run's report shows both pictures");
        Main.main(new String[] {"maximise", "--out", dir.toString(), "--epochs", "5", "--steps", "30"});
        // ten classes in a row at zoom 16
        assertPicture(dir.resolve("maximise.png"), 10 * 128 + 11 * 2, 128 + 2 * 2);
        Main.main(new String[] {"style", "--out", dir.toString(), "--steps", "20"});
        // content, style and result, 32x32 RGB at zoom 8, gaps of 4
        assertPicture(dir.resolve("style.png"), 3 * 256 + 4 * 4, 256 + 2 * 4);
    }

    private static void assertPicture(Path file, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " is not an image ImageIO reads");
        assertEquals(width, image.getWidth(), file + " width");
        assertEquals(height, image.getHeight(), file + " height");
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < height; y += 3) {
            for (int x = 0; x < width; x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 5, file + " is not one flat colour: " + colours.size() + " colours");
    }
}
