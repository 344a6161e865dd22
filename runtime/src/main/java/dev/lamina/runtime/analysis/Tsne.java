package dev.lamina.runtime.analysis;

import dev.lamina.runtime.Rng;
import java.util.Arrays;

/**
 * Exact t-SNE (van der Maaten and Hinton, "Visualizing Data using t-SNE", JMLR 2008): perplexity-calibrated input
 * similarities ({@link TsneAffinities}), a Student-t kernel in the embedding, and gradient descent on the KL
 * divergence with the paper's schedule: early exaggeration 4 for the first 50 iterations, momentum 0.5 then 0.8
 * from iteration 250, learning rate 100 with Jacobs' adaptive gains, 1000 iterations, a start drawn from
 * {@code N(0, 1e-4 I)} with the given seed. {@code O(n^2)} time and memory per iteration: for a few thousand points
 * (the Barnes-Hut approximation is what larger sets need). Deterministic: the same data and seed give the same
 * embedding, bit for bit.
 *
 * <p>Written here: no small, maintained, permissively licensed Java t-SNE library was at hand, and the exact
 * algorithm is a page of code.
 */
public final class Tsne {
    private static final int EXAGGERATION_ITERATIONS = 50;
    private static final double EXAGGERATION = 4;
    private static final int MOMENTUM_SWITCH = 250;
    private static final double MIN_GAIN = 0.01;

    private double perplexity = 30;
    private int iterations = 1000;
    private double learningRate = 100;
    private int dimensions = 2;
    private long seed;

    private Tsne() {
    }

    /**
     * t-SNE with perplexity 30 (the usual choice), seed 0, the paper's other settings.
     *
     * @return the embedding's settings, to be changed or used
     */
    public static Tsne create() {
        return new Tsne();
    }

    /**
     * The effective number of neighbours each point's similarities cover (5 to 50 are usual).
     *
     * @param perplexity positive, and below the number of points
     * @return this t-SNE
     */
    public Tsne perplexity(double perplexity) {
        if (!(perplexity >= 1) || Double.isInfinite(perplexity)) {
            throw new IllegalArgumentException("expected a perplexity of at least 1, found " + perplexity);
        }
        this.perplexity = perplexity;
        return this;
    }

    /**
     * Gradient-descent iterations (1000 unless set; the exaggeration and momentum schedule stays as it is).
     *
     * @param iterations the number of iterations; at least 1
     * @return this t-SNE
     */
    public Tsne iterations(int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("expected a positive number of iterations, found " + iterations);
        }
        this.iterations = iterations;
        return this;
    }

    /**
     * The step before the adaptive gains (100 unless set, as in the paper).
     *
     * @param learningRate the step size; positive
     * @return this t-SNE
     */
    public Tsne learningRate(double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("expected a positive learning rate, found " + learningRate);
        }
        this.learningRate = learningRate;
        return this;
    }

    /**
     * Dimensions of the embedding (2 unless set).
     *
     * @param dimensions the embedding's dimensions; at least 1
     * @return this t-SNE
     */
    public Tsne dimensions(int dimensions) {
        if (dimensions < 1) {
            throw new IllegalArgumentException("expected a positive number of dimensions, found " + dimensions);
        }
        this.dimensions = dimensions;
        return this;
    }

    /**
     * Seed of the starting positions.
     *
     * @param seed any value
     * @return this t-SNE
     */
    public Tsne seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Embeds {@code n} rows of {@code dims} values (one row after another): {@code n x dimensions} coordinates,
     * row after row, centred on the origin.
     *
     * @param data the rows, one after another
     * @param n the number of rows
     * @param dims values per row
     * @return the coordinates
     * @throws IllegalArgumentException when the array does not hold {@code n * dims} values, a value is not
     *         finite, or the perplexity is not below {@code n - 1} (each point has {@code n - 1} neighbours)
     */
    public double[] embed(float[] data, int n, int dims) {
        if (n < 2 || dims < 1) {
            throw new IllegalArgumentException("expected at least 2 rows of at least 1 value, found " + n
                    + " rows of " + dims);
        }
        if (data.length != (long) n * dims) {
            throw new IllegalArgumentException("expected " + n + " x " + dims + " = " + (long) n * dims
                    + " values, found " + data.length);
        }
        if (perplexity >= n - 1) {
            throw new IllegalArgumentException("expected a perplexity below n - 1 = " + (n - 1) + " for " + n
                    + " points (each has " + (n - 1) + " neighbours), found " + perplexity);
        }
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw new IllegalArgumentException("expected finite values, found " + data[i] + " at row "
                        + i / dims + ", column " + i % dims);
            }
        }
        double[] p = TsneAffinities.of(data, n, dims, perplexity);
        return descend(p, n);
    }

    /** Gradient descent on KL(P || Q) from a small random start. */
    private double[] descend(double[] p, int n) {
        int m = dimensions;
        Rng rng = new Rng(seed);
        double[] y = new double[n * m];
        for (int i = 0; i < y.length; i++) {
            y[i] = 1e-2 * rng.nextGaussian();
        }
        double[] update = new double[n * m];
        double[] gains = new double[n * m];
        Arrays.fill(gains, 1);
        double[] kernel = new double[n * n];
        double[] gradient = new double[n * m];
        for (int t = 0; t < iterations; t++) {
            double exaggeration = t < EXAGGERATION_ITERATIONS ? EXAGGERATION : 1;
            double momentum = t < MOMENTUM_SWITCH ? 0.5 : 0.8;
            gradient(p, y, n, m, exaggeration, kernel, gradient);
            for (int i = 0; i < y.length; i++) {
                // Jacobs (1988): a gain grows while the last step still goes downhill, shrinks once it overshot
                boolean downhill = (gradient[i] > 0) != (update[i] > 0);
                gains[i] = Math.max(MIN_GAIN, downhill ? gains[i] + 0.2 : gains[i] * 0.8);
                update[i] = momentum * update[i] - learningRate * gains[i] * gradient[i];
                y[i] += update[i];
            }
            centre(y, n, m);
        }
        return y;
    }

    /**
     * {@code dC/dy_i = 4 sum_j (e p_ij - q_ij) (y_i - y_j) / (1 + |y_i - y_j|^2)}, with {@code e} the
     * exaggeration and {@code q_ij} the normalised Student-t kernel.
     */
    private static void gradient(double[] p, double[] y, int n, int m, double exaggeration, double[] kernel,
            double[] gradient) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            kernel[i * n + i] = 0;
            for (int j = i + 1; j < n; j++) {
                double d = 0;
                for (int k = 0; k < m; k++) {
                    double diff = y[i * m + k] - y[j * m + k];
                    d += diff * diff;
                }
                double q = 1 / (1 + d);
                kernel[i * n + j] = q;
                kernel[j * n + i] = q;
                sum += 2 * q;
            }
        }
        Arrays.fill(gradient, 0);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) {
                    continue;
                }
                double q = kernel[i * n + j];
                double force = 4 * (exaggeration * p[i * n + j] - q / sum) * q;
                for (int k = 0; k < m; k++) {
                    gradient[i * m + k] += force * (y[i * m + k] - y[j * m + k]);
                }
            }
        }
    }

    private static void centre(double[] y, int n, int m) {
        for (int k = 0; k < m; k++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += y[i * m + k];
            }
            mean /= n;
            for (int i = 0; i < n; i++) {
                y[i * m + k] -= mean;
            }
        }
    }
}
