package dev.lamina.runtime.analysis.hessian;

import dev.lamina.runtime.Model;

/**
 * {@code H v} by central differences of the backpropagated gradient: {@code (g(w + e v) - g(w - e v)) / 2e} on a
 * batch fixed at construction, in the mode chosen (in training mode dropout masks are restarted from one seed
 * before every evaluation, as {@link dev.lamina.runtime.analysis.GradientCheck} does, so both gradients see the same
 * masks; batch norm normalises with the batch's statistics). Two forward and backward passes per product. The
 * parameters and running statistics are put back bit for bit after every product, and the mode too.
 *
 * <p>The step: {@code e = h / max_k |v_k|}, so the coordinate that moves most moves by {@code h}; the default
 * {@code h = 2^-23^(1/3)} (about 4.9e-3) balances the two errors for float gradients: truncation, {@code h^2 / 6}
 * times the third derivative along {@code v}, and rounding, the float gradients' error (a few ulps of the
 * gradient's scale) divided by {@code 2e}. The gradients are subtracted and scaled in double. On smooth networks
 * with parameters and inputs of order one this gives {@code H v} to about 1e-4 relative to {@code |H| |v|}; on a
 * quadratic loss (no third derivative) the rounding term is all that is left. Across a ReLU or max-pool kink the
 * difference quotient is wrong by construction: prefer smooth activations, or the exact generated operator.
 */
public final class FiniteDifferenceHvp implements HessianVectorProduct {
    /** The default step: the cube root of float's machine epsilon. */
    public static final double DEFAULT_STEP = Math.cbrt(Math.ulp(1f));

    /** The mode the passes run in. */
    public enum Mode {
        /** Dropout draws (fixed) masks, batch norm uses the batch's statistics. */
        TRAINING,
        /** Dropout keeps everything, batch norm uses its running statistics. */
        INFERENCE
    }

    private final ModelBatch batch;
    private final boolean training;
    private final double step;

    private FiniteDifferenceHvp(ModelBatch batch, boolean training, double step) {
        this.batch = batch;
        this.training = training;
        this.step = step;
    }

    /**
     * {@return the operator on the {@code n} samples of {@code inputs} and {@code targets} (copied), one after
     * another as {@link Model#setInput} and {@link Model#setTarget} take them, in {@code mode}}
     *
     * @param model the network; its parameters are read at each product, so training it in between moves the point
     * @param inputs {@code n x inputSize} values
     * @param targets {@code n x outputSize} values
     * @param n the number of samples
     * @param mode the mode the passes run in
     * @throws IllegalArgumentException when the arrays do not hold {@code n} samples
     */
    public static FiniteDifferenceHvp of(Model model, float[] inputs, float[] targets, int n, Mode mode) {
        return new FiniteDifferenceHvp(new ModelBatch(model, inputs, targets, n), mode == Mode.TRAINING,
                DEFAULT_STEP);
    }

    /**
     * {@return the same operator with step {@code h} for the coordinate that moves most (see the class comment)}
     *
     * @param h the step, positive and finite
     */
    public FiniteDifferenceHvp step(double h) {
        if (!(h > 0) || !Double.isFinite(h)) {
            throw new IllegalArgumentException("expected a positive finite step, found " + h);
        }
        return new FiniteDifferenceHvp(batch, training, h);
    }

    @Override
    public int size() {
        return batch.flat.size();
    }

    @Override
    public void apply(double[] v, double[] out) {
        Vectors.checkLength("a direction", v, size());
        Vectors.checkLength("an output", out, size());
        double largest = 0;
        for (double x : v) {
            largest = Math.max(largest, Math.abs(x));
        }
        if (!Double.isFinite(largest)) {
            throw new IllegalArgumentException("expected a finite direction, found a value " + largest);
        }
        if (largest == 0) {
            java.util.Arrays.fill(out, 0);
            return;
        }
        double e = step / largest;
        batch.holding(training, () -> {
            float[] base = batch.model.parameters().toArray();
            batch.flat.setShifted(base, e, v);
            double[] plus = batch.gradient();
            batch.flat.setShifted(base, -e, v);
            double[] minus = batch.gradient();
            for (int k = 0; k < out.length; k++) {
                out[k] = (plus[k] - minus[k]) / (2 * e);
            }
            return null;
        });
    }

    @Override
    public double loss() {
        return batch.holding(training, batch::forwardLoss);
    }

    @Override
    public double[] gradient() {
        return batch.holding(training, batch::gradient);
    }
}
