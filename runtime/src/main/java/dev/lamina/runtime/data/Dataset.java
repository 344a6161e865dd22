package dev.lamina.runtime.data;

import dev.lamina.runtime.Rng;
import java.util.Arrays;

/**
 * Samples in memory: {@code size} rows of features (each of {@code shape}, channels first) and rows of targets
 * (one-hot for classification, values for regression). Immutable by convention: transformations return new sets.
 * Every value must be finite: the constructor refuses a NaN or an infinity, naming its row and column.
 */
public final class Dataset implements DataSource {
    private final float[] features;
    private final float[] targets;
    private final int[] shape;
    private final int featureSize;
    private final int targetSize;
    private final int size;

    /**
     * Wraps the arrays without copying: {@code features} holds rows of {@code shape} one after another, {@code targets}
     * rows of {@code targetSize}; throws {@link IllegalArgumentException} when the lengths disagree on the number of
     * rows or a value is not finite.
     *
     * @param features the samples' features, row after row, channels first
     * @param shape one sample's shape, channels first
     * @param targets the targets, row after row
     * @param targetSize floats per target row
     */
    public Dataset(float[] features, int[] shape, float[] targets, int targetSize) {
        this.featureSize = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        if (featureSize == 0 || features.length % featureSize != 0) {
            throw new IllegalArgumentException("features hold " + features.length + " values, not a multiple of the"
                    + " sample shape " + Arrays.toString(shape));
        }
        this.size = features.length / featureSize;
        if (targets.length != (long) size * targetSize) {
            throw new IllegalArgumentException("expected " + size + " x " + targetSize + " = " + size * targetSize
                    + " target values for " + size + " samples, found " + targets.length);
        }
        requireFinite(features, featureSize, "feature", shape);
        requireFinite(targets, targetSize, "target", new int[] {targetSize});
        this.features = features;
        this.targets = targets;
        this.shape = shape.clone();
        this.targetSize = targetSize;
    }

    /**
     * Refuses a NaN or an infinity, naming its row and its place in the sample: one bad value would otherwise turn
     * every parameter into NaN a few steps into training, far from the cause. One pass over the values.
     */
    private static void requireFinite(float[] values, int rowSize, String what, int[] shape) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                int row = i / rowSize;
                int column = i % rowSize;
                throw new IllegalArgumentException("row " + row + " has a non-finite " + what + ": " + values[i]
                        + " at column " + column + place(column, shape) + "; a data set holds finite values only");
            }
        }
    }

    /** Where a flat index falls in a sample of {@code shape}: channel, y, x for images. */
    private static String place(int index, int[] shape) {
        if (shape.length < 2) {
            return "";
        }
        int[] at = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            at[d] = index % shape[d];
            index /= shape[d];
        }
        String where = shape.length == 3 ? "channel " + at[0] + ", y " + at[1] + ", x " + at[2]
                : "index " + Arrays.toString(at);
        return " (" + where + " of shape " + Arrays.toString(shape) + ")";
    }

    /**
     * {@return a classification set: labels in {@code [0, classes)} become one-hot targets}
     *
     * @param features the samples' features, row after row, channels first
     * @param shape one sample's shape, channels first
     * @param labels each sample's class, in {@code [0, classes)}
     * @param classes the number of classes
     */
    public static Dataset classification(float[] features, int[] shape, int[] labels, int classes) {
        return new Dataset(features, shape, OneHot.encode(labels, classes), classes);
    }

    /**
     * {@return every sample's features, row after row ({@link #featureSize()} floats each, channels first); the array
     * itself,
     * not a copy}
     */
    public float[] features() {
        return features;
    }

    /**
     * {@return every sample's targets, row after row ({@link #targetSize()} floats each); the array itself, not a copy}
     */
    public float[] targets() {
        return targets;
    }

    /** {@return one sample's shape, channels first (for example {@code [1, 28, 28]}); a copy} */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** {@return floats per sample: the product of {@link #shape()}} */
    @Override
    public int featureSize() {
        return featureSize;
    }

    /** {@return floats per target row: the number of classes for one-hot targets} */
    @Override
    public int targetSize() {
        return targetSize;
    }

    /** {@return number of samples} */
    @Override
    public int size() {
        return size;
    }

    /**
     * Copies row {@code row}'s features and target (the values themselves: reading does not change them).
     *
     * @param row the sample, in {@code [0, size())}
     * @param features where the features go
     * @param featureOffset the index of the first feature in {@code features}
     * @param targets where the target goes
     * @param targetOffset the index of the first target value in {@code targets}
     */
    @Override
    public void read(int row, float[] features, int featureOffset, float[] targets, int targetOffset) {
        System.arraycopy(this.features, row * featureSize, features, featureOffset, featureSize);
        System.arraycopy(this.targets, row * targetSize, targets, targetOffset, targetSize);
    }

    /** {@return this set itself: it is in memory already} */
    @Override
    public Dataset load() {
        return this;
    }

    /**
     * {@return the label of row {@code i}: the index of its largest target}
     *
     * @param i the row, from 0
     */
    public int label(int i) {
        int best = 0;
        for (int k = 1; k < targetSize; k++) {
            if (targets[i * targetSize + k] > targets[i * targetSize + best]) {
                best = k;
            }
        }
        return best;
    }

    /**
     * {@return the rows at {@code rows}, in that order}
     *
     * @param rows row indices, each in {@code [0, size())}; repeats allowed
     */
    public Dataset select(int[] rows) {
        float[] f = new float[rows.length * featureSize];
        float[] t = new float[rows.length * targetSize];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(features, rows[i] * featureSize, f, i * featureSize, featureSize);
            System.arraycopy(targets, rows[i] * targetSize, t, i * targetSize, targetSize);
        }
        return new Dataset(f, shape, t, targetSize);
    }

    /**
     * {@return rows {@code [from, to)}}
     *
     * @param from the first row, inclusive
     * @param to the last row, exclusive
     */
    public Dataset slice(int from, int to) {
        int[] rows = new int[to - from];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = from + i;
        }
        return select(rows);
    }

    /**
     * Shuffles (seeded) and splits: the first part gets {@code fraction} of the rows.
     *
     * @param fraction the share of rows in the first part, in [0, 1]
     * @param seed the shuffle's seed
     * @return the two parts, first and rest
     */
    public Dataset[] split(double fraction, long seed) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        new Rng(seed).shuffle(order);
        int cut = (int) Math.round(size * fraction);
        return new Dataset[] {select(Arrays.copyOfRange(order, 0, cut)), select(Arrays.copyOfRange(order, cut, size))};
    }

    /**
     * {@return the same samples with features scaled by {@code factor} (pixels 0..255 to 0..1: factor 1/255)}
     *
     * @param factor the multiplier of every feature
     */
    public Dataset scaled(float factor) {
        float[] f = features.clone();
        for (int i = 0; i < f.length; i++) {
            f[i] *= factor;
        }
        return new Dataset(f, shape, targets, targetSize);
    }
}
