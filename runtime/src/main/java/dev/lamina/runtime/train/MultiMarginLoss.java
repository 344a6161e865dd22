package dev.lamina.runtime.train;

import java.util.Arrays;

/**
 * The multi-class hinge loss on class scores {@code x} of a vector output: for a row of class {@code y},
 * {@code sum_{i != y} max(0, margin - x_y + x_i) / C} over the {@code C} classes, mean over the batch; PyTorch's
 * {@code MultiMarginLoss(p=1, margin=margin)} with the target's class index. A term exactly at its hinge
 * ({@code margin - x_y + x_i = 0}) has derivative 0, as PyTorch's. Targets are one-hot, as the built-in
 * classification losses take them.
 */
public final class MultiMarginLoss implements LossFunction {
    private final double margin;

    /**
     * The hinge loss with margin {@code margin}; throws {@link IllegalArgumentException} unless it is finite.
     *
     * @param margin the score by which the target's class should lead every other, a finite number
     */
    public MultiMarginLoss(double margin) {
        if (!Double.isFinite(margin)) {
            throw new IllegalArgumentException("the hinge's margin is a finite number, found " + margin);
        }
        this.margin = margin;
    }

    @Override
    public double loss(OutputBatch batch, float[] gradient) {
        int classes = classes(batch);
        batch.checkGradient(gradient);
        float[] x = batch.outputs();
        int rows = batch.rows();
        // each active term adds 1 / (C n) to its class's derivative and takes as much from the target's
        double unit = 1.0 / ((double) classes * rows);
        double sum = 0;
        if (gradient != null) {
            Arrays.fill(gradient, 0f);
        }
        for (int r = 0; r < rows; r++) {
            int base = r * classes;
            int y = targetClass(batch, r, classes);
            double target = x[base + y];
            double rowSum = 0;
            int active = 0;
            for (int i = 0; i < classes; i++) {
                double z = margin - target + x[base + i];
                if (i != y && z > 0) {
                    rowSum += z;
                    active++;
                    if (gradient != null) {
                        gradient[base + i] = (float) unit;
                    }
                }
            }
            if (gradient != null) {
                gradient[base + y] = (float) (-active * unit);
            }
            sum += rowSum / classes;
        }
        return sum / rows;
    }

    @Override
    public boolean classifies() {
        return true;
    }

    @Override
    public double correct(OutputBatch batch) {
        return batch.correct(classes(batch));
    }

    /** The classes of a vector output; refuses any other shape. */
    private static int classes(OutputBatch batch) {
        int[] shape = batch.shape();
        if (shape.length != 1 || shape[0] < 2) {
            throw new IllegalArgumentException("the multi-class hinge loss scores a vector of at least 2 classes, "
                    + "found an output of shape " + Arrays.toString(shape));
        }
        return shape[0];
    }

    /** The class of row {@code r}'s one-hot target; refuses a target that is not one-hot. */
    private static int targetClass(OutputBatch batch, int r, int classes) {
        float[] t = batch.targets();
        int base = r * classes;
        int hot = -1;
        for (int i = 0; i < classes; i++) {
            float v = t[base + i];
            if (v == 1f && hot < 0) {
                hot = i;
            } else if (v != 0f) {
                hot = -2;
                break;
            }
        }
        if (hot < 0) {
            throw new IllegalArgumentException("the multi-class hinge loss takes one-hot targets (one 1, the rest 0), "
                    + "found " + Arrays.toString(Arrays.copyOfRange(t, base, base + classes)) + " in row " + r);
        }
        return hot;
    }

    @Override
    public String toString() {
        return "multiMargin(margin=" + margin + ")";
    }
}
