package dev.lamina.runtime.train;

/** Hears about training as it goes: the progress bar, loggers, plots. */
public interface TrainingListener {
    default void epochStarted(int epoch, int epochs, int batches) {
    }

    default void batchFinished(int batch, int batches, int samplesSoFar, double loss) {
    }

    default void epochFinished(EpochRecord record) {
    }
}
