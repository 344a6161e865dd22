package dev.lamina.samples;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.data.Augmentation;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.data.Mnist;
import dev.lamina.runtime.train.Evaluation;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.Trainer;
import java.util.Locale;

/**
 * What augmentation is for: the digits CNN ({@link DigitsCnn}) trained on the embedded 8x8 digits with and without
 * random shifts of up to {@link #SHIFT} pixel, both scored on the held-out digits each shifted at random by as much
 * (the same shifted copy for both). The network without shifts has only seen centred digits.
 */
final class ShiftedDigits {
    /** The largest shift, in pixels, of training and test digits: one pixel of eight is a large move. */
    static final int SHIFT = 1;

    private ShiftedDigits() {
    }

    /**
     * Accuracies on the shifted test digits.
     *
     * @param plain trained without augmentation
     * @param shifted trained with random shifts
     */
    record Result(double plain, double shifted) {
    }

    /** {@return the test digits, each shifted at random (seeded) by up to {@link #SHIFT} pixel} */
    static Dataset shiftedCopy(Dataset test, long seed) {
        float[] f = test.features().clone();
        Augmentation shift = Augmentation.shift(SHIFT, SHIFT);
        for (int i = 0; i < test.size(); i++) {
            shift.apply(f, i * test.featureSize(), test.shape(), Augmentation.generator(seed, 0, i));
        }
        return new Dataset(f, test.shape(), test.targets(), test.targetSize());
    }

    /**
     * Trains the two networks from the same initial parameters with {@code seed} and scores them.
     *
     * @param seed the seed of the initialisation, the shuffle, the augmentation and the test shifts
     * @param epochs epochs of training
     */
    static Result run(long seed, int epochs) {
        Mnist.Split data = SampleData.digits(7);
        Dataset shiftedTest = shiftedCopy(data.test(), seed + 1000);
        double[] accuracy = new double[2];
        for (int k = 0; k < 2; k++) {
            Model model = DigitsCnnNet.create(seed);
            Trainer trainer = Trainer.of(model).optimizer(Optimizer.momentum(0.05, 0.9)).batchSize(32)
                    .epochs(epochs).seed(seed);
            if (k == 1) {
                trainer.augmentation(Augmentation.shift(SHIFT, SHIFT));
            }
            trainer.fit(data.train());
            accuracy[k] = Evaluation.of(model, shiftedTest, 1000).accuracy();
        }
        return new Result(accuracy[0], accuracy[1]);
    }

    /** {@return one line of figures for {@code seed}} */
    static String line(long seed, Result r) {
        return String.format(Locale.ROOT, "seed %d: accuracy on shifted test digits %.4f without shifts,"
                + " %.4f with shifts (%+.4f)", seed, r.plain(), r.shifted(), r.shifted() - r.plain());
    }
}
