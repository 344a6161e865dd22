package dev.lamina.processor.generated;

import dev.lamina.runtime.Rng;

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
}
