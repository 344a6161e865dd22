package dev.lamina.runtime.data;

/**
 * Input standardisation {@code (x - mean) / std} per feature, with statistics from the training set only; apply
 * the same instance to validation and test sets. Features with zero spread are centred and left unscaled.
 */
public final class Standardizer {
    private final float[] mean;
    private final float[] std;

    private Standardizer(float[] mean, float[] std) {
        this.mean = mean;
        this.std = std;
    }

    /**
     * {@return the mean and standard deviation of each feature over {@code train}}
     *
     * @param train the training set
     */
    public static Standardizer fit(Dataset train) {
        int d = train.featureSize();
        int n = train.size();
        double[] sum = new double[d];
        double[] sq = new double[d];
        float[] x = train.features();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double v = x[i * d + j];
                sum[j] += v;
                sq[j] += v * v;
            }
        }
        float[] mean = new float[d];
        float[] std = new float[d];
        for (int j = 0; j < d; j++) {
            double m = sum[j] / n;
            double var = Math.max(sq[j] / n - m * m, 0);
            mean[j] = (float) m;
            std[j] = var > 1e-12 ? (float) Math.sqrt(var) : 1f;
        }
        return new Standardizer(mean, std);
    }

    /**
     * {@return a copy of {@code data} with each feature standardised; throws {@link IllegalArgumentException} when its
     * feature
     * count differs from the training set's}
     *
     * @param data a set with the training set's features
     */
    public Dataset apply(Dataset data) {
        if (data.featureSize() != mean.length) {
            throw new IllegalArgumentException("standardizer was fit on " + mean.length + " features, the data set has "
                    + data.featureSize());
        }
        float[] x = data.features().clone();
        int d = mean.length;
        for (int i = 0; i < x.length; i++) {
            int j = i % d;
            x[i] = (x[i] - mean[j]) / std[j];
        }
        return new Dataset(x, data.shape(), data.targets(), data.targetSize());
    }

    /** {@return each feature's mean over the training set; a copy} */
    public float[] mean() {
        return mean.clone();
    }

    /**
     * {@return each feature's standard deviation over the training set (1 where it was 0, so such a feature is only
     * centred); a
     * copy}
     */
    public float[] std() {
        return std.clone();
    }
}
