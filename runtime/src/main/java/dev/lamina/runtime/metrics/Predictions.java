package dev.lamina.runtime.metrics;

import dev.lamina.dsl.Loss;
import dev.lamina.runtime.ClassScores;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.data.Dataset;

/**
 * A model's scores (as {@link Model#predict} returns them) beside the targets (as {@link Dataset} holds them), with
 * the classes read from both: predicted classes by {@link ClassScores}' rule (argmax, ties to the lowest index; a
 * single sigmoid unit is class 1 from score 0), true classes the argmax of one-hot targets, or for a single sigmoid
 * unit 1 from target 0.5. An output scored at every step counts each step as a sample.
 */
public final class Predictions {
    private final Loss loss;
    private final int steps;
    private final float[] scores;
    private final float[] targets;
    private final int rows;
    private ConfusionMatrix confusion;

    private Predictions(Loss loss, int steps, float[] scores, float[] targets, int rows) {
        this.loss = loss;
        this.steps = steps;
        this.scores = scores;
        this.targets = targets;
        this.rows = rows;
    }

    /**
     * {@return {@code rows} rows of scores and targets under {@code loss}} The arrays are used, not copied.
     *
     * @param loss the network's loss, which says whether the scores are classes' scores or values
     * @param steps the groups per row (1 unless the output is scored at every step)
     * @param scores {@code rows} rows of scores
     * @param targets {@code rows} rows of targets, as many as scores
     * @param rows the number of rows; at least 1
     * @throws IllegalArgumentException when the arrays do not make {@code rows} rows of whole steps
     */
    public static Predictions of(Loss loss, int steps, float[] scores, float[] targets, int rows) {
        if (rows < 1 || steps < 1 || scores.length != targets.length || scores.length == 0
                || scores.length % ((long) rows * steps) != 0) {
            throw new IllegalArgumentException("expected " + rows + " rows of " + steps + " step(s), as many scores as"
                    + " targets, found " + scores.length + " scores and " + targets.length + " targets");
        }
        return new Predictions(loss, steps, scores, targets, rows);
    }

    /**
     * {@return the predictions of {@code model} on all of {@code data}} One {@link Model#predict} call.
     *
     * @param model the model
     * @param data the samples and their targets
     */
    public static Predictions of(Model model, Dataset data) {
        float[] s = model.predict(data.features(), data.size());
        return of(model.lossKind(), model.state().outputSteps(), s, data.targets(), data.size());
    }

    /** {@return the network's loss} */
    public Loss loss() {
        return loss;
    }

    /** {@return the number of rows} */
    public int rows() {
        return rows;
    }

    /** {@return the scores; the array itself} */
    public float[] scores() {
        return scores;
    }

    /** {@return the targets; the array itself} */
    public float[] targets() {
        return targets;
    }

    /** {@return the number of outputs per row} */
    public int outputs() {
        return scores.length / rows;
    }

    /**
     * {@return the number of classes: the scores per step, or 2 for a single sigmoid unit}
     *
     * @throws IllegalStateException when the outputs are not one class decision per step (see {@link #check})
     */
    public int classes() {
        int k = scoresPerStep();
        return loss == Loss.SIGMOID_CROSS_ENTROPY ? 2 : k;
    }

    private int scoresPerStep() {
        return outputs() / steps;
    }

    /**
     * Throws unless the outputs suit {@code need}.
     *
     * @param need what a metric needs
     * @param metric the metric's name, for the message
     * @throws IllegalStateException with what was expected and what was found
     */
    void check(Need need, String metric) {
        need.check(loss, scoresPerStep(), metric);
    }

    /** {@return each sample's predicted class, one per row and step} */
    public int[] predicted() {
        check(Need.CLASSES, "classes");
        return ClassScores.classes(loss, steps, scores, rows);
    }

    /** {@return each sample's true class, one per row and step} */
    public int[] actual() {
        check(Need.CLASSES, "classes");
        int k = scoresPerStep();
        int[] c = new int[targets.length / k];
        for (int g = 0; g < c.length; g++) {
            c[g] = loss == Loss.SIGMOID_CROSS_ENTROPY ? (targets[g] >= 0.5f ? 1 : 0)
                    : ClassScores.argmax(targets, g * k, k);
        }
        return c;
    }

    /** {@return the confusion matrix of {@link #actual} against {@link #predicted}; computed once} */
    public ConfusionMatrix confusion() {
        if (confusion == null) {
            confusion = ConfusionMatrix.of(actual(), predicted(), classes());
        }
        return confusion;
    }

    /**
     * {@return the top-k accuracy of the softmax scores}
     *
     * @param k how many of the highest scores count
     */
    public double topK(int k) {
        check(Need.SOFTMAX, "top-" + k + " accuracy");
        return TopKAccuracy.of(scores, scoresPerStep(), actual(), k);
    }

    /**
     * {@return the ROC AUC of a binary output: a single sigmoid unit's score, or the difference of two softmax
     * scores (the logit of the second class's probability), against the true classes}
     */
    public double rocAuc() {
        check(Need.BINARY, "ROC AUC");
        int[] actual = actual();
        double[] s = new double[actual.length];
        boolean[] positive = new boolean[actual.length];
        for (int g = 0; g < s.length; g++) {
            s[g] = loss == Loss.SIGMOID_CROSS_ENTROPY ? scores[g] : (double) scores[2 * g + 1] - scores[2 * g];
            positive[g] = actual[g] == 1;
        }
        return RocAuc.of(s, positive);
    }

    /** {@return RMSE, MAE and R² of the outputs taken as values} */
    public RegressionErrors regression() {
        check(Need.VALUES, "regression errors");
        return RegressionErrors.of(scores, targets, outputs());
    }

    /** What a metric needs of the outputs. */
    enum Need {
        /** One class decision per step: softmax scores, or a single sigmoid unit. */
        CLASSES,
        /** Softmax scores. */
        SOFTMAX,
        /** A single sigmoid unit, or two softmax scores. */
        BINARY,
        /** Values: a mean-squared-error output. */
        VALUES;

        /** Throws unless outputs of {@code loss} with {@code perStep} scores a step suit this need. */
        void check(Loss loss, int perStep, String metric) {
            boolean values = loss == Loss.MEAN_SQUARED_ERROR;
            boolean softmax = !values && loss != Loss.SIGMOID_CROSS_ENTROPY;
            boolean ok = switch (this) {
                case CLASSES -> softmax || (!values && perStep == 1);
                case SOFTMAX -> softmax;
                case BINARY -> (softmax && perStep == 2) || (!values && !softmax && perStep == 1);
                case VALUES -> values;
            };
            if (!ok) {
                String expected = switch (this) {
                    case CLASSES -> "softmax scores or a single sigmoid unit";
                    case SOFTMAX -> "softmax scores";
                    case BINARY -> "a single sigmoid unit or two softmax scores";
                    case VALUES -> "a regression (mean squared error) output";
                };
                throw new IllegalStateException(metric + " expected " + expected + ", found " + loss + " with "
                        + perStep + " score(s) per step");
            }
        }
    }
}
