package dev.lamina.runtime.train;

import dev.lamina.runtime.Model;
import java.util.List;

/**
 * Internal, not API: lamina-spark's door to the package-private parts of the trainer's bookkeeping ({@link History},
 * {@link EarlyStopping}, {@link TrainingContext}, the accuracy count of {@link Evaluation}), so that training on
 * Spark keeps the same history, early stopping and listeners as {@link Trainer} without copying them. It lives in
 * this package, in lamina-spark's jar, and may change in any release.
 */
public final class SparkAccess {
    private SparkAccess() {
    }

    /**
     * {@return a fit's context for the listeners}
     *
     * @param model the trained model
     * @param history the fit's history
     * @param epochs the epochs asked for
     */
    public static TrainingContext context(Model model, History history, int epochs) {
        return new TrainingContext(model, history, epochs);
    }

    /**
     * Appends an epoch's record to a history.
     *
     * @param history the history
     * @param record the epoch's figures
     */
    public static void add(History history, EpochRecord record) {
        history.add(record);
    }

    /**
     * Declares the metric columns of a history (none for Spark training yet).
     *
     * @param history the history
     * @param columns the metric columns
     */
    public static void declareMetrics(History history, List<String> columns) {
        history.declareMetrics(columns);
    }

    /**
     * Records how early stopping ended.
     *
     * @param history the history
     * @param stopping the early stopping rule
     * @param early whether training stopped before the last epoch
     */
    public static void stopped(History history, EarlyStopping stopping, boolean early) {
        history.stopped(stopping.bestStep(), stopping.bestEpoch(), early);
    }

    /**
     * {@return whether the rule watches the validation loss (else the accuracy)}
     *
     * @param stopping the rule
     */
    public static boolean onLoss(EarlyStopping stopping) {
        return stopping.onLoss();
    }

    /**
     * {@return the rule's evaluation period in steps (0: once per epoch)}
     *
     * @param stopping the rule
     */
    public static int everySteps(EarlyStopping stopping) {
        return stopping.everySteps();
    }

    /**
     * Records one evaluation.
     *
     * @param stopping the rule
     * @param loss the validation loss
     * @param accuracy the validation accuracy
     * @param step the optimizer steps so far
     * @param epoch the epoch, from 1
     * @param model the model (its parameters are kept when they are the best so far and the rule restores)
     * @return true when training should stop
     */
    public static boolean evaluate(EarlyStopping stopping, double loss, double accuracy, long step, int epoch,
            Model model) {
        return stopping.evaluate(loss, accuracy, step, epoch, model);
    }

    /**
     * Puts the best parameters back when the rule restores them.
     *
     * @param stopping the rule
     * @param model the model
     */
    public static void finish(EarlyStopping stopping, Model model) {
        stopping.finish(model);
    }

    /**
     * {@return the rows of the last forward pass whose class is right, as {@link Trainer} counts them}
     *
     * @param model the model after a forward pass over {@code rows} rows
     * @param rows the rows
     */
    public static double correct(Model model, int rows) {
        return Evaluation.correct(model, model.state().targets(rows), 0, rows);
    }

    /**
     * {@return whether the model's loss counts a class accuracy}
     *
     * @param model the model
     */
    public static boolean classifies(Model model) {
        return ExtendedLoss.classifies(model, null);
    }
}
