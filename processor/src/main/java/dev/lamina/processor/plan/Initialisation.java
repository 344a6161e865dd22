package dev.lamina.processor.plan;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.Init;

/**
 * How a weight is drawn at construction: the initialiser the user asked for, or for {@link Init#DEFAULT} He
 * before a ReLU-like activation and Xavier otherwise. The kinds call it when they declare their parameters.
 */
public final class Initialisation {
    private Initialisation() {
    }

    /**
     * The standard deviation of the Gaussian a weight is drawn from (0 for zeros), or for {@link
     * Init#UNIFORM_FAN_IN} the uniform distribution's bound.
     */
    public static double std(Init init, double std, Activation activation, int fanIn, int fanOut) {
        Init resolved = init != Init.DEFAULT ? init : switch (activation) {
            case RELU, LEAKY_RELU, ELU, SELU, RELU6 -> Init.HE;
            default -> Init.XAVIER;
        };
        return switch (resolved) {
            case HE -> Math.sqrt(2.0 / fanIn);
            case XAVIER -> Math.sqrt(2.0 / (fanIn + fanOut));
            case GAUSSIAN -> std;
            case ZEROS -> 0;
            case UNIFORM_FAN_IN -> 1 / Math.sqrt(fanIn);
            case DEFAULT -> throw new IllegalStateException("DEFAULT is resolved above");
        };
    }

    /**
     * A layer's weight of {@code shape}, drawn for {@code init} with {@code fanIn} inputs and {@code fanOut}
     * outputs per unit.
     */
    public static TensorSpec weight(int[] shape, Init init, double std, Activation activation, int fanIn,
                                    int fanOut) {
        return new TensorSpec(".weight", "WEIGHT", shape, fanIn, std(init, std, activation, fanIn, fanOut), "weight",
                init == Init.UNIFORM_FAN_IN, false);
    }

    /** A layer's bias: zeros, or with {@link Init#UNIFORM_FAN_IN} drawn as its weights are. */
    public static TensorSpec bias(int units, Init init, int fanIn) {
        boolean uniform = init == Init.UNIFORM_FAN_IN;
        return new TensorSpec(".bias", "BIAS", new int[] {units}, fanIn, uniform ? 1 / Math.sqrt(fanIn) : 0, "bias",
                uniform, false);
    }
}
