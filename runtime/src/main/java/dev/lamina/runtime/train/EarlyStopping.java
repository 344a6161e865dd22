package dev.lamina.runtime.train;

import dev.lamina.runtime.Model;

/**
 * Early stopping as the textbook algorithm: evaluate on the validation set every {@code n} steps (or every
 * epoch), keep the best parameters theta* and the step i* at which they were seen, stop after {@code patience}
 * evaluations without an improvement of at least {@code minDelta}, and (with {@link #restoreBest()}) return
 * theta*. Non-finite evaluations are never the best (see {@link #evaluate}).
 */
public final class EarlyStopping {
    private final boolean onLoss;
    private int patience = 5;
    private double minDelta;
    private int everySteps;
    private boolean restore;

    private double best;
    private long bestStep = -1;
    private int bestEpoch = -1;
    private int bad;
    private float[] bestParameters;
    private float[] bestStatistics;

    private EarlyStopping(boolean onLoss) {
        this.onLoss = onLoss;
        this.best = onLoss ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /**
     * Stops when the validation loss stops falling (lower is better).
     *
     * @return early stopping on the validation loss, patience 5
     */
    public static EarlyStopping onValidationLoss() {
        return new EarlyStopping(true);
    }

    /**
     * Stops when the validation accuracy stops rising (higher is better).
     *
     * @return early stopping on the validation accuracy, patience 5
     */
    public static EarlyStopping onValidationAccuracy() {
        return new EarlyStopping(false);
    }

    /**
     * Evaluations without an improvement before training stops (default 5); throws {@link IllegalArgumentException}
     * below 1.
     *
     * @param evaluations evaluations to wait; at least 1
     * @return this early stopping
     */
    public EarlyStopping patience(int evaluations) {
        if (evaluations < 1) {
            throw new IllegalArgumentException("patience must be >= 1, got " + evaluations);
        }
        this.patience = evaluations;
        return this;
    }

    /**
     * The least change that counts as an improvement (default 0), in the monitored quantity's units.
     *
     * @param delta the least improvement; 0 counts any
     * @return this early stopping
     */
    public EarlyStopping minDelta(double delta) {
        this.minDelta = delta;
        return this;
    }

    /**
     * Evaluate every {@code steps} optimizer steps instead of once per epoch.
     *
     * @param steps optimizer steps between evaluations; at least 1
     * @return this early stopping
     */
    public EarlyStopping everySteps(int steps) {
        this.everySteps = steps;
        return this;
    }

    /**
     * Puts back the parameters and running statistics of the best evaluation when training ends.
     *
     * @return this early stopping
     */
    public EarlyStopping restoreBest() {
        this.restore = true;
        return this;
    }

    int everySteps() {
        return everySteps;
    }

    boolean onLoss() {
        return onLoss;
    }

    /**
     * Records one evaluation; returns true when training should stop. A NaN or infinite result is never the best
     * (it counts as an evaluation without improvement, as Keras does), and neither is a state whose parameters or
     * statistics are not all finite: so theta* is always finite, and when no evaluation was, nothing is recorded
     * ({@link #bestStep()} stays -1) and {@link #finish} restores nothing.
     */
    boolean evaluate(double loss, double accuracy, long step, int epoch, Model model) {
        double value = onLoss ? loss : accuracy;
        boolean improved = Double.isFinite(value)
                && (bestStep < 0 || (onLoss ? value < best - minDelta : value > best + minDelta));
        if (improved) {
            float[] parameters = restore ? model.parameters().toArray() : null;
            float[] statistics = restore ? model.buffers().toArray() : null;
            if (!restore || (allFinite(parameters) && allFinite(statistics))) {
                best = value;
                bestStep = step;
                bestEpoch = epoch;
                bad = 0;
                bestParameters = parameters;
                bestStatistics = statistics;
                return false;
            }
        }
        return ++bad >= patience;
    }

    private static boolean allFinite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** Writes the best result, its step and epoch, the evaluations since, and theta* when kept (a checkpoint). */
    void writeState(java.io.DataOutputStream out) throws java.io.IOException {
        out.writeBoolean(onLoss);
        out.writeDouble(best);
        out.writeLong(bestStep);
        out.writeInt(bestEpoch);
        out.writeInt(bad);
        TrainingState.writeFloats(out, bestParameters);
        TrainingState.writeFloats(out, bestStatistics);
    }

    /** Reads what {@link #writeState} wrote; throws naming {@code source} when it monitored the other figure. */
    void readState(java.io.DataInputStream in, String source) throws java.io.IOException {
        boolean savedOnLoss = in.readBoolean();
        if (savedOnLoss != onLoss) {
            throw new java.io.IOException(source + ": expected early stopping on the validation "
                    + (onLoss ? "loss" : "accuracy") + ", found one on the validation "
                    + (savedOnLoss ? "loss" : "accuracy"));
        }
        best = in.readDouble();
        bestStep = in.readLong();
        bestEpoch = in.readInt();
        bad = in.readInt();
        bestParameters = TrainingState.readFloats(in);
        bestStatistics = TrainingState.readFloats(in);
    }

    /** Puts theta* back into the model, when asked to. */
    void finish(Model model) {
        if (restore && bestParameters != null) {
            model.parameters().floats().put(0, bestParameters);
            model.buffers().floats().put(0, bestStatistics);
            model.parametersChanged();
        }
    }

    /** {@return the optimizer step i* at which the best validation result was seen (-1 before any evaluation)} */
    public long bestStep() {
        return bestStep;
    }

    /** {@return the epoch (from 1) in which i* fell} */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** {@return the best validation result: +infinity (loss) or -infinity (accuracy) before any finite one} */
    public double bestValue() {
        return best;
    }
}
