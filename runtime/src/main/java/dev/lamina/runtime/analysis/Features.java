package dev.lamina.runtime.analysis;

import dev.lamina.runtime.Layer;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.NetworkState;
import dev.lamina.runtime.data.Dataset;
import java.util.Arrays;

/**
 * A layer's output for a whole data set: the features a PCA, a t-SNE or a linear probe reads. Runs the model in
 * batches in inference mode (dropout off, batch norm on its running statistics; the mode is restored after) and
 * copies {@link Layer#output()} after each batch, so the values are exactly what that layer computes in
 * {@link Model#predict}. Holds the model for the whole run, as {@code predict} does; CPU path only, as
 * {@link Layer#output()}.
 */
public final class Features {
    private Features() {
    }

    /**
     * {@return the features of every sample of {@code data}; see {@link #of(Model, Layer, float[], int, int)}}
     *
     * @param model the network
     * @param layer one of its layers
     * @param data the samples
     * @param batchSize samples per forward pass
     */
    public static float[] of(Model model, Layer layer, Dataset data, int batchSize) {
        return of(model, layer, data.features(), data.size(), batchSize);
    }

    /**
     * {@code layer}'s output for the {@code n} samples stored one after another in {@code inputs} (channels first,
     * as {@link Model#setInput}), {@code batchSize} at a time: {@code n * size} values, row after row, each row
     * channels first as {@link dev.lamina.runtime.LayerOutput} gives it.
     *
     * @param model the network
     * @param layer one of its layers
     * @param inputs the samples, one after another
     * @param n the number of samples
     * @param batchSize samples per forward pass
     * @return {@code n} rows of the layer's output size, channels first
     * @throws IllegalArgumentException when {@code layer} is not one of {@code model}'s layers, the inputs do not
     *         hold {@code n} samples, or a count is not positive
     * @throws IllegalStateException when fusion left the layer no output of its own ({@link Layer#output()})
     */
    public static float[] of(Model model, Layer layer, float[] inputs, int n, int batchSize) {
        if (model.layers().stream().noneMatch(l -> l == layer)) {
            throw new IllegalArgumentException("expected a layer of " + model.name() + " (" + model.layers().stream()
                    .map(Layer::name).toList() + "), found layer '" + layer.name() + "' of another network");
        }
        if (n < 1 || batchSize < 1) {
            throw new IllegalArgumentException("expected a positive sample count and batch size, found " + n
                    + " samples in batches of " + batchSize);
        }
        int in = model.inputSize();
        if (inputs.length != (long) n * in) {
            throw new IllegalArgumentException("expected " + n + " x " + in + " = " + (long) n * in
                    + " input values, found " + inputs.length);
        }
        int size = Arrays.stream(layer.outputShape()).reduce(1, Math::multiplyExact);
        float[] features = new float[Math.multiplyExact(n, size)];
        NetworkState state = model.state();
        state.lock();
        try {
            boolean wasTraining = model.isTraining();
            model.setTraining(false);
            try {
                int batch = Math.min(batchSize, n);
                model.reserve(batch);
                for (int from = 0; from < n; from += batch) {
                    int rows = Math.min(batch, n - from);
                    for (int r = 0; r < rows; r++) {
                        model.setInput(r, inputs, (from + r) * in);
                    }
                    model.forward(rows);
                    float[] out = layer.output().copy();
                    System.arraycopy(out, 0, features, from * size, out.length);
                }
            } finally {
                model.setTraining(wasTraining);
            }
        } finally {
            state.unlock();
        }
        return features;
    }
}
