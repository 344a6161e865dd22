package dev.lamina.runtime.analysis.hessian;

/**
 * The full Hessian of a small network, built from W products {@code H e_j} (column {@code j}): {@code W^2}
 * doubles, so for networks of a few thousand parameters at most. What the products give is not exactly symmetric
 * (finite differences, float passes); the matrix kept is the symmetrised {@code (H + H^T) / 2}, and the measured
 * asymmetry {@code max |H_ij - H_ji| / max |H_ij|} is kept beside it as an error estimate.
 */
public final class HessianMatrix {
    /** The largest W built without being asked twice: 4096^2 doubles are 128 MiB. */
    public static final int MAX_SIZE = 4096;

    private final int size;
    private final double[] values;
    private final double asymmetry;

    private HessianMatrix(int size, double[] values, double asymmetry) {
        this.size = size;
        this.values = values;
        this.asymmetry = asymmetry;
    }

    /**
     * {@return the Hessian of {@code hvp}'s loss from {@link HessianVectorProduct#size()} products}
     *
     * @param hvp the operator
     * @throws IllegalArgumentException when the network has more than {@link #MAX_SIZE} parameters
     */
    public static HessianMatrix of(HessianVectorProduct hvp) {
        int w = hvp.size();
        if (w > MAX_SIZE) {
            throw new IllegalArgumentException("expected a small network (at most " + MAX_SIZE + " parameters) for"
                    + " the full Hessian, found " + w + "; use products, the top eigenvalues or the trace instead");
        }
        double[] raw = new double[w * w];
        double[] e = new double[w];
        double[] column = new double[w];
        for (int j = 0; j < w; j++) {
            e[j] = 1;
            hvp.apply(e, column);
            e[j] = 0;
            for (int i = 0; i < w; i++) {
                raw[i * w + j] = column[i];
            }
        }
        return symmetrised(raw, w);
    }

    /**
     * {@return the symmetrised copy of {@code matrix} ({@code size x size}, row-major; not changed) with its
     * asymmetry}
     *
     * @param matrix the matrix, row-major
     * @param size its order
     */
    public static HessianMatrix symmetrised(double[] matrix, int size) {
        if (matrix.length != (long) size * size) {
            throw new IllegalArgumentException("expected " + size + " x " + size + " values, found "
                    + matrix.length);
        }
        double[] sym = new double[size * size];
        double largest = 0;
        double worst = 0;
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                double a = matrix[i * size + j];
                double b = matrix[j * size + i];
                sym[i * size + j] = (a + b) / 2;
                largest = Math.max(largest, Math.abs(a));
                worst = Math.max(worst, Math.abs(a - b));
            }
        }
        return new HessianMatrix(size, sym, largest == 0 ? 0 : worst / largest);
    }

    /** {@return the order W} */
    public int size() {
        return size;
    }

    /**
     * {@return the symmetrised element {@code (i, j)}}
     *
     * @param i the row
     * @param j the column
     */
    public double get(int i, int j) {
        return values[i * size + j];
    }

    /** {@return the symmetrised matrix, row-major, a copy} */
    public double[] values() {
        return values.clone();
    }

    /** {@return {@code max |H_ij - H_ji| / max |H_ij|} of the products before symmetrising} */
    public double asymmetry() {
        return asymmetry;
    }

    /** {@return the diagonal, a new array} */
    public double[] diagonal() {
        double[] d = new double[size];
        for (int i = 0; i < size; i++) {
            d[i] = values[i * size + i];
        }
        return d;
    }

    /** {@return the trace} */
    public double trace() {
        double t = 0;
        for (int i = 0; i < size; i++) {
            t += values[i * size + i];
        }
        return t;
    }

    /**
     * {@return the product of the symmetrised matrix with {@code v}}
     *
     * @param v {@link #size()} values
     */
    public double[] times(double[] v) {
        Vectors.checkLength("a vector", v, size);
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            double s = 0;
            for (int j = 0; j < size; j++) {
                s += values[i * size + j] * v[j];
            }
            out[i] = s;
        }
        return out;
    }
}
