package dev.lamina.samples;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.analysis.Fgsm;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.pictures.ImageGrid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The {@code fgsm} command: adversarial digits. Trains {@link DigitsCnn}, then measures its held-out accuracy
 * clean, under FGSM at epsilon 0.05, 0.1 and 0.2, under the iterated attack (10 steps of epsilon / 4) and under
 * random-sign noise of the same size, pixels clipped to [0, 1] throughout; prints the table and draws eight
 * held-out digits, their adversarial versions at epsilon 0.1 and the perturbations.
 */
final class AdversarialDigits {
    static final double[] EPSILONS = {0.05, 0.1, 0.2};
    static final int ITERATIONS = 10;
    static final int SHOWN = 8;
    /** The epsilon of the picture. */
    static final double PICTURED = 0.1;
    private static final int BATCH = 100;

    /** Accuracy under one attack size: FGSM, iterated FGSM, random-sign noise. */
    record Row(double epsilon, double fgsm, double iterated, double noise) {
    }

    /** What the command measured and drew. */
    record Figures(double clean, Row[] rows, Path picture) {
        Row at(double epsilon) {
            return Arrays.stream(rows).filter(r -> r.epsilon() == epsilon).findFirst().orElseThrow();
        }
    }

    private AdversarialDigits() {
    }

    static Figures run(Path out, int epochs) throws IOException {
        TrainedDigits digits = TrainedDigits.train(epochs);
        Model model = digits.model();
        Dataset test = digits.data().test();
        Row[] rows = new Row[EPSILONS.length];
        System.out.printf(Locale.ROOT, "held-out accuracy of %d digits, pixels in [0, 1]: clean %.4f%n", test.size(),
                digits.accuracy());
        System.out.println("epsilon   FGSM     iterated FGSM (10 steps of eps/4)   random-sign noise");
        for (int i = 0; i < EPSILONS.length; i++) {
            double eps = EPSILONS[i];
            Fgsm fgsm = Fgsm.of(model, eps).range(0, 1);
            rows[i] = new Row(eps, fgsm.accuracy(test, BATCH),
                    fgsm.iteratedAccuracy(test, BATCH, ITERATIONS, eps / 4), fgsm.noiseAccuracy(test, BATCH, 1));
            System.out.printf(Locale.ROOT, "%5.2f     %.4f   %.4f                              %.4f%n", eps,
                    rows[i].fgsm(), rows[i].iterated(), rows[i].noise());
        }
        Files.createDirectories(out);
        Path picture = out.resolve("fgsm.png");
        draw(model, test, picture);
        System.out.println("wrote " + picture);
        return new Figures(digits.accuracy(), rows, picture);
    }

    /**
     * Three rows of {@link #SHOWN} digits: originals, adversarial at {@link #PICTURED}, and the perturbation
     * (mid grey 0, white +epsilon, black -epsilon; where clipping cut a step short it is paler).
     */
    private static void draw(Model model, Dataset test, Path file) throws IOException {
        Dataset shown = test.slice(0, SHOWN);
        float[] x = shown.features();
        float[] adversarial = Fgsm.of(model, PICTURED).range(0, 1).attack(x, shown.targets(), SHOWN);
        int size = x.length;
        float[] images = new float[3 * size];
        System.arraycopy(x, 0, images, 0, size);
        System.arraycopy(adversarial, 0, images, size, size);
        for (int i = 0; i < size; i++) {
            images[2 * size + i] = (float) (0.5 + 0.5 * (adversarial[i] - x[i]) / PICTURED);
        }
        ImageGrid.of(images, 3 * SHOWN, 1, 8, 8).columns(SHOWN).zoom(12).gap(2).range(0, 1).write(file);
        int[] clean = model.classify(x, SHOWN);
        int[] attacked = model.classify(adversarial, SHOWN);
        StringBuilder line = new StringBuilder("pictured digits (label: clean -> adversarial prediction):");
        for (int i = 0; i < SHOWN; i++) {
            line.append(' ').append(shown.label(i)).append(": ").append(clean[i]).append("->").append(attacked[i]);
        }
        System.out.println(line);
    }
}
