package dev.lamina.runtime.kernels;

/**
 * The sizes of one recurrent layer, baked into the generated code as a constant, and where its parameters lie,
 * as PyTorch lays them out from {@code weight_ih}: {@code weight_ih [G H, F]}, {@code weight_hh [G H, H]},
 * {@code bias_ih [G H]}, {@code bias_hh [G H]}, for {@code G} gates.
 *
 * @param steps    time steps of the input sequence
 * @param features input features per step
 * @param units    hidden units
 * @param gates    gate blocks per unit: 4 for an LSTM, 3 for a GRU, 1 for an Elman RNN
 */
public record RecurrentGeometry(int steps, int features, int units, int gates) {

    /** Width of the gate pre-activations of one step: {@code gates x units}. */
    public int width() {
        return gates * units;
    }

    /** Offset of weight_hh from weight_ih. */
    public int recurrentWeights() {
        return width() * features;
    }

    /** Offset of bias_ih from weight_ih. */
    public int inputBias() {
        return recurrentWeights() + width() * units;
    }

    /** Offset of bias_hh from weight_ih. */
    public int recurrentBias() {
        return inputBias() + width();
    }
}
