package dev.lamina.runtime.analysis;

import dev.lamina.runtime.Model;

/**
 * The derivative of every output with respect to every input, per sample: one backward pass per output unit,
 * started from a one-hot output gradient ({@link Model#backward(int, float[])}) on every row of the batch at once
 * (in inference mode the rows do not interact, so row {@code r}'s input gradient is row {@code r}'s Jacobian row).
 * Costs {@code outputSize} forward and backward passes over the batch.
 */
public final class Jacobian {
    private Jacobian() {
    }

    /**
     * {@return the Jacobian of the {@code n} samples stored one after another in {@code x} (channels first, as
     * {@link Model#setInput}), in inference mode (the model's mode and input-gradient setting are restored after):
     * {@code n x outputSize x inputSize} floats, {@code J[(r * outputSize + k) * inputSize + i] = d output_k /
     * d input_i} of sample {@code r}} Outputs are numbered as {@link Model#predict} lays them out (an image output
     * channels last), inputs as they are given (channels first).
     *
     * @param model the network
     * @param x the samples, one after another
     * @param n the number of samples
     * @throws IllegalArgumentException when {@code x} does not hold {@code n} samples
     * @throws UnsupportedOperationException when the input is token ids, which have no gradient
     */
    public static float[] of(Model model, float[] x, int n) {
        InputGradients.checkInputs(model, x, n);
        int out = model.outputSize();
        int in = model.inputSize();
        float[] jacobian = new float[Math.multiplyExact(Math.multiplyExact(n, out), in)];
        try (InputGradients run = InputGradients.open(model)) {
            float[] seed = new float[n * out];
            for (int k = 0; k < out; k++) {
                for (int r = 0; r < n; r++) {
                    seed[r * out + k] = 1;
                }
                run.forward(x, n);
                float[] gradient = run.backward(n, seed);
                for (int r = 0; r < n; r++) {
                    System.arraycopy(gradient, r * in, jacobian, (r * out + k) * in, in);
                    seed[r * out + k] = 0;
                }
            }
        }
        return jacobian;
    }
}
