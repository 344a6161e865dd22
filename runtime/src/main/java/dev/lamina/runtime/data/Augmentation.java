package dev.lamina.runtime.data;

import dev.lamina.runtime.Rng;
import java.util.Arrays;
import java.util.List;

/**
 * A random change of one training sample's features, applied as the batches are prepared (never to validation or
 * test data, never to the targets: labels are untouched). The image transforms take samples of shape
 * {@code [channels, height, width]}; pixels moved in from outside the image are 0. Compose them with {@link #of}:
 *
 * <pre>{@code
 * Augmentation a = Augmentation.of(Augmentation.horizontalFlip(), Augmentation.randomCrop(4),
 *         Augmentation.gaussianNoise(0.01));
 * Trainer.of(net).augmentation(a).fit(train, validation);
 * }</pre>
 *
 * Reproducible: the trainer gives each sample a generator seeded from (seed, epoch, row), so the same seed gives
 * the same batches whatever the number of threads preparing them ({@link #generator}).
 */
@FunctionalInterface
public interface Augmentation {
    /**
     * Changes the sample at {@code features[offset ..]} in place.
     *
     * @param features the batch's features
     * @param offset the index of the sample's first value
     * @param shape the sample's shape, channels first
     * @param random this sample's generator
     */
    void apply(float[] features, int offset, int[] shape, Rng random);

    /**
     * {@return the generator of sample {@code row} in {@code epoch} under {@code seed}: a function of the three
     * alone}
     *
     * @param seed the trainer's seed
     * @param epoch the epoch, from 1
     * @param row the sample's row in its source
     */
    static Rng generator(long seed, int epoch, int row) {
        return new Rng(Rng.mix(Rng.mix(Rng.mix(seed) ^ epoch) ^ (row * 0x9E3779B97F4A7C15L)));
    }

    /**
     * {@return the transforms applied one after another, in the order given, with one generator}
     *
     * @param steps the transforms
     */
    static Augmentation of(Augmentation... steps) {
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] == null) {
                throw new IllegalArgumentException("Augmentation.of was given null as transform " + (i + 1) + " of "
                        + steps.length + "; expected transforms such as Augmentation.shift(2, 2)");
            }
        }
        List<Augmentation> list = List.of(steps);
        return (features, offset, shape, random) -> {
            for (Augmentation a : list) {
                a.apply(features, offset, shape, random);
            }
        };
    }

    /** {@return a mirror image (left and right swapped) with probability 1/2} */
    static Augmentation horizontalFlip() {
        return (features, offset, shape, random) -> {
            ImageTransforms.requireImage(shape, "horizontalFlip");
            if (random.nextFloat() < 0.5f) {
                ImageTransforms.flip(features, offset, shape);
            }
        };
    }

    /**
     * {@return torchvision's {@code RandomCrop(size, padding)} to the image's own size: pad each side with
     * {@code padding} zeros, crop at a uniformly drawn place; the same as a shift by up to {@code padding} pixels
     * in each direction}
     *
     * @param padding zeros added to each side; at least 0
     */
    static Augmentation randomCrop(int padding) {
        ImageTransforms.requireNonNegative(padding, "padding");
        return (features, offset, shape, random) -> {
            ImageTransforms.requireImage(shape, "randomCrop");
            int dy = random.nextInt(2 * padding + 1) - padding;
            int dx = random.nextInt(2 * padding + 1) - padding;
            ImageTransforms.translate(features, offset, shape, dy, dx);
        };
    }

    /**
     * {@return a shift by whole pixels, drawn uniformly in {@code [-maxY, maxY]} rows and {@code [-maxX, maxX]}
     * columns}
     *
     * @param maxY the largest vertical shift; at least 0
     * @param maxX the largest horizontal shift; at least 0
     */
    static Augmentation shift(int maxY, int maxX) {
        ImageTransforms.requireNonNegative(maxY, "maxY");
        ImageTransforms.requireNonNegative(maxX, "maxX");
        return (features, offset, shape, random) -> {
            ImageTransforms.requireImage(shape, "shift");
            int dy = random.nextInt(2 * maxY + 1) - maxY;
            int dx = random.nextInt(2 * maxX + 1) - maxX;
            ImageTransforms.translate(features, offset, shape, dy, dx);
        };
    }

    /**
     * {@return a rotation by an angle drawn uniformly in {@code [-maxDegrees, maxDegrees]} and a scaling by a
     * factor drawn uniformly in {@code [1 - maxScale, 1 + maxScale]}, about the image's centre, bilinear}
     *
     * @param maxDegrees the largest angle, in degrees; in [0, 180]
     * @param maxScale the largest relative change of size; in [0, 1)
     */
    static Augmentation rotateScale(double maxDegrees, double maxScale) {
        if (!(maxDegrees >= 0 && maxDegrees <= 180) || !(maxScale >= 0 && maxScale < 1)) {
            throw new IllegalArgumentException("expected maxDegrees in [0, 180] and maxScale in [0, 1), found "
                    + maxDegrees + " and " + maxScale);
        }
        return (features, offset, shape, random) -> {
            ImageTransforms.requireImage(shape, "rotateScale");
            double angle = Math.toRadians((2 * random.nextDouble() - 1) * maxDegrees);
            double scale = 1 + (2 * random.nextDouble() - 1) * maxScale;
            ImageTransforms.rotateScale(features, offset, shape, angle, scale);
        };
    }

    /**
     * {@return noise added to every value, drawn from a normal distribution of mean 0 and standard deviation
     * {@code sigma}; any shape}
     *
     * @param sigma the standard deviation; at least 0
     */
    static Augmentation gaussianNoise(double sigma) {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("expected a finite sigma >= 0, found " + sigma);
        }
        return (features, offset, shape, random) -> {
            int n = Arrays.stream(shape).reduce(1, Math::multiplyExact);
            for (int i = offset; i < offset + n; i++) {
                features[i] += (float) (sigma * random.nextGaussian());
            }
        };
    }

    /**
     * {@return cut-out (DeVries and Taylor, 2017): a {@code size x size} square of zeros in every channel, its
     * centre drawn uniformly over the image (so it may lie partly outside)}
     *
     * @param size the square's side in pixels; at least 1
     */
    static Augmentation cutout(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("expected a cut-out size >= 1, found " + size);
        }
        return (features, offset, shape, random) -> {
            ImageTransforms.requireImage(shape, "cutout");
            int cy = random.nextInt(shape[1]);
            int cx = random.nextInt(shape[2]);
            ImageTransforms.erase(features, offset, shape, cy - size / 2, cx - size / 2, size);
        };
    }
}
