package dev.lamina.runtime.analysis.hessian;

/**
 * Solving {@code A x = b} for a small dense matrix in double: Cholesky for a symmetric positive definite
 * {@code A} (refusing any other with the pivot that failed), LU with partial pivoting otherwise (refusing a
 * singular one). {@code O(W^3)}: for the Hessians of small networks.
 */
public final class DenseSolve {
    private DenseSolve() {
    }

    /**
     * {@return {@code x} with {@code A x = b}, by Cholesky's factorisation {@code A = L L^T}}
     *
     * @param a the matrix, {@code w x w} row-major, symmetric (only its lower triangle is read); not changed
     * @param b the right-hand side, {@code w} values; not changed
     * @throws IllegalArgumentException when {@code A} is not positive definite (a pivot is not positive): the
     *         message names the pivot; an indefinite Hessian has no Newton step towards a minimum
     */
    public static double[] cholesky(double[] a, double[] b) {
        int w = order(a, b);
        double[] l = new double[w * w];
        for (int j = 0; j < w; j++) {
            double d = a[j * w + j];
            for (int k = 0; k < j; k++) {
                d -= l[j * w + k] * l[j * w + k];
            }
            if (!(d > 0)) {
                throw new IllegalArgumentException("expected a positive definite matrix for Cholesky's"
                        + " factorisation, found pivot " + j + " of " + w + " = " + d + " (the matrix is indefinite"
                        + " or singular: add damping, or solve by LU)");
            }
            double root = Math.sqrt(d);
            l[j * w + j] = root;
            for (int i = j + 1; i < w; i++) {
                double s = a[i * w + j];
                for (int k = 0; k < j; k++) {
                    s -= l[i * w + k] * l[j * w + k];
                }
                l[i * w + j] = s / root;
            }
        }
        double[] y = new double[w];
        for (int i = 0; i < w; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i * w + k] * y[k];
            }
            y[i] = s / l[i * w + i];
        }
        double[] x = new double[w];
        for (int i = w - 1; i >= 0; i--) {
            double s = y[i];
            for (int k = i + 1; k < w; k++) {
                s -= l[k * w + i] * x[k];
            }
            x[i] = s / l[i * w + i];
        }
        return x;
    }

    /**
     * {@return {@code x} with {@code A x = b}, by LU with partial pivoting}
     *
     * @param a the matrix, {@code w x w} row-major; not changed
     * @param b the right-hand side, {@code w} values; not changed
     * @throws IllegalArgumentException when {@code A} is singular (a pivot column is zero)
     */
    public static double[] lu(double[] a, double[] b) {
        int w = order(a, b);
        double[] m = a.clone();
        double[] x = b.clone();
        for (int c = 0; c < w; c++) {
            int p = c;
            for (int r = c + 1; r < w; r++) {
                if (Math.abs(m[r * w + c]) > Math.abs(m[p * w + c])) {
                    p = r;
                }
            }
            if (m[p * w + c] == 0) {
                throw new IllegalArgumentException("expected a non-singular matrix, found column " + c + " of " + w
                        + " with no non-zero pivot");
            }
            if (p != c) {
                for (int k = 0; k < w; k++) {
                    double t = m[c * w + k];
                    m[c * w + k] = m[p * w + k];
                    m[p * w + k] = t;
                }
                double t = x[c];
                x[c] = x[p];
                x[p] = t;
            }
            for (int r = c + 1; r < w; r++) {
                double f = m[r * w + c] / m[c * w + c];
                if (f != 0) {
                    for (int k = c; k < w; k++) {
                        m[r * w + k] -= f * m[c * w + k];
                    }
                    x[r] -= f * x[c];
                }
            }
        }
        for (int i = w - 1; i >= 0; i--) {
            double s = x[i];
            for (int k = i + 1; k < w; k++) {
                s -= m[i * w + k] * x[k];
            }
            x[i] = s / m[i * w + i];
        }
        return x;
    }

    /**
     * {@return the inverse of {@code A} ({@code w x w} row-major), column by column by LU}
     *
     * @param a the matrix; not changed
     * @param w its order
     * @throws IllegalArgumentException when {@code A} is singular
     */
    public static double[] inverse(double[] a, int w) {
        double[] inv = new double[w * w];
        double[] e = new double[w];
        for (int j = 0; j < w; j++) {
            e[j] = 1;
            double[] col = lu(a, e);
            e[j] = 0;
            for (int i = 0; i < w; i++) {
                inv[i * w + j] = col[i];
            }
        }
        return inv;
    }

    private static int order(double[] a, double[] b) {
        int w = b.length;
        if (a.length != (long) w * w) {
            throw new IllegalArgumentException("expected a " + w + " x " + w + " matrix (" + ((long) w * w)
                    + " values) for a right-hand side of " + w + ", found " + a.length + " values");
        }
        return w;
    }
}
