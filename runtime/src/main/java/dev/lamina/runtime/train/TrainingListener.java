package dev.lamina.runtime.train;

/** Hears about training as it goes: the progress bar, loggers, plots. */
public interface TrainingListener {
    /** Called before epoch {@code epoch} (from 1) of {@code epochs}, which runs {@code batches} batches. */
    default void epochStarted(int epoch, int epochs, int batches) {
    }

    /**
     * Called after batch {@code batch} (from 1) of {@code batches}, with the samples trained on so far this epoch and
     * the mean loss of the epoch's batches so far.
     */
    default void batchFinished(int batch, int batches, int samplesSoFar, double loss) {
    }

    /** Called after each epoch with its figures (validation ones included). */
    default void epochFinished(EpochRecord record) {
    }
}
