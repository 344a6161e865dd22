package dev.lamina.runtime.train;

import dev.lamina.runtime.Model;

/**
 * Early stopping as the textbook algorithm: evaluate on the validation set every {@code n} steps (or every
 * epoch), keep the best parameters theta* and the step i* at which they were seen, stop after {@code patience}
 * evaluations without an improvement of at least {@code minDelta}, and (with {@link #restoreBest()}) return
 * theta*.
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

    public static EarlyStopping onValidationLoss() {
        return new EarlyStopping(true);
    }

    public static EarlyStopping onValidationAccuracy() {
        return new EarlyStopping(false);
    }

    public EarlyStopping patience(int evaluations) {
        if (evaluations < 1) {
            throw new IllegalArgumentException("patience must be >= 1, got " + evaluations);
        }
        this.patience = evaluations;
        return this;
    }

    public EarlyStopping minDelta(double delta) {
        this.minDelta = delta;
        return this;
    }

    /** Evaluate every {@code steps} optimizer steps instead of once per epoch. */
    public EarlyStopping everySteps(int steps) {
        this.everySteps = steps;
        return this;
    }

    public EarlyStopping restoreBest() {
        this.restore = true;
        return this;
    }

    int everySteps() {
        return everySteps;
    }

    /** Records one evaluation; returns true when training should stop. */
    boolean evaluate(double loss, double accuracy, long step, int epoch, Model model) {
        double value = onLoss ? loss : accuracy;
        boolean improved = onLoss ? value < best - minDelta : value > best + minDelta;
        if (improved || bestStep < 0) {
            best = value;
            bestStep = step;
            bestEpoch = epoch;
            bad = 0;
            if (restore) {
                bestParameters = model.parameters().toArray();
                bestStatistics = model.buffers().toArray();
            }
            return false;
        }
        return ++bad >= patience;
    }

    /** Puts theta* back into the model, when asked to. */
    void finish(Model model) {
        if (restore && bestParameters != null) {
            model.parameters().floats().put(0, bestParameters);
            model.buffers().floats().put(0, bestStatistics);
            model.parametersChanged();
        }
    }

    /** The optimizer step i* at which the best validation result was seen (-1 before any evaluation). */
    public long bestStep() {
        return bestStep;
    }

    /** The epoch (from 1) in which i* fell. */
    public int bestEpoch() {
        return bestEpoch;
    }

    public double bestValue() {
        return best;
    }
}
