package dev.lamina.processor.emit.java;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.graph.Op;

/**
 * Java expressions for each activation: its value from the pre-activation {@code u}, and the backward step
 * {@code g f'(u)} written in terms of the output {@code y}, so that layers keep only their outputs. Sigmoid and
 * tanh call the runtime's {@code Squash}, which vectorises ({@code Math.tanh} costs about 50 ns a call), named
 * as a type so that the generated file imports it.
 */
final class ActivationCode {
    static final String SELU_LAMBDA = "1.0507009873554805f";
    static final String SELU_LAMBDA_ALPHA = "1.7580993408473766f";

    private ActivationCode() {
    }

    /** {@code f(u)} as an expression over the float variable named {@code u}. */
    static CodeBlock apply(Op.Act act, String u) {
        return switch (act.function()) {
            case SIGMOID -> CodeBlock.of("$T.sigmoid($L)", RuntimeTypes.SQUASH, u);
            case TANH -> CodeBlock.of("$T.tanh($L)", RuntimeTypes.SQUASH, u);
            default -> CodeBlock.of("$L", plain(act, u));
        };
    }

    /** {@code f(u)} for the activations written with {@code Math} alone. */
    private static String plain(Op.Act act, String u) {
        String a = literal(act.alpha());
        return switch (act.function()) {
            case IDENTITY -> u;
            case SIGMOID, TANH -> throw new IllegalStateException(act + " calls the runtime's Squash");
            case RELU -> "Math.max(" + u + ", 0f)";
            case LEAKY_RELU -> u + " > 0f ? " + u + " : " + a + " * " + u;
            // expm1: exp(u) - 1 in float loses the digits that matter near 0
            case ELU -> u + " >= 0f ? " + u + " : " + a + " * (float) Math.expm1(" + u + ")";
            case SELU -> u + " > 0f ? " + SELU_LAMBDA + " * " + u + " : " + SELU_LAMBDA_ALPHA
                    + " * (float) Math.expm1(" + u + ")";
            case SOFTPLUS -> u + " > 20f ? " + u + " : (float) Math.log1p(Math.exp(" + u + "))";
            case RELU6 -> "Math.min(Math.max(" + u + ", 0f), " + a + ")";
            case STEP -> u + " >= 0f ? 1f : 0f";
        };
    }

    /** {@code g f'(u)} given the output {@code y}; ReLU's derivative at 0 is 0 (a non-finite g may give NaN there). */
    static String backward(Op.Act act, String g, String y) {
        String a = literal(act.alpha());
        return switch (act.function()) {
            case IDENTITY -> g;
            case SIGMOID -> g + " * " + y + " * (1f - " + y + ")";
            case TANH -> g + " * (1f - " + y + " * " + y + ")";
            // branch-free, so that C2 vectorises it: y * 2^200 reaches 1 for every y > 0, the smallest subnormal
            // included, and stays 0 for y = 0
            case RELU -> g + " * Math.min(" + y + " * 0x1p100f * 0x1p100f, 1f)";
            case LEAKY_RELU -> y + " > 0f ? " + g + " : " + a + " * " + g;
            case ELU -> y + " > 0f ? " + g + " : " + g + " * (" + y + " + " + a + ")";
            case SELU -> y + " > 0f ? " + SELU_LAMBDA + " * " + g + " : " + g + " * (" + y + " + "
                    + SELU_LAMBDA_ALPHA + ")";
            case SOFTPLUS -> g + " * (1f - (float) Math.exp(-" + y + "))";
            case RELU6 -> y + " > 0f && " + y + " < " + a + " ? " + g + " : 0f";
            case STEP -> "0f";
        };
    }

    static String literal(double value) {
        return Float.toString((float) value) + "f";
    }
}
