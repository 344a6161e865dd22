package dev.lamina.runtime.train;

import java.util.Arrays;

/**
 * Softmax cross-entropy at every position of an output, for segmentation: an image output {@code [C, H, W]} has a
 * softmax over its {@code C} channels at each of its {@code H * W} positions, and the loss
 * {@code -sum_c t_c log softmax_c} is averaged over the batch's rows and positions ({@code N * H * W} terms);
 * PyTorch's {@code CrossEntropyLoss()} on the {@code [N, C, H, W]} scores with a class index per position (or the
 * probabilities {@code [N, C, H, W]}). A sequence output {@code [steps, classes]} is scored at every step the same
 * way, a vector {@code [classes]} once.
 *
 * <p>Targets are one-hot (or probabilities) per position, laid out as the outputs are stored: channels last, so
 * per position its {@code C} target values one after another ({@code [H, W, C]} per row, not PyTorch's
 * {@code [C, H, W]}). A position whose targets do not sum to 1 is refused: that is the sign of masks given channels
 * first.
 */
public final class PositionwiseCrossEntropyLoss implements LossFunction {
    /** How far a position's targets may sum from 1 (float one-hot masks sum to 1 exactly; soft labels round). */
    private static final double SUM_TOLERANCE = 1e-4;

    /** The loss; it keeps no state (a {@link LossFunction} factory gives one too). */
    public PositionwiseCrossEntropyLoss() {
    }

    @Override
    public double loss(OutputBatch batch, float[] gradient) {
        int classes = classes(batch.shape());
        batch.checkGradient(gradient);
        float[] x = batch.outputs();
        float[] t = batch.targets();
        int positions = x.length / classes; // rows x positions per row
        double terms = positions;
        double sum = 0;
        double[] e = new double[classes];
        for (int p = 0; p < positions; p++) {
            int base = p * classes;
            double targetSum = checkedTargetSum(batch, base, classes);
            // log-sum-exp with the largest score subtracted, so no exponential overflows
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, x[base + c]);
            }
            double z = 0;
            for (int c = 0; c < classes; c++) {
                e[c] = Math.exp(x[base + c] - max);
                z += e[c];
            }
            double logZ = max + Math.log(z);
            for (int c = 0; c < classes; c++) {
                double tc = t[base + c];
                if (tc != 0) {
                    sum += tc * (logZ - x[base + c]);
                }
                if (gradient != null) {
                    // d/dx_c of (sum_k t_k) logZ - t . x
                    gradient[base + c] = (float) ((targetSum * e[c] / z - tc) / terms);
                }
            }
        }
        return sum / terms;
    }

    @Override
    public boolean classifies() {
        return true;
    }

    /** Rows right, each the share of its positions whose largest score is the target's class. */
    @Override
    public double correct(OutputBatch batch) {
        return batch.correct(classes(batch.shape()));
    }

    /** The classes at each position: an image's channels, a sequence's features, a vector's size. */
    private static int classes(int[] shape) {
        int classes = shape.length == 3 ? shape[0] : shape[shape.length - 1];
        if (classes < 2) {
            throw new IllegalArgumentException("a softmax cross-entropy over positions needs at least 2 classes per "
                    + "position (channels of an image [C, H, W], features of a sequence [steps, classes]), found an "
                    + "output of shape " + Arrays.toString(shape));
        }
        return classes;
    }

    /** The sum of one position's targets, refused unless non-negative and summing to 1. */
    private static double checkedTargetSum(OutputBatch batch, int base, int classes) {
        float[] t = batch.targets();
        double s = 0;
        boolean negative = false;
        for (int c = 0; c < classes; c++) {
            s += t[base + c];
            negative |= t[base + c] < 0;
        }
        if (negative || !(Math.abs(s - 1) <= SUM_TOLERANCE)) {
            int size = batch.size();
            throw new IllegalArgumentException("a softmax cross-entropy over positions takes, at every position, "
                    + classes + " target values that are a distribution (one-hot or probabilities, channels last "
                    + "as outputs are stored: per position its " + classes + " values one after another), found "
                    + Arrays.toString(Arrays.copyOfRange(t, base, base + classes)) + " at row " + (base / size)
                    + ", position " + ((base % size) / classes));
        }
        return s;
    }

    @Override
    public String toString() {
        return "crossEntropyOverPositions";
    }
}
