package dev.lamina.runtime.train;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.Tensor;
import java.nio.FloatBuffer;

/**
 * Penalties on the weights (never on biases or batch-norm parameters), added to the gradient before the
 * optimizer step: L2 {@code lambda/2 ||w||^2} adds {@code lambda w}; L1 {@code alpha ||w||_1} adds
 * {@code alpha sign(w)}; elastic net adds both.
 */
public final class Regularizer {
    private final float l1;
    private final float l2;

    private Regularizer(double l1, double l2) {
        if (l1 < 0 || l2 < 0) {
            throw new IllegalArgumentException("regularization strengths must be >= 0, got l1=" + l1 + " l2=" + l2);
        }
        this.l1 = (float) l1;
        this.l2 = (float) l2;
    }

    /**
     * L1 of strength {@code alpha} (at least 0): adds {@code alpha sign(w)} to each weight's gradient.
     *
     * @param alpha the strength
     * @return the regularizer
     */
    public static Regularizer l1(double alpha) {
        return new Regularizer(alpha, 0);
    }

    /**
     * L2 of strength {@code lambda} (at least 0): adds {@code lambda w} to each weight's gradient.
     *
     * @param lambda the strength
     * @return the regularizer
     */
    public static Regularizer l2(double lambda) {
        return new Regularizer(0, lambda);
    }

    /**
     * L1 of strength {@code alpha} and L2 of strength {@code lambda} together (each at least 0).
     *
     * @param alpha the L1 strength
     * @param lambda the L2 strength
     * @return the regularizer
     */
    public static Regularizer elasticNet(double alpha, double lambda) {
        return new Regularizer(alpha, lambda);
    }

    /** As {@code l2(1.0E-4)}, {@code l1(0.001)} or {@code elasticNet(l1 0.001, l2 1.0E-4)}. */
    @Override
    public String toString() {
        if (l1 == 0) {
            return "l2(" + l2 + ")";
        }
        return l2 == 0 ? "l1(" + l1 + ")" : "elasticNet(l1 " + l1 + ", l2 " + l2 + ")";
    }

    /**
     * Adds the penalty's gradient to the model's gradients.
     *
     * @param model the model whose gradients receive the penalty's
     */
    public void apply(Model model) {
        if (model instanceof Optimizer.DeviceResident device) {
            device.regularize(l1, l2);
            return;
        }
        FloatBuffer p = model.parameters().floats();
        FloatBuffer g = model.gradients().floats();
        for (Tensor t : model.parameterTensors()) {
            if (t.kind() != Tensor.Kind.WEIGHT) {
                continue;
            }
            for (int i = t.offset(), end = i + t.length(); i < end; i++) {
                float w = p.get(i);
                g.put(i, g.get(i) + l2 * w + l1 * Math.signum(w));
            }
        }
    }

    /**
     * {@return the penalty's value, for reporting}
     *
     * @param model the model whose weights are penalised
     */
    public double penalty(Model model) {
        double sum = 0;
        for (Tensor t : model.parameterTensors()) {
            if (t.kind() == Tensor.Kind.WEIGHT) {
                for (int i = 0; i < t.length(); i++) {
                    float w = t.get(i);
                    sum += 0.5 * l2 * w * w + l1 * Math.abs(w);
                }
            }
        }
        return sum;
    }
}
