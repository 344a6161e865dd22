package dev.lamina.runtime.analysis;

import java.util.Arrays;

/**
 * Eigenvalues and eigenvectors of a symmetric matrix by the cyclic Jacobi method: rotations that zero one
 * off-diagonal element at a time until the off-diagonal part is negligible. Accurate to working precision for
 * every eigenpair, deterministic, and {@code O(d^3)} per sweep (a handful of sweeps): the right tool for the
 * covariance of a few hundred features, written here rather than pulled in for one use.
 */
final class SymmetricEigen {
    private static final int MAX_SWEEPS = 100;

    /** Eigenvalues, largest first. */
    final double[] values;
    /** Eigenvectors as rows ({@code d x d}), in the order of {@link #values}, each of unit length. */
    final double[] vectors;

    private SymmetricEigen(double[] values, double[] vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    /**
     * Decomposes {@code matrix} ({@code d x d}, row-major, symmetric; not changed). Each eigenvector's sign is
     * chosen so that its component of largest magnitude (the first of equals) is positive.
     */
    static SymmetricEigen of(double[] matrix, int d) {
        double[] a = matrix.clone();
        double[] v = new double[d * d];
        for (int i = 0; i < d; i++) {
            v[i * d + i] = 1;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS && !diagonal(a, d); sweep++) {
            for (int p = 0; p < d - 1; p++) {
                for (int q = p + 1; q < d; q++) {
                    if (a[p * d + q] != 0) {
                        rotate(a, v, d, p, q);
                    }
                }
            }
        }
        return sorted(a, v, d);
    }

    /** Whether the off-diagonal part is negligible next to the diagonal. */
    private static boolean diagonal(double[] a, int d) {
        double off = 0;
        double on = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double x = a[i * d + j] * a[i * d + j];
                if (i == j) {
                    on += x;
                } else {
                    off += x;
                }
            }
        }
        return off <= 1e-30 * on || off == 0;
    }

    /** {@code a <- J^T a J}, {@code v <- v J} for the rotation in the (p, q) plane that zeroes {@code a[p][q]}. */
    private static void rotate(double[] a, double[] v, int d, int p, int q) {
        double apq = a[p * d + q];
        double theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        if (theta == 0) {
            t = 1;
        }
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        for (int k = 0; k < d; k++) { // columns p and q
            double akp = a[k * d + p];
            double akq = a[k * d + q];
            a[k * d + p] = c * akp - s * akq;
            a[k * d + q] = s * akp + c * akq;
        }
        for (int k = 0; k < d; k++) { // rows p and q
            double apk = a[p * d + k];
            double aqk = a[q * d + k];
            a[p * d + k] = c * apk - s * aqk;
            a[q * d + k] = s * apk + c * aqk;
        }
        a[p * d + q] = 0; // exactly, not a rounding residue
        a[q * d + p] = 0;
        for (int k = 0; k < d; k++) {
            double vkp = v[k * d + p];
            double vkq = v[k * d + q];
            v[k * d + p] = c * vkp - s * vkq;
            v[k * d + q] = s * vkp + c * vkq;
        }
    }

    /** The diagonal as eigenvalues, largest first (ties in index order), with v's columns as signed rows. */
    private static SymmetricEigen sorted(double[] a, double[] v, int d) {
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(a[y * d + y], a[x * d + x]));
        double[] values = new double[d];
        double[] vectors = new double[d * d];
        for (int r = 0; r < d; r++) {
            int col = order[r];
            values[r] = a[col * d + col];
            int largest = 0;
            for (int k = 1; k < d; k++) {
                if (Math.abs(v[k * d + col]) > Math.abs(v[largest * d + col])) {
                    largest = k;
                }
            }
            double sign = v[largest * d + col] < 0 ? -1 : 1;
            for (int k = 0; k < d; k++) {
                vectors[r * d + k] = sign * v[k * d + col];
            }
        }
        return new SymmetricEigen(values, vectors);
    }
}
