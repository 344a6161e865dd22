package dev.lamina.runtime.train;

/**
 * Huber: for each output, with {@code d = y - t}, {@code 0.5 d^2} where {@code |d| < delta} and
 * {@code delta (|d| - 0.5 delta)} elsewhere ({@code delta} times {@link SmoothL1Loss} with {@code beta = delta}),
 * summed over a row's outputs and averaged over the batch. PyTorch:
 * {@code F.huber_loss(y, t, delta=delta, reduction='sum') / n}. Any output shape.
 */
public final class HuberLoss implements LossFunction {
    private final double delta;

    /**
     * The Huber loss with threshold {@code delta}; throws {@link IllegalArgumentException} unless it is finite and positive.
     *
     * @param delta where the quadratic part ends, greater than 0 (as PyTorch requires)
     */
    public HuberLoss(double delta) {
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("Huber's delta is a finite number > 0, found " + delta);
        }
        this.delta = delta;
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
            boolean quadratic = a < delta;
            sum += quadratic ? 0.5 * d * d : delta * (a - 0.5 * delta);
            if (gradient != null) {
                gradient[i] = (float) ((quadratic ? d : delta * Math.signum(d)) / n);
            }
        }
        return sum / n;
    }

    @Override
    public String toString() {
        return "huber(delta=" + delta + ")";
    }
}
