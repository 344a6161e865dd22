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

/** The {@code features} command end to end: every picture it writes is a valid PNG of the expected size. */
class FeaturePicturesTest {

    @Test
    void writesFourValidPicturesOfTheExpectedSizes(@TempDir Path dir) throws Exception {
        Main.main(new String[] {"features", "--model", "digits", "--out", dir.toString(), "--epochs", "15"});
        // 16 filters 3x3 at zoom 16, 8 to a row, gaps of 2: 8 * 48 + 9 * 2 by 2 * 48 + 3 * 2
        assertPicture(dir.resolve("filters.png"), 402, 102);
        // 16 maps 8x8 at zoom 8, 8 to a row, gaps of 2
        assertPicture(dir.resolve("feature-maps.png"), 530, 134);
        assertPicture(dir.resolve("pca.png"), 800, 600);
        assertPicture(dir.resolve("tsne.png"), 800, 600);
        String report = Files.readString(dir.resolve("report.html"));
        for (String heading : new String[] {"conv1's filters", "conv1's feature maps", "PCA of the hidden layer",
            "t-SNE of the hidden layer"}) {
            assertTrue(report.contains("<h2>" + heading.replace("'", "&#39;") + "</h2>"), "the report shows " + heading);
        }
        assertTrue(report.contains("15 of 15 epochs"), "the report has the whole run");
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
