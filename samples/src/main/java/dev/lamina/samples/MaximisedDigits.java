package dev.lamina.samples;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.analysis.ActivationMaximisation;
import dev.lamina.runtime.pictures.ImageGrid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code maximise} command: trains {@link DigitsCnn}, then for each class finds an 8x8 image (pixels in [0, 1])
 * that maximises that class's score (the logit, through {@code scores}' output gradient), with an L2 decay and a
 * blur every 4 steps; draws the ten images and prints each one's score and softmax probability.
 */
final class MaximisedDigits {
    static final int CLASSES = 10;
    static final int ZOOM = 16;
    static final int GAP = 2;

    private MaximisedDigits() {
    }

    /** Trains for {@code epochs}, runs {@code steps} ascent steps per class, writes {@code maximise.png}. */
    static Path run(Path out, int epochs, int steps) throws IOException {
        TrainedDigits digits = TrainedDigits.train(epochs);
        Model model = digits.model();
        float[] images = new float[CLASSES * model.inputSize()];
        for (int c = 0; c < CLASSES; c++) {
            ActivationMaximisation ascent = ActivationMaximisation.of(model, digits.layer("scores")).unit(c)
                    .steps(steps).learningRate(0.05).l2(0.05).blurEvery(4).range(0, 1).startScale(0.05).seed(c);
            float[] image = ascent.run();
            System.arraycopy(image, 0, images, c * image.length, image.length);
        }
        double[] p = model.probabilities(images, CLASSES);
        float[] scores = model.predict(images, CLASSES);
        int[] predicted = model.classify(images, CLASSES);
        for (int c = 0; c < CLASSES; c++) {
            System.out.printf(Locale.ROOT, "class %d: score %.2f, probability %.4f, classified as %d%n", c,
                    scores[c * CLASSES + c], p[c * CLASSES + c], predicted[c]);
        }
        Files.createDirectories(out);
        Path file = out.resolve("maximise.png");
        ImageGrid.of(images, CLASSES, 1, 8, 8).columns(CLASSES).zoom(ZOOM).gap(GAP).range(0, 1).write(file);
        System.out.println("wrote " + file);
        return file;
    }
}
