package dev.lamina.runtime.train;

import dev.lamina.dsl.Loss;
import dev.lamina.runtime.ClassScores;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.data.Dataset;
import java.util.List;

/**
 * Mean loss and accuracy of a model on a data set, in inference mode.
 *
 * @param loss the mean loss
 * @param accuracy the share classified right; NaN for a loss that is not a classification loss
 */
public record Evaluation(double loss, double accuracy) {

    /**
     * Evaluates in batches of {@code batchSize}; restores the model's train/eval mode afterwards.
     *
     * @param model the model evaluated
     * @param data the samples and their targets
     * @param batchSize samples per forward pass
     * @return the mean loss and the accuracy
     */
    public static Evaluation of(Model model, Dataset data, int batchSize) {
        return of(model, data, batchSize, null);
    }

    /** {@link #of(Model, Dataset, int)}, copying the outputs into {@code scores} too when it is not null. */
    private static Evaluation of(Model model, Dataset data, int batchSize, float[] scores) {
        boolean wasTraining = model.isTraining();
        model.setTraining(false);
        try {
            double loss = 0;
            double correct = 0;
            int n = data.size();
            model.reserve(Math.min(batchSize, n));
            for (int start = 0; start < n; start += batchSize) {
                int rows = Math.min(batchSize, n - start);
                for (int r = 0; r < rows; r++) {
                    model.setInput(r, data.features(), (start + r) * data.featureSize());
                    model.setTarget(r, data.targets(), (start + r) * data.targetSize());
                }
                model.forward(rows);
                copyOutputs(model, scores, start, rows);
                loss += model.loss(rows) * rows;
                correct += correct(model, data.targets(), start, rows);
            }
            boolean classification = model.lossKind() != Loss.MEAN_SQUARED_ERROR;
            return new Evaluation(loss / n, classification ? correct / (double) n : Double.NaN);
        } finally {
            model.setTraining(wasTraining);
        }
    }

    /**
     * Evaluates as {@link #of(Model, Dataset, int)} does, with the loss a trainer has beside or instead of the fused
     * one: the {@link LossFunction} when not null (its accuracy by {@link LossFunction#correct}, NaN for a loss that
     * does not classify), and the activity penalties added to the loss, as Keras adds its regularisation losses to
     * the validation loss.
     */
    static Evaluation of(Model model, Dataset data, int batchSize, LossFunction function, List<ActivityL1> penalties) {
        return of(model, data, batchSize, function, penalties, null);
    }

    /**
     * {@link #of(Model, Dataset, int, LossFunction, List)}, copying the outputs into {@code scores} too when it is
     * not null (the metrics then read them: no second pass).
     */
    static Evaluation of(Model model, Dataset data, int batchSize, LossFunction function, List<ActivityL1> penalties,
            float[] scores) {
        if (function == null && penalties.isEmpty()) {
            return of(model, data, batchSize, scores);
        }
        boolean wasTraining = model.isTraining();
        model.setTraining(false);
        try {
            ExtendedLoss extended = new ExtendedLoss(model, function, penalties);
            double loss = 0;
            double correct = 0;
            int n = data.size();
            model.reserve(Math.min(batchSize, n));
            for (int start = 0; start < n; start += batchSize) {
                int rows = Math.min(batchSize, n - start);
                for (int r = 0; r < rows; r++) {
                    model.setInput(r, data.features(), (start + r) * data.featureSize());
                    model.setTarget(r, data.targets(), (start + r) * data.targetSize());
                }
                model.forward(rows);
                copyOutputs(model, scores, start, rows);
                loss += extended.evaluate(rows, data.targets(), start, false) * rows;
                correct += extended.correct(rows, data.targets(), start);
            }
            return new Evaluation(loss / n, correct / (double) n);
        } finally {
            model.setTraining(wasTraining);
        }
    }

    /** Copies the last forward pass's {@code rows} outputs to {@code scores} from row {@code start}, unless null. */
    static void copyOutputs(Model model, float[] scores, int start, int rows) {
        if (scores == null) {
            return;
        }
        int size = model.outputSize();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < size; j++) {
                scores[(start + r) * size + j] = model.output(r, j);
            }
        }
    }

    /**
     * Rows of the last forward pass that are right: argmax of scores equals argmax of targets (softmax), or every
     * label's sign agrees (sigmoid). For an output scored at every step, each row counts the share of its steps
     * that are right. Scores become classes by {@link ClassScores}' rule, the one {@link Model#classify} uses.
     */
    static double correct(Model model, float[] t, int start, int rows) {
        int size = model.outputSize();
        int steps = model.state().outputSteps();
        int k = size / steps;
        double right = 0;
        for (int r = 0; r < rows; r++) {
            int row = r;
            ClassScores.Scores scores = j -> model.output(row, j);
            if (model.lossKind() == Loss.SIGMOID_CROSS_ENTROPY) {
                int base = (start + r) * size;
                boolean all = true;
                for (int j = 0; j < size; j++) {
                    all &= ClassScores.positive(scores.get(j)) == (t[base + j] >= 0.5f);
                }
                right += all ? 1 : 0;
                continue;
            }
            int stepsRight = 0;
            for (int s = 0; s < steps; s++) {
                int best = ClassScores.argmax(scores, s * k, k);
                int target = ClassScores.argmax(t, (start + r) * size + s * k, k);
                stepsRight += best == target ? 1 : 0;
            }
            right += stepsRight / (double) steps;
        }
        return right;
    }
}
