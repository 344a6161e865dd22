package dev.lamina.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.data.Dataset;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code train --model gan} command on a tiny setting: every picture it writes is a valid PNG of its size. */
class DcganTest {
    /** 8 images of 28x28 to a row at zoom 2 with gaps of 2, 8 rows: 8 * 56 + 9 * 2 pixels square. */
    private static final int SIDE = 8 * 56 + 9 * 2;

    /** On Fashion-MNIST where it is installed, and on the enlarged digits (a folder without it). */
    @ParameterizedTest
    @ValueSource(strings = {"/usr/share/datasets/fashion-mnist", "no-such-folder"})
    void writesTheRealImagesAndOnePictureOfGeneratedImagesPerEpoch(String data, @TempDir Path dir) throws Exception {
        Main.main(new String[] {"train", "--model", "gan", "--out", dir.toString(), "--epochs", "2", "--samples",
                "256", "--batch", "32", "--data", dir.resolve(data).toString()});
        List<String> names = List.of("real.png", "epoch-1.png", "epoch-2.png");
        for (String name : names) {
            assertPicture(dir.resolve(name), SIDE, SIDE);
        }
        try (var files = Files.list(dir)) {
            assertEquals(names.size(), files.count(), "no other files in " + dir);
        }
    }

    @Test
    void enlargesTheDigitsTo28By28KeepingTheirValues() {
        Dataset digits = SampleData.digits(7).train().slice(0, 3);
        Dataset large = Dcgan.enlarged(digits);
        assertEquals(3, large.size());
        assertEquals(List.of(1, 28, 28), List.of(large.shape()[0], large.shape()[1], large.shape()[2]));
        for (int n = 0; n < 3; n++) {
            double smallMean = 0;
            double largeMean = 0;
            for (int i = 0; i < 64; i++) {
                smallMean += digits.features()[n * 64 + i] / 64.0;
            }
            for (int i = 0; i < 784; i++) {
                float v = large.features()[n * 784 + i];
                assertTrue(v >= 0 && v <= 1, "interpolated values stay in [0, 1]: " + v);
                largeMean += v / 784.0;
            }
            assertEquals(smallMean, largeMean, 0.05, "digit " + n + " keeps its brightness");
        }
        // the pixel at the centre of a 3.5 x 3.5 block is the small image's pixel itself
        assertEquals(digits.features()[3 * 8 + 3], large.features()[12 * 28 + 12], 0.15f);
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
