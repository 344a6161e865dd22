package dev.lamina.runtime.analysis;

import dev.lamina.runtime.Model;
import java.nio.FloatBuffer;

/**
 * Compares backpropagated gradients with central differences {@code (E(w + e) - E(w - e)) / 2e} (error O(e^2)).
 * Dropout masks are redrawn identically for every evaluation, so networks with dropout can be checked too.
 * Costs two forward passes per parameter checked: use small networks, or a stride.
 */
public final class GradientCheck {
    private static final long DROPOUT_SEED = 12345;

    /**
     * The worst disagreement found, and where; {@code above2Percent} counts parameters whose relative error
     * exceeds 0.02 (with ReLU or max pooling, a difference that straddles a kink is wrong by construction).
     */
    public record Result(double maxRelativeError, int worstIndex, double analytic, double numeric, int checked,
                         int above2Percent) {
    }

    private GradientCheck() {
    }

    /**
     * Checks every {@code stride}-th parameter on a batch of {@code n} samples. The relative error is
     * {@code |a - b| / max(|a| + |b|, floor)}: the floor keeps tiny gradients from dominating.
     */
    public static Result check(Model model, float[] inputs, float[] targets, int n, double epsilon, int stride,
                               double floor) {
        load(model, inputs, targets, n);
        model.state().reseedDropout(DROPOUT_SEED);
        model.forward(n);
        model.loss(n);
        model.backward(n);
        float[] analytic = model.gradients().toArray();
        FloatBuffer p = model.parameters().floats();
        double worst = 0;
        int worstAt = -1;
        double worstA = 0;
        double worstN = 0;
        int checked = 0;
        int above = 0;
        for (int i = 0; i < model.parameterCount(); i += stride) {
            float original = p.get(i);
            p.put(i, (float) (original + epsilon));
            double plus = loss(model, n);
            p.put(i, (float) (original - epsilon));
            double minus = loss(model, n);
            p.put(i, original);
            double numeric = (plus - minus) / (2 * epsilon);
            double error = Math.abs(numeric - analytic[i]) / Math.max(Math.abs(numeric) + Math.abs(analytic[i]), floor);
            checked++;
            above += error > 0.02 ? 1 : 0;
            if (error > worst) {
                worst = error;
                worstAt = i;
                worstA = analytic[i];
                worstN = numeric;
            }
        }
        return new Result(worst, worstAt, worstA, worstN, checked, above);
    }

    /** The loss at the current parameters, with the checker's dropout masks. */
    public static double loss(Model model, int n) {
        model.state().reseedDropout(DROPOUT_SEED);
        model.forward(n);
        return model.loss(n);
    }

    public static void load(Model model, float[] inputs, float[] targets, int n) {
        model.reserve(n);
        for (int r = 0; r < n; r++) {
            model.setInput(r, inputs, r * model.inputSize());
            model.setTarget(r, targets, r * model.outputSize());
        }
    }
}
