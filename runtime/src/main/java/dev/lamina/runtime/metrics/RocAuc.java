package dev.lamina.runtime.metrics;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The area under the ROC curve of a binary classifier: the probability that a positive sample scores above a
 * negative one, ties counting one half (the Mann-Whitney statistic, which is the trapezoidal area scikit-learn's
 * {@code roc_auc_score} computes, tied scores included).
 */
public final class RocAuc {
    private RocAuc() {
    }

    /**
     * {@return the area under the ROC curve of {@code scores} for the labels {@code positive}; NaN when all samples
     * are of one class} (scikit-learn raises an error there; a history records NaN, as for a missing figure.)
     *
     * @param scores each sample's score; higher means more likely positive; finite
     * @param positive each sample's true label
     * @throws IllegalArgumentException when the lengths differ, are 0, or a score is not finite
     */
    public static double of(double[] scores, boolean[] positive) {
        int n = scores.length;
        if (n != positive.length || n == 0) {
            throw new IllegalArgumentException("expected as many labels as scores (at least 1), found "
                    + positive.length + " labels and " + n + " scores");
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException("expected finite scores, found " + scores[i] + " at " + i);
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        // sum of the positives' ranks (from 1), tied scores sharing their mean rank
        double rankSum = 0;
        long positives = 0;
        for (int start = 0; start < n; ) {
            int end = start;
            while (end < n && scores[order[end]] == scores[order[start]]) {
                end++;
            }
            double meanRank = (start + 1 + end) / 2.0;
            for (int i = start; i < end; i++) {
                if (positive[order[i]]) {
                    rankSum += meanRank;
                    positives++;
                }
            }
            start = end;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
