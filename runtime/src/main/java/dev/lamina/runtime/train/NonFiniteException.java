package dev.lamina.runtime.train;

import java.util.Arrays;

/**
 * Training diverged: a batch gave a loss or gradients that are NaN or infinite. Thrown by {@link Trainer#fit}
 * before the optimizer step that would have spread the value into the parameters, so the model keeps the last
 * finite parameters (and is left in inference mode). The message names the step, the epoch and the rows of the
 * training set that made the batch, so the batch can be replayed.
 */
public final class NonFiniteException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    /** The optimizer step whose batch diverged, from 1 (serialised). */
    private final long step;
    /** The epoch of that step, from 1 (serialised). */
    private final int epoch;
    /** The training set's rows that made the batch (serialised). */
    private final int[] rows;
    /** What was not finite: {@code "loss"} or {@code "gradient norm"} (serialised). */
    private final String quantity;
    /** The value found: NaN or an infinity (serialised). */
    private final double value;

    NonFiniteException(String quantity, double value, long step, int epoch, int batch, int batches, int[] rows) {
        super("training diverged: the " + quantity + " is " + value + " at step " + step + " (epoch " + epoch
                + ", batch " + batch + " of " + batches + "); the batch holds rows " + Arrays.toString(rows)
                + " of the training set; the parameters are those before this step. Lower the learning rate,"
                + " clip the gradient norm, or check these rows");
        this.quantity = quantity;
        this.value = value;
        this.step = step;
        this.epoch = epoch;
        this.rows = rows.clone();
    }

    /** {@return the optimizer step (from 1) whose batch diverged; it was not applied} */
    public long step() {
        return step;
    }

    /** {@return the epoch (from 1)} */
    public int epoch() {
        return epoch;
    }

    /** {@return the training set's row indices that made the batch, in batch order} */
    public int[] rows() {
        return rows.clone();
    }

    /** {@return what was not finite: {@code "loss"} or {@code "gradient norm"}} */
    public String quantity() {
        return quantity;
    }

    /** {@return the non-finite value found} */
    public double value() {
        return value;
    }
}
