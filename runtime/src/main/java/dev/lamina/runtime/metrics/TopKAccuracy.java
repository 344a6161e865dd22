package dev.lamina.runtime.metrics;

/**
 * The share of samples whose true class is among the {@code k} highest scores. Ties are ranked as
 * {@link dev.lamina.runtime.ClassScores#argmax} ranks them, the lower index first, so that top-1 accuracy is the
 * accuracy of the predicted classes. (scikit-learn's {@code top_k_accuracy_score} ranks tied scores the higher index
 * first; the fixtures' script reverses the class order to get this rule from it.)
 */
public final class TopKAccuracy {
    private TopKAccuracy() {
    }

    /**
     * {@return the share of the groups of {@code classes} scores in which {@code actual}'s class ranks below {@code k}}
     *
     * @param scores one group of {@code classes} scores per sample, one after another
     * @param classes scores per group; at least 1
     * @param actual each group's true class, in {@code [0, classes)}
     * @param k how many of the highest scores count; at least 1
     * @throws IllegalArgumentException when the sizes do not agree or {@code k} is below 1
     */
    public static double of(float[] scores, int classes, int[] actual, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("expected k >= 1, found " + k);
        }
        if (classes < 1 || actual.length == 0 || scores.length != actual.length * classes) {
            throw new IllegalArgumentException("expected " + actual.length + " groups of " + classes + " scores ("
                    + (long) actual.length * classes + " scores, at least 1), found " + scores.length);
        }
        int hits = 0;
        for (int i = 0; i < actual.length; i++) {
            int base = i * classes;
            int a = actual[i];
            if (a < 0 || a >= classes) {
                throw new IllegalArgumentException("expected the class of sample " + i + " in [0, " + classes
                        + "), found " + a);
            }
            float s = scores[base + a];
            int ahead = 0;
            for (int j = 0; j < classes; j++) {
                float v = scores[base + j];
                if (v > s || (v == s && j < a)) {
                    ahead++;
                }
            }
            hits += ahead < k ? 1 : 0;
        }
        return hits / (double) actual.length;
    }
}
