package dev.lamina.runtime.analysis.hessian;

import java.util.SplittableRandom;

/**
 * The trace of the Hessian by Hutchinson's estimator: the mean of {@code z^T H z} over seeded Rademacher vectors
 * {@code z} (entries +1 or -1), unbiased since {@code E[z z^T] = I}; its standard error is the sample standard
 * deviation over {@code sqrt(m)}. One product per sample.
 */
public final class Hutchinson {
    private Hutchinson() {
    }

    /**
     * An estimate.
     *
     * @param trace the mean of the samples
     * @param standardError their standard deviation over {@code sqrt(samples)} (0 for one sample: unknown)
     * @param samples how many vectors were drawn
     */
    public record Estimate(double trace, double standardError, int samples) {
    }

    /**
     * {@return the estimate from {@code samples} Rademacher vectors drawn from {@code seed}}
     *
     * @param hvp the operator
     * @param samples at least 1 (2 or more for a standard error)
     * @param seed the vectors' seed
     */
    public static Estimate trace(HessianVectorProduct hvp, int samples, long seed) {
        if (samples < 1) {
            throw new IllegalArgumentException("expected at least one sample, found " + samples);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int w = hvp.size();
        double[] z = new double[w];
        double[] hz = new double[w];
        double sum = 0;
        double sumSquares = 0;
        for (int s = 0; s < samples; s++) {
            for (int i = 0; i < w; i++) {
                z[i] = random.nextBoolean() ? 1 : -1;
            }
            hvp.apply(z, hz);
            double q = Vectors.dot(z, hz);
            sum += q;
            sumSquares += q * q;
        }
        double mean = sum / samples;
        double error = 0;
        if (samples > 1) {
            double variance = Math.max(0, (sumSquares - samples * mean * mean) / (samples - 1));
            error = Math.sqrt(variance / samples);
        }
        return new Estimate(mean, error, samples);
    }
}
