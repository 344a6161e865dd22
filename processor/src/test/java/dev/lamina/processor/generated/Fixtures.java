package dev.lamina.processor.generated;

import dev.lamina.runtime.Rng;
import dev.lamina.runtime.data.Dataset;

/** Random batches and a gradient-check helper for the tests of generated networks. */
final class Fixtures {
    private Fixtures() {
    }

    /**
     * The asymmetry (largest |H_ij - H_ji| over the largest |H_ij|) a full Hessian from products in float stays
     * under: about 1e-7 measured on every test network, float rounding of the GEMMs' sums; products in double stay
     * under 1e-9 ({@code ProductPrecisionTest}).
     */
    static final double FLOAT_ASYMMETRY = 1e-5;

    static float[] gaussian(int count, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }

    /** A Gaussian direction in parameter space, in double, for the second-order tests. */
    static double[] direction(int size, long seed) {
        float[] g = gaussian(size, seed);
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = g[i];
        }
        return v;
    }

    /** {@return the largest magnitude in {@code values}, the scale the second-order tests compare against} */
    static double largest(double[] values) {
        double m = 0;
        for (double v : values) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
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

    /**
     * {@code n} samples of three Gaussian blobs in 4-D, one-hot targets: class {@code c} (drawn at random) has
     * {@code separation} added to feature {@code c}, and every feature {@code noise} times a standard normal draw.
     */
    static Dataset gaussianBlobs(int n, long seed, double separation, double noise) {
        Rng rng = new Rng(seed);
        float[] x = new float[n * 4];
        float[] t = new float[n * 3];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(3);
            t[i * 3 + c] = 1;
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = (float) ((j == c ? separation : 0) + noise * rng.nextGaussian());
            }
        }
        return new Dataset(x, new int[] {4}, t, 3);
    }
}
