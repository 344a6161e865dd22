package dev.lamina.runtime.analysis;

/**
 * t-SNE's input similarities (van der Maaten and Hinton 2008, section 2): for each point a Gaussian over the
 * others whose precision is found by binary search so that its perplexity, {@code 2^H} with {@code H} its entropy
 * in bits, equals the one asked for; then symmetrised, {@code p_ij = (p_j|i + p_i|j) / 2n}.
 */
final class TsneAffinities {
    private static final int MAX_TRIES = 200;
    private static final double TOLERANCE = 1e-5;

    private TsneAffinities() {
    }

    /** The symmetric {@code n x n} joint probabilities (zero diagonal, summing to 1) of {@code n} rows. */
    static double[] of(float[] data, int n, int dims, double perplexity) {
        double[] distances = squaredDistances(data, n, dims);
        double target = Math.log(perplexity); // entropy in nats: log(perplexity) = H ln 2
        double[] conditional = new double[n * n];
        for (int i = 0; i < n; i++) {
            calibrateRow(distances, n, i, target, conditional);
        }
        double[] p = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                p[i * n + j] = Math.max((conditional[i * n + j] + conditional[j * n + i]) / (2.0 * n), 1e-12);
            }
            p[i * n + i] = 0;
        }
        return p;
    }

    private static double[] squaredDistances(float[] data, int n, int dims) {
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = 0;
                for (int k = 0; k < dims; k++) {
                    double diff = (double) data[i * dims + k] - data[j * dims + k];
                    s += diff * diff;
                }
                d[i * n + j] = s;
                d[j * n + i] = s;
            }
        }
        return d;
    }

    /**
     * Row {@code i} of {@code p_j|i}: bisects the precision beta (doubling or halving until the target entropy is
     * bracketed). Distances are taken relative to the nearest neighbour's, which leaves the distribution unchanged
     * and keeps the exponentials from underflowing.
     */
    private static void calibrateRow(double[] distances, int n, int i, double target, double[] out) {
        double nearest = Double.POSITIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            if (j != i) {
                nearest = Math.min(nearest, distances[i * n + j]);
            }
        }
        double beta = 1;
        double lo = 0;
        double hi = Double.POSITIVE_INFINITY;
        for (int tries = 0; tries < MAX_TRIES; tries++) {
            double entropy = fillRow(distances, n, i, nearest, beta, out);
            if (Math.abs(entropy - target) < TOLERANCE) {
                break;
            }
            if (entropy > target) { // too flat: a narrower Gaussian
                lo = beta;
                beta = Double.isInfinite(hi) ? beta * 2 : (beta + hi) / 2;
            } else {
                hi = beta;
                beta = (beta + lo) / 2;
            }
        }
    }

    /** Writes {@code p_j|i} for precision {@code beta} and returns its entropy in nats. */
    private static double fillRow(double[] distances, int n, int i, double nearest, double beta, double[] out) {
        double sum = 0;
        double weighted = 0;
        for (int j = 0; j < n; j++) {
            if (j == i) {
                out[i * n + j] = 0;
                continue;
            }
            double shifted = distances[i * n + j] - nearest;
            double e = Math.exp(-beta * shifted);
            out[i * n + j] = e;
            sum += e;
            weighted += shifted * e;
        }
        for (int j = 0; j < n; j++) {
            out[i * n + j] /= sum;
        }
        return Math.log(sum) + beta * weighted / sum;
    }
}
