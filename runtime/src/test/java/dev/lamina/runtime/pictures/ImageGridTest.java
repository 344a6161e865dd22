package dev.lamina.runtime.pictures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.Layer;
import dev.lamina.runtime.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {

    /** {@code count} ramps of {@code h x w}: image i's pixel p is {@code i + p}. */
    private static float[] ramps(int count, int channels, int h, int w) {
        float[] x = new float[count * channels * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = i / (channels * h * w) + i % (channels * h * w);
        }
        return x;
    }

    static BufferedImage readBack(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " is not an image ImageIO reads");
        return image;
    }

    static int colours(BufferedImage image) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                seen.add(image.getRGB(x, y) & 0xffffff);
            }
        }
        return seen.size();
    }

    @Test
    void gridWrittenAsPngHasTheDocumentedSizeAndScalesEachImage(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("grid.png");
        ImageGrid.of(ramps(5, 1, 4, 6), 5, 1, 4, 6).columns(3).zoom(2).gap(1).write(file);
        BufferedImage image = readBack(file);
        assertEquals(3 * 12 + 4, image.getWidth());
        assertEquals(2 * 8 + 3, image.getHeight());
        assertTrue(colours(image) > 10, "a ramp in grey levels, not one flat colour");
        // each image's minimum is black and its maximum white, whatever its offset
        for (int i = 0; i < 5; i++) {
            int left = 1 + (i % 3) * 13;
            int top = 1 + (i / 3) * 9;
            assertEquals(0x000000, image.getRGB(left, top) & 0xffffff, "image " + i + " top left");
            assertEquals(0xffffff, image.getRGB(left + 11, top + 7) & 0xffffff, "image " + i + " bottom right");
        }
    }

    @Test
    void theOneCallApiAndRgbAndAFixedRange(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("gan.png");
        ImageGrid.write(file, ramps(7, 1, 28, 28), 7, 1, 28, 28, 4);
        BufferedImage image = readBack(file);
        assertEquals(4 * 28 + 5, image.getWidth());
        assertEquals(2 * 28 + 3, image.getHeight());

        float[] rgb = new float[3 * 2 * 2]; // one 2x2 image: red top left, green top right, blue bottom left
        rgb[0] = 1;
        rgb[4 + 1] = 1;
        rgb[8 + 2] = 1;
        BufferedImage drawn = ImageGrid.of(rgb, 1, 3, 2, 2).gap(0).range(0, 1).render();
        assertEquals(0xff0000, drawn.getRGB(0, 0) & 0xffffff);
        assertEquals(0x00ff00, drawn.getRGB(1, 0) & 0xffffff);
        assertEquals(0x0000ff, drawn.getRGB(0, 1) & 0xffffff);
        assertEquals(0x000000, drawn.getRGB(1, 1) & 0xffffff);
    }

    @Test
    void heatMapGoesFromBlackThroughRedAndYellowToWhite() {
        float[] saliency = {0, 1f / 3, 2f / 3, 1};
        BufferedImage drawn = ImageGrid.of(saliency, 1, 1, 1, 4).gap(0).colours(ColourMap.HEAT).render();
        assertEquals(0x000000, drawn.getRGB(0, 0) & 0xffffff);
        assertEquals(0xff0000, drawn.getRGB(1, 0) & 0xffffff);
        assertEquals(0xffff00, drawn.getRGB(2, 0) & 0xffffff);
        assertEquals(0xffffff, drawn.getRGB(3, 0) & 0xffffff);
    }

    @Test
    void convolutionFiltersAreDrawnChannelsFirst() {
        // two 1x2 filters over 3 channels, stored [filters, kh, kw, channels]
        float[] stored = new float[2 * 1 * 2 * 3];
        for (int i = 0; i < stored.length; i++) {
            stored[i] = i;
        }
        Tensor weights = new Tensor("c1.weight", Tensor.Kind.WEIGHT, new int[] {2, 1, 2, 3}, 0,
                FloatBuffer.wrap(stored));
        // filter 0, channel c, x: stored at x * 3 + c
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11}, Filters.channelsFirst(weights));
        Layer conv = new Layer("c1", "Conv", new int[] {2, 4, 4}, List.of(weights), List.of());
        ImageGrid grid = Filters.grid(conv);
        assertEquals(2 * 2 + 3, grid.width()); // two RGB tiles side by side
        Layer dense = new Layer("d", "Dense", new int[] {2}, List.of(weights), List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Filters.grid(dense));
        assertEquals("expected a Conv layer for filter pictures, found layer 'd' of kind Dense", e.getMessage());
    }

    @Test
    void badInputIsRefusedWithWhatWasExpected() {
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.of(new float[119], 5, 1, 4, 6));
        assertEquals("expected 5 x 1 x 4 x 6 = 120 values, found 119", length.getMessage());
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.of(new float[32], 1, 2, 4, 4));
        assertTrue(channels.getMessage().startsWith("expected 1 (grey) or 3 (RGB) channels per image, found 2"),
                channels.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.of(new float[12], 1, 3, 2, 2).colours(ColourMap.HEAT));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.of(new float[4], 1, 1, 2, 2).range(1, 1));
    }
}
