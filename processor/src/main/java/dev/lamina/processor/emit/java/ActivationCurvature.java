package dev.lamina.processor.emit.java;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.graph.Op;

/**
 * Each activation's first and second derivatives, {@code h'(a)} and {@code h''(a)}, as double expressions of its
 * float output {@code y} (layers keep only their outputs), for the R-passes. Every activation the runtime has is
 * here; at a kink (ReLU at 0, ...) the first derivative is the one {@link ActivationCode#backward} uses and the
 * second is 0, the derivative almost everywhere.
 */
public final class ActivationCurvature {
    private ActivationCurvature() {
    }

    /** {@code h'(a)} given the output {@code y}, as the backward pass takes it. */
    public static String first(Op.Act act, String y) {
        String a = ActivationCode.literal(act.alpha());
        return switch (act.function()) {
            case IDENTITY -> "1.0";
            case SIGMOID -> y + " * (1.0 - " + y + ")";
            case TANH -> "(1.0 - (double) " + y + " * " + y + ")";
            case RELU -> "(" + y + " > 0f ? 1.0 : 0.0)";
            case LEAKY_RELU -> "(" + y + " > 0f ? 1.0 : (double) " + a + ")";
            case ELU -> "(" + y + " > 0f ? 1.0 : (double) " + y + " + " + a + ")";
            case SELU -> "(" + y + " > 0f ? (double) " + ActivationCode.SELU_LAMBDA + " : (double) " + y + " + "
                    + ActivationCode.SELU_LAMBDA_ALPHA + ")";
            case SOFTPLUS -> "(1.0 - Math.exp(-(double) " + y + "))";
            case RELU6 -> "(" + y + " > 0f && " + y + " < " + a + " ? 1.0 : 0.0)";
            case STEP -> "0.0";
        };
    }

    /** {@code h''(a)} given the output {@code y}; 0 for the piecewise linear activations. */
    /** {@return whether {@code h''} is zero wherever it is defined (piecewise linear), so its terms can be left out} */
    public static boolean piecewiseLinear(Op.Act act) {
        return second(act, "y").equals("0.0");
    }

    /**
     * {@return the statements of {@code double rga = h''(a) R{a} g_y + h'(a) R{g_y}} from the arrays {@code ra},
     * {@code d} and {@code rd} at {@code i}, with {@code y} and {@code h1} declared before, the first term left out
     * where {@code h''} is zero}
     */
    public static CodeBlock rGradient(Op.Act act, String ra, String d, String rd) {
        if (piecewiseLinear(act)) {
            return CodeBlock.of("double rga = h1 * $L[i];\n", rd);
        }
        return CodeBlock.builder()
                .addStatement("double h2 = $L", second(act, "y"))
                .addStatement("double rga = h2 * $L[i] * $L[i] + h1 * $L[i]", ra, d, rd)
                .build();
    }

    public static String second(Op.Act act, String y) {
        String a = ActivationCode.literal(act.alpha());
        return switch (act.function()) {
            case IDENTITY, RELU, LEAKY_RELU, RELU6, STEP -> "0.0";
            case SIGMOID -> y + " * (1.0 - " + y + ") * (1.0 - 2.0 * " + y + ")";
            case TANH -> "-2.0 * " + y + " * (1.0 - (double) " + y + " * " + y + ")";
            // below 0, y = alpha (e^a - 1): h' = h'' = alpha e^a = y + alpha
            case ELU -> "(" + y + " > 0f ? 0.0 : (double) " + y + " + " + a + ")";
            case SELU -> "(" + y + " > 0f ? 0.0 : (double) " + y + " + " + ActivationCode.SELU_LAMBDA_ALPHA + ")";
            // h' = sigmoid(a) = 1 - e^-y, h'' = sigmoid(a) (1 - sigmoid(a))
            case SOFTPLUS -> "((1.0 - Math.exp(-(double) " + y + ")) * Math.exp(-(double) " + y + "))";
        };
    }
}
