package dev.lamina.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.dsl.Loss;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.NetworkState;
import dev.lamina.runtime.Rng;
import dev.lamina.runtime.Tensor;
import dev.lamina.runtime.Workers;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The optimizer's memory does not grow with the thread count (issue 15, item 11: it kept two copies of all
 * parameters per worker thread), and its updates are bit for bit those of one loop over whole arrays, the
 * arithmetic it had before, at 1 and 3 threads.
 */
class OptimizerMemoryTest {

    /** A model with only parameters (a weight tensor, then a bias), on a team of its own. */
    static final class Flat implements Model {
        private final NetworkState state;

        Flat(int weights, int biases) {
            state = new NetworkState("flat", Loss.MEAN_SQUARED_ERROR, new int[] {1}, 1, weights + biases, 0, 1, 0);
            state.parameter("w.weight", Tensor.Kind.WEIGHT, new int[] {weights}, 0, 1f);
            state.parameter("w.bias", Tensor.Kind.BIAS, new int[] {biases}, weights, 0f);
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

    private static final int WEIGHTS = 10_007;
    private static final int BIASES = 1_501;

    @Test
    void updatesAreBitIdenticalToWholeArrayLoops() {
        for (int threads : new int[] {1, 3}) {
            check(threads, "momentum", () -> Optimizer.momentum(0.05, 0.9), (p, g, s1, s2, w, t) -> {
                for (int i = 0; i < p.length; i++) {
                    float vi = 0.9f * s1[i] - 0.05f * g[i];
                    s1[i] = vi;
                    p[i] = p[i] + vi;
                }
            });
            check(threads, "nesterov", () -> Optimizer.nesterov(0.05, 0.9), (p, g, s1, s2, w, t) -> {
                for (int i = 0; i < p.length; i++) {
                    float step = 0.05f * g[i];
                    float vi = 0.9f * s1[i] - step;
                    s1[i] = vi;
                    p[i] = p[i] + 0.9f * vi - step;
                }
            });
            check(threads, "sgd", () -> Optimizer.sgd(0.05), (p, g, s1, s2, w, t) -> {
                for (int i = 0; i < p.length; i++) {
                    p[i] = p[i] - 0.05f * g[i];
                }
            });
            check(threads, "adamW", () -> Optimizer.adamW(0.01, 0.1), (p, g, s, r, w, t) -> {
                float lr = 0.01f;
                float b1 = (float) 0.9;
                float b2 = (float) 0.999;
                float c1 = (float) (1 / (1 - Math.pow(0.9, t)));
                float c2 = (float) (1 / (1 - Math.pow(0.999, t)));
                for (int i = 0; i < p.length; i++) {
                    float decay = i < WEIGHTS ? 1f - lr * 0.1f : 1f;
                    float gi = g[i];
                    float si = b1 * s[i] + (1 - b1) * gi;
                    float ri = b2 * r[i] + (1 - b2) * gi * gi;
                    s[i] = si;
                    r[i] = ri;
                    p[i] = decay * p[i] - lr * (si * c1) / ((float) Math.sqrt(ri * c2) + 1e-8f);
                }
            });
            check(threads, "adaGrad", () -> Optimizer.adaGrad(0.01), (p, g, r, s2, w, t) -> {
                for (int i = 0; i < p.length; i++) {
                    float gi = g[i];
                    float ri = r[i] + gi * gi;
                    r[i] = ri;
                    p[i] = p[i] - 0.01f * gi / ((float) 1e-7 + (float) Math.sqrt(ri));
                }
            });
            check(threads, "rmsProp", () -> Optimizer.rmsProp(0.01), (p, g, r, s2, w, t) -> {
                float rho = (float) 0.9;
                for (int i = 0; i < p.length; i++) {
                    float gi = g[i];
                    float ri = rho * r[i] + (1 - rho) * gi * gi;
                    r[i] = ri;
                    p[i] = p[i] - 0.01f * gi / (float) Math.sqrt((float) 1e-6 + ri);
                }
            });
        }
    }

    /** One step of a rule over whole arrays; {@code t} counts steps from 1. */
    private interface Reference {
        void step(float[] p, float[] g, float[] s1, float[] s2, int weights, int t);
    }

    private static void check(int threads, String name, Supplier<Optimizer> make, Reference reference) {
        Flat model = new Flat(WEIGHTS, BIASES);
        int size = WEIGHTS + BIASES;
        float[] p = model.parameterArray();
        float[] s1 = new float[size];
        float[] s2 = new float[size];
        Optimizer optimizer = make.get();
        try (Workers team = Workers.create(threads)) {
            model.useWorkers(team);
            Rng rng = new Rng(threads * 31L + name.hashCode());
            for (int t = 1; t <= 3; t++) {
                float[] g = new float[size];
                for (int i = 0; i < size; i++) {
                    g[i] = (float) rng.nextGaussian();
                }
                model.gradients().floats().put(0, g);
                optimizer.step(model);
                reference.step(p, g, s1, s2, WEIGHTS, t);
                assertArrayEquals(p, model.parameterArray(), name + " at " + threads + " threads, step " + t);
            }
        }
    }

    /** A large flat model: the state is 2 x 16 MiB for Adam; per-thread copies would add 32 MiB per thread. */
    @Test
    void retainedMemoryDoesNotGrowWithTheThreadCount() {
        int size = 4 << 20;
        long[] grown = new long[2];
        int[] counts = {1, 4};
        for (int c = 0; c < counts.length; c++) {
            Workers.setThreads(counts[c]);
            Flat model = new Flat(size - 1000, 1000);
            Optimizer adam = Optimizer.adam(1e-3);
            long before = usedHeap();
            adam.step(model);
            adam.step(model);
            long after = usedHeap();
            assertEquals(2L * size, adam.stateFloats(), "Adam's two moments, whatever the threads");
            grown[c] = after - before - 4 * adam.stateFloats();
            // keep the model and optimizer reachable until measured
            assertEquals(2, adam.steps() + model.parameterCount() - model.parameterCount());
        }
        Workers.setThreads(Integer.getInteger("lamina.threads", Runtime.getRuntime().availableProcessors()));
        // the heap holds 16 MiB arrays in whole regions (G1), so "beyond the state" reads a few MiB over 0;
        // per-thread copies of the parameters and gradients would add 32 MiB per thread
        for (int c = 0; c < counts.length; c++) {
            assertTrue(grown[c] < 12 << 20, "beyond its state, a step at " + counts[c] + " threads retained "
                    + (grown[c] >> 20) + " MiB (allowed: under 12)");
        }
        assertTrue(grown[1] - grown[0] < 4 << 20, "4 threads retained " + ((grown[1] - grown[0]) >> 20)
                + " MiB more than 1");
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
