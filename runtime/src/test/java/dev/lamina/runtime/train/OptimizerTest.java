package dev.lamina.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.dsl.Loss;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.NetworkState;
import dev.lamina.runtime.Rng;
import dev.lamina.runtime.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Two steps of each optimizer against its update rule written out in double precision, on tensors larger than
 * the update's heap block (so blocks and worker slices split them) and with a bias next to a weight (AdamW decays
 * weights only).
 */
class OptimizerTest {
    private static final int WEIGHTS = 5000;
    private static final int BIASES = 300;

    /** A model with only parameters: the optimizer needs nothing else. */
    private static final class Parameters implements Model {
        private final NetworkState state = new NetworkState("params", Loss.MEAN_SQUARED_ERROR, new int[] {1}, 1,
                WEIGHTS + BIASES, 0, 1, 0);

        Parameters() {
            state.parameter("w.weight", Tensor.Kind.WEIGHT, new int[] {WEIGHTS}, 0, 1f);
            state.parameter("w.bias", Tensor.Kind.BIAS, new int[] {BIASES}, WEIGHTS, 0f);
            state.initialize(1);
        }

        @Override
        public NetworkState state() {
            return state;
        }

        @Override
        public void forward(int batch) {
        }

        @Override
        public double loss(int batch) {
            return 0;
        }

        @Override
        public void backward(int batch) {
        }

        @Override
        public float output(int row, int k) {
            return 0;
        }
    }

    /** One element's update: state in s[0], s[1]; returns the new parameter. */
    private interface Rule {
        double apply(double p, double g, double[] s, int step, boolean weight);
    }

    @Test
    void sgdFamily() {
        check(Optimizer.sgd(0.1), (p, g, s, t, w) -> p - 0.1 * g);
        check(Optimizer.momentum(0.1, 0.9), (p, g, s, t, w) -> {
            s[0] = 0.9 * s[0] - 0.1 * g;
            return p + s[0];
        });
        check(Optimizer.nesterov(0.1, 0.9), (p, g, s, t, w) -> {
            s[0] = 0.9 * s[0] - 0.1 * g;
            return p + 0.9 * s[0] - 0.1 * g;
        });
    }

    @Test
    void adaptiveRates() {
        check(Optimizer.adaGrad(0.1), (p, g, s, t, w) -> {
            s[0] += g * g;
            return p - 0.1 * g / (1e-7 + Math.sqrt(s[0]));
        });
        check(Optimizer.rmsProp(0.01, 0.9, 1e-6), (p, g, s, t, w) -> {
            s[0] = 0.9 * s[0] + 0.1 * g * g;
            return p - 0.01 * g / Math.sqrt(1e-6 + s[0]);
        });
        check(Optimizer.adamW(0.01, 0.1), (p, g, s, t, w) -> {
            s[0] = 0.9 * s[0] + 0.1 * g;
            s[1] = 0.999 * s[1] + 0.001 * g * g;
            double m = s[0] / (1 - Math.pow(0.9, t));
            double v = s[1] / (1 - Math.pow(0.999, t));
            return (w ? 1 - 0.01 * 0.1 : 1) * p - 0.01 * m / (Math.sqrt(v) + 1e-8);
        });
    }

    private static void check(Optimizer optimizer, Rule rule) {
        Parameters model = new Parameters();
        int size = WEIGHTS + BIASES;
        double[] p = new double[size];
        double[][] s = new double[size][2];
        for (int i = 0; i < size; i++) {
            p[i] = model.parameters().floats().get(i);
        }
        Rng rng = new Rng(7);
        for (int step = 1; step <= 2; step++) {
            for (int i = 0; i < size; i++) {
                float g = (float) rng.nextGaussian();
                model.gradients().floats().put(i, g);
                p[i] = rule.apply(p[i], g, s[i], step, i < WEIGHTS);
            }
            optimizer.step(model);
        }
        for (int i = 0; i < size; i++) {
            assertEquals(p[i], model.parameters().floats().get(i), 1e-4 * (1 + Math.abs(p[i])),
                    optimizer.getClass().getSimpleName() + " parameter " + i);
        }
    }
}
