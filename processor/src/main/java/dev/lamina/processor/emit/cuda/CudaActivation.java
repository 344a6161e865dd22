package dev.lamina.processor.emit.cuda;

import dev.lamina.processor.graph.Op;

/** CUDA C expressions for each activation: the same functions and derivatives as the Java emitter's. */
public final class CudaActivation {
    private CudaActivation() {
    }

    /** {@code f(u)} over the float expression {@code u}. */
    public static String apply(Op.Act act, String u) {
        String a = literal(act.alpha());
        return switch (act.function()) {
            case IDENTITY -> u;
            case SIGMOID -> "1.0f / (1.0f + expf(-(" + u + ")))";
            case TANH -> "tanhf(" + u + ")";
            case RELU -> "fmaxf(" + u + ", 0.0f)";
            case LEAKY_RELU -> "(" + u + " > 0.0f ? " + u + " : " + a + " * " + u + ")";
            case ELU -> "(" + u + " >= 0.0f ? " + u + " : " + a + " * expm1f(" + u + "))";
            case SELU -> "(" + u + " > 0.0f ? 1.0507009873554805f * " + u + " : 1.7580993408473766f * expm1f(" + u
                    + "))";
            case SOFTPLUS -> "(" + u + " > 20.0f ? " + u + " : log1pf(expf(" + u + ")))";
            case RELU6 -> "fminf(fmaxf(" + u + ", 0.0f), " + a + ")";
            case STEP -> "(" + u + " >= 0.0f ? 1.0f : 0.0f)";
        };
    }

    /** {@code g f'(u)} in terms of the output {@code y}; ReLU's derivative at 0 is 0. */
    public static String backward(Op.Act act, String g, String y) {
        String a = literal(act.alpha());
        return switch (act.function()) {
            case IDENTITY -> g;
            case SIGMOID -> g + " * " + y + " * (1.0f - " + y + ")";
            case TANH -> g + " * (1.0f - " + y + " * " + y + ")";
            case RELU -> "(" + y + " > 0.0f ? " + g + " : 0.0f)";
            case LEAKY_RELU -> "(" + y + " > 0.0f ? " + g + " : " + a + " * " + g + ")";
            case ELU -> "(" + y + " > 0.0f ? " + g + " : " + g + " * (" + y + " + " + a + "))";
            case SELU -> "(" + y + " > 0.0f ? 1.0507009873554805f * " + g + " : " + g + " * (" + y
                    + " + 1.7580993408473766f))";
            case SOFTPLUS -> g + " * (1.0f - expf(-" + y + "))";
            case RELU6 -> "(" + y + " > 0.0f && " + y + " < " + a + " ? " + g + " : 0.0f)";
            case STEP -> "0.0f";
        };
    }

    public static String literal(double value) {
        return Float.toString((float) value) + "f";
    }
}
