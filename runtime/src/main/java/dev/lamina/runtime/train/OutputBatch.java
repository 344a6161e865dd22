package dev.lamina.runtime.train;

import dev.lamina.runtime.ClassScores;
import java.util.Arrays;

/**
 * What a {@link LossFunction} scores: the outputs of a forward pass over {@code rows} rows and their targets, each
 * {@code rows x size} floats laid out as {@link dev.lamina.runtime.Model#predict} returns outputs (a vector as it
 * is; a sequence {@code [steps, features]} step-major; a multi-channel image {@code [c, h, w]} channels last, per
 * position {@code c} values one after another), and one row's output shape, channels first as
 * {@link dev.lamina.runtime.Model#outputShape()} gives it. Targets are as {@code setTarget} took them, so in the
 * same layout as the outputs.
 *
 * @param outputs {@code rows x size} outputs of the last forward pass
 * @param targets {@code rows x size} targets
 * @param rows rows of the batch, at least 1
 * @param shape one row's output shape, channels first; {@code size} is the product of its dimensions
 */
public record OutputBatch(float[] outputs, float[] targets, int rows, int[] shape) {

    /**
     * Checks that the arrays hold {@code rows x size} values each (expected vs found when not).
     *
     * @param outputs {@code rows x size} outputs
     * @param targets {@code rows x size} targets
     * @param rows rows of the batch
     * @param shape one row's output shape
     */
    public OutputBatch {
        if (rows < 1) {
            throw new IllegalArgumentException("an output batch has at least 1 row, found " + rows);
        }
        if (shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("an output shape has 1 to 3 positive dimensions, found "
                    + Arrays.toString(shape));
        }
        int size = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        int expected = Math.multiplyExact(rows, size);
        if (outputs.length != expected || targets.length != expected) {
            throw new IllegalArgumentException("a batch of " + rows + " rows of shape " + Arrays.toString(shape)
                    + " has " + rows + " x " + size + " = " + expected + " outputs and as many targets, found "
                    + outputs.length + " outputs and " + targets.length + " targets");
        }
        shape = shape.clone();
    }

    /** {@return values per row: the product of the shape's dimensions} */
    public int size() {
        return outputs.length / rows;
    }

    /** {@return one row's output shape, channels first (a copy)} */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /**
     * {@return rows whose scores pick the target's class, where each row is {@code size / classes} groups of
     * {@code classes} contiguous scores (one group per position or step) and counts the share of its groups
     * right: the index of the largest score equals the target's (ties to the lowest index, {@link ClassScores}'
     * rule, the one {@link Evaluation} counts accuracy with)} For a {@link LossFunction#correct} of one's own.
     *
     * @param classes scores per group, dividing {@link #size()}
     */
    public double correct(int classes) {
        if (classes < 1 || size() % classes != 0) {
            throw new IllegalArgumentException("rows of " + size() + " scores split into groups of " + classes
                    + " classes: expected a divisor of " + size() + ", found " + classes);
        }
        int size = size();
        int groups = size / classes;
        double right = 0;
        for (int r = 0; r < rows; r++) {
            int groupsRight = 0;
            for (int g = 0; g < groups; g++) {
                int at = r * size + g * classes;
                groupsRight += ClassScores.argmax(outputs, at, classes) == ClassScores.argmax(targets, at, classes)
                        ? 1 : 0;
            }
            right += groupsRight / (double) groups;
        }
        return right;
    }

    /**
     * Refuses a gradient array that is not null and not {@code rows x size} floats (expected vs found), as a
     * {@link LossFunction} checks the array it is given.
     *
     * @param gradient the array a loss is given, or null
     */
    public void checkGradient(float[] gradient) {
        if (gradient != null && gradient.length != outputs.length) {
            throw new IllegalArgumentException("the gradient of a batch of " + rows + " rows of shape "
                    + Arrays.toString(shape) + " is " + outputs.length + " floats, found " + gradient.length);
        }
    }
}
