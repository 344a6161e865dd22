package dev.lamina.runtime.analysis;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.Tensor;

/**
 * The perceptron learning rule {@code w <- w + eta (d - y) x}, {@code b <- b + eta (d - y)} for a network of one
 * Dense layer with one STEP unit: repeat over the samples until every one is right.
 */
public final class Perceptron {
    private Perceptron() {
    }

    /**
     * Trains in place; returns the number of epochs used ({@code maxEpochs} if it did not converge).
     *
     * @param model a network of one Dense layer with one STEP unit
     * @param x the samples, one after another
     * @param desired each sample's desired output, 0 or 1
     * @param n the number of samples
     * @param eta the learning rate
     * @param maxEpochs the most passes over the samples
     * @return the number of epochs used
     */
    public static int train(Model model, float[] x, float[] desired, int n, float eta, int maxEpochs) {
        Tensor w = model.layers().get(0).weights();
        Tensor b = model.layers().get(0).bias();
        int d = model.inputSize();
        if (w.length() != d || model.outputSize() != 1) {
            throw new IllegalArgumentException("the perceptron rule needs one unit over " + d + " inputs, found "
                    + model.outputSize() + " outputs and weights " + java.util.Arrays.toString(w.shape()));
        }
        for (int epoch = 1; epoch <= maxEpochs; epoch++) {
            int errors = 0;
            for (int i = 0; i < n; i++) {
                float u = b.get(0);
                for (int j = 0; j < d; j++) {
                    u += w.get(j) * x[i * d + j];
                }
                float y = u >= 0 ? 1 : 0;
                float delta = eta * (desired[i] - y);
                if (delta != 0) {
                    errors++;
                    for (int j = 0; j < d; j++) {
                        w.set(j, w.get(j) + delta * x[i * d + j]);
                    }
                    b.set(0, b.get(0) + delta);
                }
            }
            if (errors == 0) {
                return epoch;
            }
        }
        return maxEpochs;
    }
}
