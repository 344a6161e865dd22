package dev.lamina.runtime;

import dev.lamina.dsl.Loss;

/**
 * How a classifier's scores (the logits {@link Model#predict} returns) become probabilities and classes: the one
 * rule behind {@link Model#probabilities}, {@link Model#classify} and the accuracy
 * {@link dev.lamina.runtime.train.Evaluation} counts, so that the two can never disagree.
 *
 * <ul>
 *   <li>{@link Loss#SOFTMAX_CROSS_ENTROPY}: the probabilities are the softmax of each row's scores (of each step's,
 *       for an output scored at every step), the class the first maximal score ({@link #argmax}).</li>
 *   <li>{@link Loss#SIGMOID_CROSS_ENTROPY}: each output's probability is the logistic function of its score; with
 *       one unit (per step) the class is 1 when the score is {@link #positive} (probability at least 1/2, the
 *       threshold targets are read with), otherwise the first maximal score.</li>
 *   <li>{@link Loss#MEAN_SQUARED_ERROR}: the outputs are not class scores; both refuse.</li>
 * </ul>
 * Classes are decided on the float scores, not on the probabilities: the functions are monotone, but two scores
 * that differ can round to the same probability in double.
 */
public final class ClassScores {
    private ClassScores() {
    }

    /** A row of scores read one at a time (an array, or a model's outputs in place). */
    @FunctionalInterface
    public interface Scores {
        /**
         * Score {@code j}.
         *
         * @param j the score's index within the group
         * @return the score
         */
        float get(int j);
    }

    /**
     * {@return index in {@code [0, count)} of the first maximal score among {@code scores.get(from + j)}: ties go to
     * the
     * lowest index} Comparisons are {@code >}, so a NaN never takes the lead (a NaN first stays first).
     *
     * @param scores where the scores are read
     * @param from the index of the group's first score
     * @param count the number of scores in the group; at least 1
     */
    public static int argmax(Scores scores, int from, int count) {
        int best = 0;
        float max = scores.get(from);
        for (int j = 1; j < count; j++) {
            float v = scores.get(from + j);
            if (v > max) {
                best = j;
                max = v;
            }
        }
        return best;
    }

    /**
     * {@link #argmax(Scores, int, int)} over {@code a[from, from + count)}.
     *
     * @param a the scores
     * @param from the index of the group's first score
     * @param count the number of scores in the group; at least 1
     * @return the index in {@code [0, count)} of the first maximal score
     */
    public static int argmax(float[] a, int from, int count) {
        return argmax(j -> a[j], from, count);
    }

    /**
     * {@return whether a sigmoid output's score decides for the positive class: {@code score >= 0}, i.e. a probability
     * of
     * at least 1/2 (targets count as positive from 0.5 on)}
     *
     * @param score a sigmoid output's score (its logit)
     */
    public static boolean positive(float score) {
        return score >= 0f;
    }

    /**
     * {@return probabilities of {@code n} rows of {@code scores} ({@code scores.length / n} per row, {@code steps}
     * groups
     * per row) under {@code loss}, computed in double: the softmax of each group with its maximum subtracted first
     * (so large scores do not overflow), or the logistic function of each score} A group with a NaN or +infinite
     * score has NaN softmax probabilities.
     *
     * @param loss the network's loss, which says how scores become probabilities
     * @param steps the groups per row (1 unless the output is scored at every step)
     * @param scores {@code n} rows of scores, as {@link Model#predict} returns them
     * @param n the number of rows
     * @throws IllegalStateException for {@link Loss#MEAN_SQUARED_ERROR}, whose outputs are not class scores
     */
    public static double[] probabilities(Loss loss, int steps, float[] scores, int n) {
        int k = classesPerStep(loss, steps, scores, n);
        double[] p = new double[scores.length];
        if (loss == Loss.SIGMOID_CROSS_ENTROPY) {
            for (int i = 0; i < scores.length; i++) {
                p[i] = logistic(scores[i]);
            }
            return p;
        }
        for (int g = 0; g < scores.length; g += k) {
            double max = scores[g + argmax(scores, g, k)];
            double sum = 0;
            for (int j = 0; j < k; j++) {
                double e = Math.exp(scores[g + j] - max);
                p[g + j] = e;
                sum += e;
            }
            for (int j = 0; j < k; j++) {
                p[g + j] /= sum;
            }
        }
        return p;
    }

    /**
     * {@return the class of each of {@code n} rows of {@code scores}, one per step ({@code n * steps} in all): the
     * first
     * maximal score of the step's group, or for a sigmoid output with one unit per step 1 when it is
     * {@link #positive}, else 0}
     *
     * @param loss the network's loss, which says how scores become classes
     * @param steps the groups per row (1 unless the output is scored at every step)
     * @param scores {@code n} rows of scores, as {@link Model#predict} returns them
     * @param n the number of rows
     * @throws IllegalStateException for {@link Loss#MEAN_SQUARED_ERROR}, whose outputs are not class scores
     */
    public static int[] classes(Loss loss, int steps, float[] scores, int n) {
        int k = classesPerStep(loss, steps, scores, n);
        int[] c = new int[scores.length / k];
        for (int g = 0; g < c.length; g++) {
            if (loss == Loss.SIGMOID_CROSS_ENTROPY && k == 1) {
                c[g] = positive(scores[g]) ? 1 : 0;
            } else {
                c[g] = argmax(scores, g * k, k);
            }
        }
        return c;
    }

    /** Scores per step, after checking that they are class scores and that the array holds whole rows. */
    private static int classesPerStep(Loss loss, int steps, float[] scores, int n) {
        if (loss == Loss.MEAN_SQUARED_ERROR) {
            throw new IllegalStateException("the outputs are not class scores: the network minimises the mean"
                    + " squared error (a regression), so they have no probabilities or classes; use predict");
        }
        if (n < 1 || steps < 1 || scores.length % (n * steps) != 0 || scores.length == 0) {
            throw new IllegalArgumentException(scores.length + " scores do not make " + n + " rows of " + steps
                    + " step(s)");
        }
        return scores.length / (n * steps);
    }

    /** The logistic function in double, without overflow for scores of either sign. */
    private static double logistic(float score) {
        if (score >= 0) {
            return 1 / (1 + Math.exp(-score));
        }
        double e = Math.exp(score);
        return e / (1 + e);
    }
}
