package dev.lamina.runtime.train;

/**
 * Hears about training as it goes: the progress bar, a {@link HistoryFile}, loggers. The hooks with a
 * {@link TrainingContext} see the model and the history so far and can stop training; by default they call the
 * older hooks without one, so listeners written against those keep working unchanged.
 */
public interface TrainingListener {
    /**
     * Called once when {@code fit} starts, before the first epoch (after the data sets were checked).
     *
     * @param context the model, the (empty) history and the stop request of this fit
     */
    default void trainingStarted(TrainingContext context) {
    }

    /**
     * Called before epoch {@code epoch} (from 1) of {@code epochs}, which runs {@code batches} batches.
     *
     * @param epoch the epoch about to run, from 1
     * @param epochs the epochs of the fit
     * @param batches the batches of this epoch
     */
    default void epochStarted(int epoch, int epochs, int batches) {
    }

    /**
     * Called after batch {@code batch} (from 1) of {@code batches}, with the samples trained on so far this epoch and
     * the mean loss of the epoch's batches so far.
     *
     * @param batch the batch just finished, from 1
     * @param batches the batches of this epoch
     * @param samplesSoFar samples trained on in this epoch so far
     * @param loss the mean loss of this epoch's batches so far
     */
    default void batchFinished(int batch, int batches, int samplesSoFar, double loss) {
    }

    /**
     * Called after each epoch with its figures (validation ones included).
     *
     * @param record the epoch's figures
     */
    default void epochFinished(EpochRecord record) {
    }

    /**
     * Called after each epoch with its figures and the fit's context; the record is already in
     * {@code context.history()}. Call {@link TrainingContext#stop()} to end training after this epoch. By default
     * calls {@link #epochFinished(EpochRecord)}; the trainer calls only this one.
     *
     * @param record the epoch's figures
     * @param context the model, the history so far and the stop request of this fit
     */
    default void epochFinished(EpochRecord record, TrainingContext context) {
        epochFinished(record);
    }
}
