package dev.lamina.runtime.train;

/**
 * {@code 1/2 sum_k (y_k - t_k)^2} over a row's outputs, mean over the batch: the fused
 * {@link dev.lamina.dsl.Loss#MEAN_SQUARED_ERROR} computed in Java (to compare the two paths, or to add terms to it
 * in a loss of one's own). PyTorch: {@code F.mse_loss(y, t, reduction='sum') / (2 * n)}. Any output shape.
 */
public final class MeanSquaredErrorLoss implements LossFunction {
    /** The loss; it keeps no state ({@link LossFunction#meanSquaredError()} gives one too). */
    public MeanSquaredErrorLoss() {
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
            sum += d * d;
            if (gradient != null) {
                gradient[i] = (float) (d / n);
            }
        }
        return 0.5 * sum / n;
    }

    @Override
    public String toString() {
        return "meanSquaredError";
    }
}
