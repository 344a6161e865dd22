package dev.lamina.runtime.metrics;

import dev.lamina.dsl.Loss;

/**
 * A figure computed from {@link Predictions}, named for a history's columns ({@code validation_f1_macro}). The
 * factories give the built-in ones; a {@link dev.lamina.runtime.train.Trainer} records those it is given per epoch.
 */
public interface Metric {

    /** {@return the name, in snake case, that a history's columns carry after {@code train_} or {@code validation_}} */
    String name();

    /**
     * {@return this metric of {@code p}}
     *
     * @param p the scores and targets
     * @throws IllegalStateException when the outputs do not suit this metric (regression errors of class scores)
     */
    double of(Predictions p);

    /**
     * Throws unless outputs of {@code loss}, {@code scoresPerStep} a step, suit this metric: a trainer asks before
     * the first step.
     *
     * @param loss the network's loss
     * @param scoresPerStep the outputs per step
     * @throws IllegalStateException with what the metric expects and what it found
     */
    void check(Loss loss, int scoresPerStep);

    /** {@return the macro mean of the per-class precisions ({@link ConfusionMatrix#macroPrecision})} */
    static Metric precisionMacro() {
        return new NamedMetric("precision_macro", Predictions.Need.CLASSES, p -> p.confusion().macroPrecision());
    }

    /** {@return the macro mean of the per-class recalls ({@link ConfusionMatrix#macroRecall})} */
    static Metric recallMacro() {
        return new NamedMetric("recall_macro", Predictions.Need.CLASSES, p -> p.confusion().macroRecall());
    }

    /** {@return the macro mean of the per-class F1 scores ({@link ConfusionMatrix#macroF1})} */
    static Metric f1Macro() {
        return new NamedMetric("f1_macro", Predictions.Need.CLASSES, p -> p.confusion().macroF1());
    }

    /** {@return the support-weighted mean of the per-class precisions ({@link ConfusionMatrix#weightedPrecision})} */
    static Metric precisionWeighted() {
        return new NamedMetric("precision_weighted", Predictions.Need.CLASSES,
                p -> p.confusion().weightedPrecision());
    }

    /** {@return the support-weighted mean of the per-class recalls ({@link ConfusionMatrix#weightedRecall})} */
    static Metric recallWeighted() {
        return new NamedMetric("recall_weighted", Predictions.Need.CLASSES, p -> p.confusion().weightedRecall());
    }

    /** {@return the support-weighted mean of the per-class F1 scores ({@link ConfusionMatrix#weightedF1})} */
    static Metric f1Weighted() {
        return new NamedMetric("f1_weighted", Predictions.Need.CLASSES, p -> p.confusion().weightedF1());
    }

    /**
     * {@return the top-k accuracy of softmax scores ({@link TopKAccuracy}), named {@code top_k_accuracy} with k}
     *
     * @param k how many of the highest scores count; at least 1
     * @throws IllegalArgumentException when {@code k} is below 1
     */
    static Metric topKAccuracy(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("expected k >= 1, found " + k);
        }
        return new NamedMetric("top_" + k + "_accuracy", Predictions.Need.SOFTMAX, p -> p.topK(k));
    }

    /** {@return the ROC AUC of a binary output ({@link Predictions#rocAuc})} */
    static Metric rocAuc() {
        return new NamedMetric("roc_auc", Predictions.Need.BINARY, Predictions::rocAuc);
    }

    /** {@return the root mean squared error of a regression ({@link RegressionErrors#rmse})} */
    static Metric rmse() {
        return new NamedMetric("rmse", Predictions.Need.VALUES, p -> p.regression().rmse());
    }

    /** {@return the mean absolute error of a regression ({@link RegressionErrors#mae})} */
    static Metric mae() {
        return new NamedMetric("mae", Predictions.Need.VALUES, p -> p.regression().mae());
    }

    /** {@return the coefficient of determination of a regression ({@link RegressionErrors#r2})} */
    static Metric r2() {
        return new NamedMetric("r2", Predictions.Need.VALUES, p -> p.regression().r2());
    }
}
