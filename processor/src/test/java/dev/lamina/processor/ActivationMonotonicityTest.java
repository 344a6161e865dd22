package dev.lamina.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.dsl.Activation;
import dev.lamina.processor.graph.Op;
import org.junit.jupiter.api.Test;

/**
 * {@link Op.Act#isNonDecreasing} decides whether a max pool may run before the activation (fusion): checked
 * against the activations' definitions on a grid, for default, positive, zero and negative parameters.
 */
class ActivationMonotonicityTest {
    @Test
    void answersAsTheFunctionsBehave() {
        for (Activation f : Activation.values()) {
            for (double alpha : new double[] {Double.NaN, 0.3, 0, -0.5, 2}) {
                Op.Act act = Op.Act.of(f, alpha);
                assertEquals(sampledNonDecreasing(act), act.isNonDecreasing(), f + " alpha " + act.alpha());
            }
        }
    }

    private static boolean sampledNonDecreasing(Op.Act act) {
        double previous = Double.NEGATIVE_INFINITY;
        for (double u = -8; u <= 8; u += 0.125) {
            double v = apply(act, u);
            if (v < previous) {
                return false;
            }
            previous = v;
        }
        return true;
    }

    /** The activations as the DSL documents them (Activation's javadoc). */
    private static double apply(Op.Act act, double u) {
        double a = act.alpha();
        return switch (act.function()) {
            case IDENTITY -> u;
            case SIGMOID -> 1 / (1 + Math.exp(-u));
            case TANH -> Math.tanh(u);
            case RELU -> Math.max(0, u);
            case LEAKY_RELU -> Math.max(u, a * u);
            case ELU -> u >= 0 ? u : a * Math.expm1(u);
            case SELU -> 1.0507 * (u > 0 ? u : 1.6733 * Math.expm1(u));
            case SOFTPLUS -> Math.log1p(Math.exp(u));
            case RELU6 -> Math.min(Math.max(0, u), a);
            case STEP -> u > 0 ? 1 : 0;
        };
    }
}
