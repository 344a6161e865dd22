package dev.lamina.runtime.metrics;

/**
 * Counts of (actual, predicted) class pairs, with the per-class precision, recall and F1 read from them and their
 * macro and weighted means.
 *
 * <p>Undefined ratios follow scikit-learn's {@code zero_division=0}: the precision of a class never predicted, the
 * recall of a class never present, and the F1 of a class whose precision and recall are both 0 are 0. A class never
 * present still counts in the macro mean (as in scikit-learn when it is named in {@code labels}); it has weight 0 in
 * the weighted mean, which weighs each class by its support (how often it is present).
 */
public final class ConfusionMatrix {
    private final long[][] counts;
    private final long total;

    private ConfusionMatrix(long[][] counts, long total) {
        this.counts = counts;
        this.total = total;
    }

    /**
     * {@return the matrix of {@code classes} classes counting each {@code (actual[i], predicted[i])}}
     *
     * @param actual the true class of each sample, in {@code [0, classes)}
     * @param predicted the predicted class of each sample, in {@code [0, classes)}
     * @param classes the number of classes; at least 1
     * @throws IllegalArgumentException when the arrays differ in length, are empty, or hold a class out of range
     */
    public static ConfusionMatrix of(int[] actual, int[] predicted, int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("expected at least 1 class, found " + classes);
        }
        if (actual.length != predicted.length || actual.length == 0) {
            throw new IllegalArgumentException("expected as many predicted classes as actual ones (at least 1), found "
                    + predicted.length + " predicted and " + actual.length + " actual");
        }
        long[][] c = new long[classes][classes];
        for (int i = 0; i < actual.length; i++) {
            check(actual[i], classes, "actual", i);
            check(predicted[i], classes, "predicted", i);
            c[actual[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(c, actual.length);
    }

    private static void check(int c, int classes, String which, int i) {
        if (c < 0 || c >= classes) {
            throw new IllegalArgumentException("expected the " + which + " class of sample " + i + " in [0, "
                    + classes + "), found " + c);
        }
    }

    /** {@return the number of classes} */
    public int classes() {
        return counts.length;
    }

    /**
     * {@return how many samples of class {@code actual} were predicted as {@code predicted}} Rows are actual
     * classes, columns predicted ones, as scikit-learn's {@code confusion_matrix}.
     *
     * @param actual the true class
     * @param predicted the predicted class
     */
    public long count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    /** {@return the counts, rows actual classes and columns predicted ones; a copy} */
    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    /** {@return the number of samples counted} */
    public long total() {
        return total;
    }

    /**
     * {@return how many samples are of class {@code c}}
     *
     * @param c a class
     */
    public long support(int c) {
        long s = 0;
        for (long v : counts[c]) {
            s += v;
        }
        return s;
    }

    /** How many samples were predicted as class {@code c}. */
    private long predictedCount(int c) {
        long s = 0;
        for (long[] row : counts) {
            s += row[c];
        }
        return s;
    }

    /** {@return the share of samples whose predicted class is the actual one} */
    public double accuracy() {
        long right = 0;
        for (int c = 0; c < counts.length; c++) {
            right += counts[c][c];
        }
        return right / (double) total;
    }

    /**
     * {@return the share of samples predicted as {@code c} that are of class {@code c}; 0 when none was predicted as
     * {@code c}}
     *
     * @param c a class
     */
    public double precision(int c) {
        long p = predictedCount(c);
        return p == 0 ? 0 : counts[c][c] / (double) p;
    }

    /**
     * {@return the share of samples of class {@code c} predicted as {@code c}; 0 when no sample is of class {@code c}}
     *
     * @param c a class
     */
    public double recall(int c) {
        long s = support(c);
        return s == 0 ? 0 : counts[c][c] / (double) s;
    }

    /**
     * {@return the harmonic mean of {@link #precision} and {@link #recall} of {@code c}; 0 when both are 0}
     *
     * @param c a class
     */
    public double f1(int c) {
        // 2tp / (2tp + fp + fn): equal to 2pr / (p + r), from the counts rather than two rounded ratios
        long tp = counts[c][c];
        long denominator = support(c) + predictedCount(c);
        return denominator == 0 ? 0 : 2.0 * tp / denominator;
    }

    /** {@return the unweighted mean of the per-class precisions} */
    public double macroPrecision() {
        return macro(this::precision);
    }

    /** {@return the unweighted mean of the per-class recalls} */
    public double macroRecall() {
        return macro(this::recall);
    }

    /** {@return the unweighted mean of the per-class F1 scores} */
    public double macroF1() {
        return macro(this::f1);
    }

    /** {@return the mean of the per-class precisions weighted by support} */
    public double weightedPrecision() {
        return weighted(this::precision);
    }

    /** {@return the mean of the per-class recalls weighted by support} */
    public double weightedRecall() {
        return weighted(this::recall);
    }

    /** {@return the mean of the per-class F1 scores weighted by support} */
    public double weightedF1() {
        return weighted(this::f1);
    }

    private double macro(java.util.function.IntToDoubleFunction perClass) {
        double sum = 0;
        for (int c = 0; c < counts.length; c++) {
            sum += perClass.applyAsDouble(c);
        }
        return sum / counts.length;
    }

    private double weighted(java.util.function.IntToDoubleFunction perClass) {
        double sum = 0;
        for (int c = 0; c < counts.length; c++) {
            sum += perClass.applyAsDouble(c) * support(c);
        }
        return sum / total;
    }
}
