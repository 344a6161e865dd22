package dev.lamina.runtime.train;

import dev.lamina.runtime.Model;

/**
 * What a {@link TrainingListener} may see and do during one {@link Trainer#fit}: the model being trained, the
 * history so far, and a request to stop. One context per fit; the trainer hands the same one to every hook.
 */
public final class TrainingContext {
    private final Model model;
    private final History history;
    private final int epochs;
    private volatile boolean stopRequested;
    /** The loop's position and what it trains with, for a {@link TrainingCheckpoint}; null outside a fit. */
    private final TrainingState state;

    TrainingContext(Model model, History history, int epochs) {
        this(model, history, epochs, null);
    }

    TrainingContext(Model model, History history, int epochs, TrainingState state) {
        this.model = model;
        this.history = history;
        this.epochs = epochs;
        this.state = state;
    }

    /** {@return the training loop's state, or null when this context does not come from a fit} */
    TrainingState state() {
        return state;
    }

    /** {@return the model being trained; its parameters are those after the last finished step} */
    public Model model() {
        return model;
    }

    /** {@return the history of this fit so far: one record per finished epoch (the one just ended included)} */
    public History history() {
        return history;
    }

    /** {@return the epochs this fit runs unless it is stopped} */
    public int epochs() {
        return epochs;
    }

    /**
     * Asks the trainer to stop after the current epoch: that epoch finishes (its record is complete and every
     * listener hears it), no further epoch starts, and {@code fit} returns the history as usual. Stopping between
     * epochs keeps each record a whole epoch's figures.
     */
    public void stop() {
        stopRequested = true;
    }

    /** {@return whether a listener has called {@link #stop()}} */
    public boolean stopRequested() {
        return stopRequested;
    }
}
