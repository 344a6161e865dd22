package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.processor.nets.FailLoudNets_SmallNet;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.Rng;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.metrics.ConfusionMatrix;
import dev.lamina.runtime.metrics.Metric;
import dev.lamina.runtime.pictures.ConfusionPicture;
import dev.lamina.runtime.pictures.TrainingCurves;
import dev.lamina.runtime.train.History;
import dev.lamina.runtime.train.Trainer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training curves of a real fit and a confusion matrix's heat map: valid PNGs of the stated sizes, not blank. */
class TrainingPicturesTest {
    private static Dataset blobs(int n, long seed) {
        return Fixtures.gaussianBlobs(n, seed, 1.2, 1);
    }

    @Test
    void curvesOfLossAccuracyAndEachMetric(@TempDir Path dir) throws IOException {
        History h = Trainer.of(FailLoudNets_SmallNet.create(5)).batchSize(32).epochs(4).seed(4)
                .metrics(Metric.f1Macro()).fit(blobs(256, 1), blobs(64, 2));
        Path file = dir.resolve("curves.png");
        TrainingCurves.write(file, h);
        // loss, accuracy, f1_macro: three charts of 640 x 320
        assertPicture(file, 640, 3 * 320);
        History none = Trainer.of(FailLoudNets_SmallNet.create(5)).batchSize(32).epochs(0).fit(blobs(64, 1));
        assertThrows(IllegalArgumentException.class, () -> TrainingCurves.render(none));
    }

    @Test
    void confusionMatrixAsAHeatMap(@TempDir Path dir) throws IOException {
        Model model = FailLoudNets_SmallNet.create(5);
        Trainer.of(model).batchSize(32).epochs(3).seed(4).fit(blobs(256, 1));
        Dataset test = blobs(90, 3);
        int[] predicted = model.classify(test.features(), test.size());
        int[] actual = new int[test.size()];
        for (int i = 0; i < actual.length; i++) {
            actual[i] = test.label(i);
        }
        Path file = dir.resolve("confusion.png");
        ConfusionPicture.write(file, ConfusionMatrix.of(actual, predicted, 3));
        assertPicture(file, 60 + 3 * 40, 60 + 3 * 40);
    }

    private static void assertPicture(Path file, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " is not an image ImageIO reads");
        assertEquals(width, image.getWidth(), "width");
        assertEquals(height, image.getHeight(), "height");
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < height; y += 2) {
            for (int x = 0; x < width; x += 2) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 5, file + " has " + colours.size() + " colours");
    }
}
