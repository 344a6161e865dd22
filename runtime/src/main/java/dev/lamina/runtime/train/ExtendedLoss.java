package dev.lamina.runtime.train;

import dev.lamina.dsl.Loss;
import dev.lamina.runtime.Model;
import java.util.List;

/**
 * The loss of a forward pass when a trainer has a {@link LossFunction} or activity penalties: the value (the Java
 * loss, or the fused one, plus the penalties), the rows right, and the backward pass from its gradient. Without
 * either, the trainer does not use it: its fused path stays as it is.
 */
final class ExtendedLoss {
    private final Model model;
    /** Null: the network's fused loss. */
    private final LossFunction function;
    private final List<ActivityL1> penalties;
    private final int[] shape;
    private final int size;
    private float[] outputs = new float[0];
    private float[] targets = new float[0];
    private float[] gradient = new float[0];
    private OutputBatch batch;

    ExtendedLoss(Model model, LossFunction function, List<ActivityL1> penalties) {
        this.model = model;
        this.function = function;
        this.penalties = List.copyOf(penalties);
        this.shape = model.outputShape();
        this.size = model.outputSize();
    }

    /** Whether accuracy is counted: the Java loss's say, or the fused loss's kind. */
    static boolean classifies(Model model, LossFunction function) {
        return function == null ? model.lossKind() != Loss.MEAN_SQUARED_ERROR : function.classifies();
    }

    /**
     * The loss of the last forward pass over {@code rows} rows, whose targets are rows {@code [first, first + rows)}
     * of {@code t}, {@code outputSize} values each ({@code t} null: the model's own, where {@code setTarget} put
     * them, from row 0). With {@code withGradient}, the gradient is kept for {@link #backward} and the penalties' gradients
     * are added at their layers.
     */
    double evaluate(int rows, float[] t, int first, boolean withGradient) {
        double value;
        if (function == null) {
            value = model.loss(rows);
            batch = null;
        } else {
            int length = rows * size;
            if (outputs.length != length) {
                outputs = new float[length];
                targets = new float[length];
                gradient = new float[length];
            }
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < size; k++) {
                    outputs[r * size + k] = model.output(r, k);
                }
            }
            float[] from = t == null ? model.state().targets(rows) : t;
            System.arraycopy(from, t == null ? 0 : first * size, targets, 0, length);
            batch = new OutputBatch(outputs, targets, rows, shape);
            value = function.loss(batch, withGradient ? gradient : null);
        }
        for (ActivityL1 p : penalties) {
            value += p.apply(rows, withGradient);
        }
        return value;
    }

    /**
     * Rows of the last {@link #evaluate} right ({@code t}, {@code first}: as there), by the rule of
     * {@link Evaluation}'s accuracy; NaN when the loss does not classify.
     */
    double correct(int rows, float[] t, int first) {
        if (function == null) {
            if (!classifies(model, null)) {
                return Double.NaN;
            }
            return t == null ? Evaluation.correct(model, model.state().targets(rows), 0, rows)
                    : Evaluation.correct(model, t, first, rows);
        }
        return function.classifies() ? function.correct(batch) : Double.NaN;
    }

    /** The backward pass from the last {@link #evaluate}'s gradient (the fused loss's, or the Java loss's). */
    void backward(int rows) {
        if (function == null) {
            model.backward(rows);
        } else {
            model.backward(rows, gradient);
        }
    }
}
