package dev.lamina.runtime.train;

import dev.lamina.runtime.Model;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * Internal, not API: the door of Lamina's other modules (lamina-spark) to the package-private parts of training:
 * the bookkeeping ({@link History}, {@link EarlyStopping}, {@link TrainingContext}, the accuracy count of {@link
 * Evaluation}), so that training on Spark keeps the same history, early stopping and listeners as {@link Trainer}
 * without copying them, and the {@link Optimizer}'s state, so that data-parallel replicas can average it and a
 * driver can checkpoint it. It lives in the runtime's jar (no other jar puts classes into this package) and may
 * change in any release.
 */
public final class TrainingInternals {
    private TrainingInternals() {
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

    /**
     * {@return the optimizer's state as one flat array of {@code parameterCount} floats per slot (none for plain SGD,
     * one for momentum, AdaGrad and RMSProp, two for Adam), copied; zeros before its first step}
     *
     * @param optimizer the optimizer
     * @param parameterCount the model's parameter count
     * @throws IllegalArgumentException when the optimizer holds the state of another parameter count
     */
    public static float[][] optimizerState(Optimizer optimizer, int parameterCount) {
        return optimizer.flatState(parameterCount);
    }

    /**
     * Sets the optimizer's state (the layout of {@link #optimizerState}, copied) and its step count.
     *
     * @param optimizer the optimizer
     * @param state one flat array per slot
     * @param steps the steps taken so far (Adam's bias correction counts them)
     * @throws IllegalArgumentException when the arrays do not fit the optimizer; nothing changes then
     */
    public static void setOptimizerState(Optimizer optimizer, float[][] state, int steps) {
        optimizer.setFlatState(state, steps);
    }

    /**
     * {@return the optimizer's step count, learning rate and state as bytes, in the training checkpoint's format
     * ({@link TrainingCheckpoint}), the float bits exactly}
     *
     * @param optimizer the optimizer
     */
    public static byte[] saveOptimizer(Optimizer optimizer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            optimizer.writeState(out);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Puts back what {@link #saveOptimizer} returned.
     *
     * @param optimizer an optimizer of the same kind as the saved one
     * @param saved the bytes
     * @param parameterCount the model's parameter count
     * @param source where the bytes came from, for the error message
     * @throws IOException when the bytes are cut short or hold the state of another optimizer or model (the
     *     optimizer is unchanged then), or when other bytes follow the state
     */
    public static void loadOptimizer(Optimizer optimizer, byte[] saved, int parameterCount, String source)
            throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(saved));
        try {
            optimizer.readState(in, parameterCount, source);
        } catch (java.io.EOFException e) {
            throw new IOException(source + ": expected an optimizer state, found " + saved.length
                    + " bytes that end too early", e);
        }
        if (in.available() > 0) {
            throw new IOException(source + ": expected an optimizer state of " + (saved.length - in.available())
                    + " bytes, found " + in.available() + " more");
        }
    }

    /**
     * {@return the early stopping rule's state (its best result, step and epoch, the evaluations since, the best
     * parameters when it keeps them) as bytes, in the training checkpoint's format}
     *
     * @param stopping the rule
     */
    public static byte[] saveEarlyStopping(EarlyStopping stopping) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            stopping.writeState(out);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Puts back what {@link #saveEarlyStopping} returned.
     *
     * @param stopping a rule on the same figure as the saved one
     * @param saved the bytes
     * @param source where the bytes came from, for the error message
     * @throws IOException when the bytes are cut short, other bytes follow, or the saved rule watched the other
     *     figure
     */
    public static void loadEarlyStopping(EarlyStopping stopping, byte[] saved, String source) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(saved));
        try {
            stopping.readState(in, source);
        } catch (java.io.EOFException e) {
            throw new IOException(source + ": expected an early stopping state, found " + saved.length
                    + " bytes that end too early", e);
        }
        if (in.available() > 0) {
            throw new IOException(source + ": expected an early stopping state of " + (saved.length
                    - in.available()) + " bytes, found " + in.available() + " more");
        }
    }
}
