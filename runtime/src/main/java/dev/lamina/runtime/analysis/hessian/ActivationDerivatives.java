package dev.lamina.runtime.analysis.hessian;

import dev.lamina.dsl.Activation;

/**
 * Internal, not API: an activation's first and second derivatives {@code h'(u)}, {@code h''(u)} written in terms of
 * its output {@code z = h(u)}, which is what a layer keeps (the conventions of the generated backward pass: ReLU's
 * derivative at 0 is 0; the piecewise-linear ones have {@code h'' = 0}).
 */
final class ActivationDerivatives {
    private static final double SELU_LAMBDA = 1.0507009873554805;
    private static final double SELU_LAMBDA_ALPHA = 1.7580993408473766;

    private final Activation activation;
    private final double alpha;

    /** {@code alpha} NaN takes the activation's default (LEAKY_RELU 0.01, ELU 1, RELU6 6), as the layer does. */
    ActivationDerivatives(Activation activation, double alpha) {
        if (activation == Activation.STEP) {
            throw new IllegalArgumentException("expected a differentiable activation, found STEP, whose"
                    + " derivative is zero everywhere (it is trained with the perceptron rule)");
        }
        this.activation = activation;
        this.alpha = !Double.isNaN(alpha) ? alpha : switch (activation) {
            case LEAKY_RELU -> 0.01;
            case ELU -> 1.0;
            case RELU6 -> 6.0;
            default -> 0;
        };
    }

    Activation activation() {
        return activation;
    }

    double first(double z) {
        return switch (activation) {
            case IDENTITY -> 1;
            case SIGMOID -> z * (1 - z);
            case TANH -> 1 - z * z;
            case RELU -> z > 0 ? 1 : 0;
            case LEAKY_RELU -> z > 0 ? 1 : alpha;
            case ELU -> z > 0 ? 1 : z + alpha;
            case SELU -> z > 0 ? SELU_LAMBDA : z + SELU_LAMBDA_ALPHA;
            case SOFTPLUS -> 1 - Math.exp(-z);
            case RELU6 -> z > 0 && z < alpha ? 1 : 0;
            case STEP -> 0;
        };
    }

    double second(double z) {
        return switch (activation) {
            case SIGMOID -> z * (1 - z) * (1 - 2 * z);
            case TANH -> -2 * z * (1 - z * z);
            case ELU -> z > 0 ? 0 : z + alpha;
            case SELU -> z > 0 ? 0 : z + SELU_LAMBDA_ALPHA;
            case SOFTPLUS -> {
                double s = 1 - Math.exp(-z);
                yield s * (1 - s);
            }
            case IDENTITY, RELU, LEAKY_RELU, RELU6, STEP -> 0;
        };
    }
}
