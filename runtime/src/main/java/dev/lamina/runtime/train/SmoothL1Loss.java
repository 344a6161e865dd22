package dev.lamina.runtime.train;

/**
 * Smooth L1: for each output, with {@code d = y - t}, {@code 0.5 d^2 / beta} where {@code |d| < beta} and
 * {@code |d| - 0.5 beta} elsewhere ({@code |d|} when {@code beta} is 0), summed over a row's outputs and averaged
 * over the batch, as the fused losses are. PyTorch: {@code F.smooth_l1_loss(y, t, beta=beta, reduction='sum') / n}
 * (PyTorch's default {@code reduction='mean'} also divides by the outputs per row). Any output shape.
 */
public final class SmoothL1Loss implements LossFunction {
    private final double beta;

    /**
     * Smooth L1 with threshold {@code beta}; throws {@link IllegalArgumentException} unless it is finite and at least 0.
     *
     * @param beta where the quadratic part ends, at least 0 (0: the plain L1 loss, derivative 0 at 0)
     */
    public SmoothL1Loss(double beta) {
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("smooth L1's beta is a finite number >= 0, found " + beta);
        }
        this.beta = beta;
    }

    @Override
    public double loss(OutputBatch batch, float[] gradient) {
        batch.checkGradient(gradient);
        float[] y = batch.outputs();
        float[] t = batch.targets();
        double n = batch.rows();
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            double d = (double) y[i] - t[i];
            double a = Math.abs(d);
            boolean quadratic = a < beta;
            sum += quadratic ? 0.5 * d * d / beta : a - 0.5 * beta;
            if (gradient != null) {
                gradient[i] = (float) ((quadratic ? d / beta : Math.signum(d)) / n);
            }
        }
        return sum / n;
    }

    @Override
    public String toString() {
        return "smoothL1(beta=" + beta + ")";
    }
}
