package dev.lamina.runtime.analysis.hessian;

import java.util.List;

/**
 * The sequential inverse of an outer-product matrix: starting from {@code (alpha I)^-1}, each term {@code b b^T}
 * is taken in by the Sherman-Morrison identity {@code (A + b b^T)^-1 = A^-1 - (A^-1 b)(A^-1 b)^T / (1 + b^T A^-1
 * b)} (A symmetric). {@code O(W^2)} per term, in double; no factorisation.
 */
public final class ShermanMorrison {
    private ShermanMorrison() {
    }

    /**
     * {@return {@code (alpha I + sum b b^T)^-1}, {@code w x w} row-major}
     *
     * @param w the order
     * @param alpha the damping, positive (it keeps every step's denominator at least 1)
     * @param vectors the terms' vectors, each {@code w} values
     */
    public static double[] inverse(int w, double alpha, List<double[]> vectors) {
        if (!(alpha > 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("expected a positive finite alpha, found " + alpha);
        }
        double[] inv = new double[w * w];
        for (int i = 0; i < w; i++) {
            inv[i * w + i] = 1 / alpha;
        }
        double[] u = new double[w];
        for (double[] b : vectors) {
            Vectors.checkLength("a vector", b, w);
            for (int i = 0; i < w; i++) {
                double s = 0;
                for (int j = 0; j < w; j++) {
                    s += inv[i * w + j] * b[j];
                }
                u[i] = s;
            }
            double denominator = 1 + Vectors.dot(b, u);
            for (int i = 0; i < w; i++) {
                double f = u[i] / denominator;
                for (int j = 0; j < w; j++) {
                    inv[i * w + j] -= f * u[j];
                }
            }
        }
        return inv;
    }
}
