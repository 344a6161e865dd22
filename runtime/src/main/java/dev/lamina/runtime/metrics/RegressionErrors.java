package dev.lamina.runtime.metrics;

/**
 * RMSE, MAE and R² of predicted values against targets, each computed per output column and then averaged over the
 * columns with equal weights: scikit-learn's {@code multioutput="uniform_average"} (for one output, the plain
 * figures). The RMSE is the mean of the columns' root mean squared errors, as scikit-learn 1.2's
 * {@code mean_squared_error(squared=False)}.
 *
 * <p>A column whose targets are all equal has no variance: its R² is 1 when it is predicted exactly and 0 otherwise
 * (scikit-learn's {@code force_finite=True}).
 */
public final class RegressionErrors {
    private final double rmse;
    private final double mae;
    private final double r2;

    private RegressionErrors(double rmse, double mae, double r2) {
        this.rmse = rmse;
        this.mae = mae;
        this.r2 = r2;
    }

    /**
     * {@return the errors of {@code predicted} against {@code targets}, both rows of {@code outputs} values}
     *
     * @param predicted the predicted values, row after row
     * @param targets the true values, laid out as {@code predicted}
     * @param outputs values per row; at least 1
     * @throws IllegalArgumentException when the lengths differ or are not whole, non-empty rows
     */
    public static RegressionErrors of(float[] predicted, float[] targets, int outputs) {
        if (outputs < 1 || predicted.length != targets.length || predicted.length == 0
                || predicted.length % outputs != 0) {
            throw new IllegalArgumentException("expected as many predictions as targets, in whole rows of " + outputs
                    + " (at least one row), found " + predicted.length + " predictions and " + targets.length
                    + " targets");
        }
        int n = predicted.length / outputs;
        double rmse = 0;
        double mae = 0;
        double r2 = 0;
        for (int j = 0; j < outputs; j++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += targets[i * outputs + j];
            }
            mean /= n;
            double squares = 0;
            double absolutes = 0;
            double variance = 0;
            for (int i = 0; i < n; i++) {
                double t = targets[i * outputs + j];
                double e = t - predicted[i * outputs + j];
                squares += e * e;
                absolutes += Math.abs(e);
                variance += (t - mean) * (t - mean);
            }
            rmse += Math.sqrt(squares / n);
            mae += absolutes / n;
            r2 += variance == 0 ? (squares == 0 ? 1 : 0) : 1 - squares / variance;
        }
        return new RegressionErrors(rmse / outputs, mae / outputs, r2 / outputs);
    }

    /** {@return the root mean squared error, averaged over the outputs} */
    public double rmse() {
        return rmse;
    }

    /** {@return the mean absolute error, averaged over the outputs} */
    public double mae() {
        return mae;
    }

    /** {@return the coefficient of determination, averaged over the outputs} */
    public double r2() {
        return r2;
    }
}
