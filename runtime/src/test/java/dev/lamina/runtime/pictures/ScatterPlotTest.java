package dev.lamina.runtime.pictures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScatterPlotTest {

    @Test
    void threeClassesAsPngOfTheAskedSizeWithEachClassColour(@TempDir Path dir) throws IOException {
        int n = 60;
        double[] points = new double[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            points[2 * i] = labels[i] * 5 + Math.cos(i);
            points[2 * i + 1] = labels[i] + Math.sin(i);
        }
        Path file = dir.resolve("scatter.png");
        ScatterPlot.of(points, labels).title("three").axes("x", "y").classNames("zero", "one", "two")
                .size(640, 480).write(file);
        BufferedImage image = ImageGridTest.readBack(file);
        assertEquals(640, image.getWidth());
        assertEquals(480, image.getHeight());
        assertTrue(ImageGridTest.colours(image) > 20, "markers, axes and text, not one flat colour");
        for (int colour : new int[] {0x1f77b4, 0xff7f0e, 0x2ca02c}) {
            assertTrue(contains(image, colour), "class colour " + Integer.toHexString(colour) + " is drawn");
        }
    }

    @Test
    void badInputIsRefusedWithWhatWasExpected() {
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> ScatterPlot.of(new double[5], new int[3]));
        assertEquals("expected 2 x 3 = 6 coordinates for 3 labels, found 5", length.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ScatterPlot.of(new double[4], new int[] {0, -1}));
        assertThrows(IllegalArgumentException.class,
                () -> ScatterPlot.of(new double[4], new int[] {0, 2}).classNames("a", "b"));
    }

    private static boolean contains(BufferedImage image, int rgb) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    return true;
                }
            }
        }
        return false;
    }
}
