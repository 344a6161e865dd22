package dev.lamina.processor.generated;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.Rng;
import dev.lamina.runtime.analysis.GradientCheck;

/** Random batches and a gradient-check helper for the tests of generated networks. */
final class Fixtures {
    private Fixtures() {
    }

    static float[] gaussian(int count, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }

    static float[] oneHot(int n, int classes, long seed) {
        Rng rng = new Rng(seed);
        float[] t = new float[n * classes];
        for (int i = 0; i < n; i++) {
            t[i * classes + rng.nextInt(classes)] = 1f;
        }
        return t;
    }

    static float[] uniform(int count, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = rng.nextFloat();
        }
        return x;
    }

    /** Central differences on every {@code stride}-th parameter of a random batch, in double-checked float. */
    static GradientCheck.Result check(Model model, int n, float[] targets, int stride) {
        float[] x = gaussian(n * model.inputSize(), 3);
        return GradientCheck.check(model, x, targets, n, 1e-3, stride, 1e-3);
    }
}
