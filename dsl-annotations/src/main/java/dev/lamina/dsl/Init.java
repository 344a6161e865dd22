package dev.lamina.dsl;

/** Weight initialisers. Biases always start at zero; batch norm starts at gamma = 1, beta = 0. */
public enum Init {
    /** He for the ReLU family (RELU, LEAKY_RELU, ELU, SELU, RELU6), Xavier for everything else. */
    DEFAULT,
    /** Xavier/Glorot: Gaussian with std {@code sqrt(2 / (fanIn + fanOut))}. */
    XAVIER,
    /** He/MSRA: Gaussian with std {@code sqrt(2 / fanIn)}. */
    HE,
    /** Gaussian with the layer's {@code initStd} (default 0.01). */
    GAUSSIAN,
    /** All zeros (useful for perceptrons and tests; breaks symmetry nowhere). */
    ZEROS
}
