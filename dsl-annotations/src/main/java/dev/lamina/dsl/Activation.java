package dev.lamina.dsl;

/**
 * Pointwise activations. Every derivative is computed from the activation's output, so a layer keeps only its
 * output for the backward pass.
 *
 * <p>Conventions: {@link #RELU}'s derivative at 0 is 0; {@link #STEP} is {@code 1 if u >= 0 else 0} and has a zero
 * derivative everywhere (it is trained with the perceptron rule, not by backpropagation).
 */
public enum Activation {
    /** {@code f(u) = u}. */
    IDENTITY,
    /** {@code 1 / (1 + e^-u)}. */
    SIGMOID,
    /** {@code tanh(u)}. */
    TANH,
    /** {@code max(0, u)}. */
    RELU,
    /** {@code max(u, alpha u)}; alpha from the layer's {@code alpha}, default 0.01. */
    LEAKY_RELU,
    /** {@code u if u >= 0 else alpha (e^u - 1)}; alpha default 1.0. */
    ELU,
    /** {@code lambda (u if u > 0 else alpha e^u - alpha)}, lambda = 1.0507, alpha = 1.6733. */
    SELU,
    /** {@code log(1 + e^u)}. */
    SOFTPLUS,
    /** {@code min(max(0, u), cap)}; the cap from the layer's {@code alpha}, default 6. */
    RELU6,
    /** {@code 1 if u >= 0 else 0}: the perceptron's threshold unit. */
    STEP
}
