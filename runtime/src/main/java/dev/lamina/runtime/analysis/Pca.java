package dev.lamina.runtime.analysis;

/**
 * Principal component analysis: the top {@code k} eigenvectors of the data's covariance (denominator {@code n - 1},
 * as NumPy's {@code cov} and scikit-learn's explained variance), computed in double by {@link SymmetricEigen}
 * (Jacobi), so the result is the same on every run and machine. Sign convention: each component's entry of largest
 * magnitude is positive (a component is only defined up to sign). Data are {@code n} rows of {@code dims} values,
 * one row after another.
 */
public final class Pca {
    private final int dims;
    private final double[] mean;
    private final double[] components;
    private final double[] variances;
    private final double totalVariance;

    private Pca(int dims, double[] mean, double[] components, double[] variances, double totalVariance) {
        this.dims = dims;
        this.mean = mean;
        this.components = components;
        this.variances = variances;
        this.totalVariance = totalVariance;
    }

    /**
     * {@return the top {@code k} principal components of {@code n} rows of {@code dims} values}
     *
     * @param data the rows, one after another
     * @param n the number of rows
     * @param dims values per row
     * @param k the number of components; in {@code [1, dims]}
     * @throws IllegalArgumentException when the array does not hold {@code n * dims} values, there are fewer than two
     *     rows, {@code k} is not in {@code [1, dims]}, or a value is not finite
     */
    public static Pca fit(float[] data, int n, int dims, int k) {
        if (n < 2 || dims < 1) {
            throw new IllegalArgumentException("expected at least 2 rows of at least 1 value for a covariance, found "
                    + n + " rows of " + dims);
        }
        if (data.length != (long) n * dims) {
            throw new IllegalArgumentException("expected " + n + " x " + dims + " = " + (long) n * dims
                    + " values, found " + data.length);
        }
        if (k < 1 || k > dims) {
            throw new IllegalArgumentException("expected between 1 and " + dims + " components (the data's"
                    + " dimensions), found k = " + k);
        }
        double[] mean = new double[dims];
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw new IllegalArgumentException("expected finite values, found " + data[i] + " at row "
                        + i / dims + ", column " + i % dims);
            }
            mean[i % dims] += data[i];
        }
        for (int j = 0; j < dims; j++) {
            mean[j] /= n;
        }
        double[] covariance = covariance(data, n, dims, mean);
        SymmetricEigen eigen = SymmetricEigen.of(covariance, dims);
        double total = 0;
        for (int j = 0; j < dims; j++) {
            total += covariance[j * dims + j];
        }
        double[] variances = new double[k];
        double[] components = new double[k * dims];
        for (int c = 0; c < k; c++) {
            variances[c] = Math.max(0, eigen.values[c]); // a tiny negative is rounding of a zero
        }
        System.arraycopy(eigen.vectors, 0, components, 0, k * dims);
        return new Pca(dims, mean, components, variances, total);
    }

    private static double[] covariance(float[] data, int n, int dims, double[] mean) {
        double[] c = new double[dims * dims];
        double[] row = new double[dims];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dims; j++) {
                row[j] = data[i * dims + j] - mean[j];
            }
            for (int a = 0; a < dims; a++) {
                double ra = row[a];
                for (int b = a; b < dims; b++) {
                    c[a * dims + b] += ra * row[b];
                }
            }
        }
        for (int a = 0; a < dims; a++) {
            for (int b = a; b < dims; b++) {
                c[a * dims + b] /= n - 1;
                c[b * dims + a] = c[a * dims + b];
            }
        }
        return c;
    }

    /** {@return number of components kept} */
    public int count() {
        return variances.length;
    }

    /**
     * Component {@code c} (0 the largest), a unit vector of {@code dims} values.
     *
     * @param c the component, from 0
     * @return the component's unit vector
     */
    public double[] component(int c) {
        if (c < 0 || c >= count()) {
            throw new IndexOutOfBoundsException("component " + c + " of " + count());
        }
        double[] v = new double[dims];
        System.arraycopy(components, c * dims, v, 0, dims);
        return v;
    }

    /** {@return the data's mean, subtracted before projecting} */
    public double[] mean() {
        return mean.clone();
    }

    /** {@return the variance along each component, largest first (the covariance's eigenvalues)} */
    public double[] variances() {
        return variances.clone();
    }

    /** {@return each component's share of the total variance (all dimensions), largest first} */
    public double[] explainedVarianceRatio() {
        double[] r = new double[variances.length];
        for (int c = 0; c < r.length; c++) {
            r[c] = totalVariance > 0 ? variances[c] / totalVariance : 0;
        }
        return r;
    }

    /**
     * {@return the coordinates of {@code n} rows along the components: {@code n x count()} values, row after row}
     *
     * @param data the rows, one after another, of the fitted dimension
     * @param n the number of rows
     * @throws IllegalArgumentException when the array does not hold {@code n} rows of the fitted dimensions
     */
    public double[] project(float[] data, int n) {
        if (n < 0 || data.length != (long) n * dims) {
            throw new IllegalArgumentException("expected " + n + " x " + dims + " = " + (long) n * dims
                    + " values, found " + data.length);
        }
        int k = count();
        double[] out = new double[n * k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int j = 0; j < dims; j++) {
                    s += (data[i * dims + j] - mean[j]) * components[c * dims + j];
                }
                out[i * k + c] = s;
            }
        }
        return out;
    }
}
