package dev.lamina.runtime.train;

import dev.lamina.runtime.io.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Saves the model after every epoch ({@code last.safetensors}) and whenever the monitored validation figure is the
 * best so far ({@code best.safetensors}), in a folder, through {@link Checkpoint#save} (atomic: a reader, or a run
 * killed mid-save, finds the previous file or the new one, never part of one). Keras' {@code ModelCheckpoint},
 * PyTorch Lightning's {@code save_last} and {@code save_top_k=1}. A non-finite figure is never the best (so a fit
 * without a validation set writes only {@code last.safetensors}); a figure must beat the best to replace it (a tie
 * keeps the earlier epoch). A failed save throws {@link UncheckedIOException}, which stops training.
 */
public final class ModelCheckpoint implements TrainingListener {
    private final Path folder;
    private final boolean onLoss;
    private double best;
    private int bestEpoch;

    private ModelCheckpoint(Path folder, boolean onLoss) {
        if (folder == null) {
            throw new IllegalArgumentException("expected a folder for the checkpoints, found null");
        }
        this.folder = folder;
        this.onLoss = onLoss;
    }

    /**
     * Keeps the last epoch's parameters and those with the lowest validation loss, in {@code folder}.
     *
     * @param folder where {@code last.safetensors} and {@code best.safetensors} are written (created if missing)
     * @return the listener, for {@link Trainer#listener}
     */
    public static ModelCheckpoint onValidationLoss(Path folder) {
        return new ModelCheckpoint(folder, true);
    }

    /**
     * Keeps the last epoch's parameters and those with the highest validation accuracy, in {@code folder}.
     *
     * @param folder where {@code last.safetensors} and {@code best.safetensors} are written (created if missing)
     * @return the listener, for {@link Trainer#listener}
     */
    public static ModelCheckpoint onValidationAccuracy(Path folder) {
        return new ModelCheckpoint(folder, false);
    }

    /** {@return the file the last epoch's parameters are written to} */
    public Path last() {
        return folder.resolve("last.safetensors");
    }

    /** {@return the file the best epoch's parameters are written to} */
    public Path best() {
        return folder.resolve("best.safetensors");
    }

    /** {@return the epoch whose parameters {@link #best()} holds, from 1; 0 while none has been saved} */
    public int bestEpoch() {
        return bestEpoch;
    }

    /**
     * Starts with no best, or, in a fit resumed from a {@link TrainingCheckpoint}, with the best of the history put
     * back, so that an epoch after the resume replaces {@code best.safetensors} only by beating the earlier ones.
     */
    @Override
    public void trainingStarted(TrainingContext context) {
        best = Double.NaN;
        bestEpoch = 0;
        for (EpochRecord record : context.history().epochs()) {
            consider(record);
        }
    }

    /** Makes {@code record} the best when its figure beats the best so far; returns whether it did. */
    private boolean consider(EpochRecord record) {
        double figure = onLoss ? record.validationLoss() : record.validationAccuracy();
        if (Double.isFinite(figure) && (bestEpoch == 0 || (onLoss ? figure < best : figure > best))) {
            best = figure;
            bestEpoch = record.epoch();
            return true;
        }
        return false;
    }

    @Override
    public void epochFinished(EpochRecord record, TrainingContext context) {
        try {
            Checkpoint.save(context.model(), last());
            if (consider(record)) {
                Checkpoint.save(context.model(), best());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the checkpoint of epoch " + record.epoch() + " in " + folder,
                    e);
        }
    }
}
