package dev.lamina.runtime.train;

import dev.lamina.runtime.Layer;

/**
 * An L1 penalty on a layer's activations (Keras' {@code activity_regularizer=l1(lambda)}):
 * {@code lambda * mean over rows of sum_i |h_i|}, its gradient {@code lambda * sign(h) / n} added at the layer's
 * output for the next backward pass ({@link Layer#addGradient}); {@code sign(0) = 0}, as PyTorch's derivative of
 * {@code abs}. {@link Trainer#activityL1} adds it to the training loss and to the validation loss, as Keras adds
 * its regularisation losses to both.
 */
final class ActivityL1 {
    private final Layer layer;
    private final double lambda;

    ActivityL1(Layer layer, double lambda) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("the activity L1 strength of layer '" + layer.name() + "' is a finite "
                    + "number >= 0, found " + lambda);
        }
        this.layer = layer;
        this.lambda = lambda;
    }

    Layer layer() {
        return layer;
    }

    /**
     * The penalty on the layer's output of the last forward pass over {@code rows} rows, and, when
     * {@code withGradient}, its gradient added at the layer's output for the next backward pass.
     */
    double apply(int rows, boolean withGradient) {
        float[] h = layer.output().copy();
        double sum = 0;
        for (float v : h) {
            sum += Math.abs(v);
        }
        if (withGradient) {
            float step = (float) (lambda / rows);
            float[] g = new float[h.length];
            for (int i = 0; i < h.length; i++) {
                g[i] = h[i] > 0 ? step : h[i] < 0 ? -step : 0f;
            }
            layer.addGradient(g);
        }
        return lambda * sum / rows;
    }

    /**
     * Refuses, with the reason, a layer whose output cannot be read or takes no gradient: after a forward pass,
     * reads the output and adds a zero gradient (which the next forward pass forgets).
     */
    void check() {
        try {
            float[] h = layer.output().copy();
            layer.addGradient(new float[h.length]);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new IllegalArgumentException("activityL1 on layer '" + layer.name() + "' (" + layer.kind()
                    + "): the penalty reads the layer's output and adds a gradient there, and this layer refuses: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "activityL1(" + layer.name() + ", " + lambda + ")";
    }
}
