package dev.lamina.runtime.train;

import dev.lamina.runtime.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Saves everything a run needs to go on where it was, after every epoch (or every {@code n}), so that a run killed
 * at any moment and resumed with {@link Trainer#resumeFrom} ends with bit for bit the parameters of a run never
 * interrupted: the parameters and running statistics, the optimizer's state (moments, velocities, accumulators,
 * step count; the Hessian-free damping and warm start), the epoch and step, the schedule's state, the shuffle's
 * order and generator, the dropout masks' position, the early stopping's state and the history so far.
 *
 * <p>In {@code folder}, each save writes a new subfolder {@code epoch-N} holding {@code model.safetensors} (through
 * {@link dev.lamina.runtime.io.Checkpoint}, so it loads into a model, or elsewhere, like any checkpoint) and
 * {@code training.state} (the rest, Lamina's own format with a checksum), then replaces the one-line file
 * {@code latest}, which names that subfolder, atomically, and only then removes the older subfolders. A run killed
 * during a save leaves {@code latest} naming the previous, complete one: the pair is replaced as a whole.
 *
 * <p>Resuming is bitwise only with the same data, settings (batch size, thread count, loss, regularizer, ...) and
 * listeners that do not change the model; a schedule with state of its own must implement
 * {@link LearningRateSchedule#saveState}. A save records whether training was stopped (early stopping, or a
 * {@link TrainingContext#stop()} by a listener added before this one: add this one last), and a fit resumed from
 * it stays stopped. A device-resident model (the GPU path) keeps its optimizer state on the
 * device and is refused. A save that fails throws {@link UncheckedIOException}, which stops training.
 */
public final class TrainingCheckpoint implements TrainingListener {
    private static final String LATEST = "latest";
    private final Path folder;
    private final int every;

    private TrainingCheckpoint(Path folder, int every) {
        if (folder == null) {
            throw new IllegalArgumentException("expected a folder for the training checkpoints, found null");
        }
        if (every < 1) {
            throw new IllegalArgumentException("expected a checkpoint every 1 epoch or more, found " + every);
        }
        this.folder = folder;
        this.every = every;
    }

    /**
     * Saves after every epoch into {@code folder}.
     *
     * @param folder where the checkpoints go (created if missing); give the same one to {@link Trainer#resumeFrom}
     * @return the listener, for {@link Trainer#listener}
     */
    public static TrainingCheckpoint in(Path folder) {
        return new TrainingCheckpoint(folder, 1);
    }

    /**
     * The same listener saving every {@code epochs} epochs instead, and after the last epoch and when training
     * stops.
     *
     * @param epochs epochs between saves; at least 1
     * @return a new listener
     * @throws IllegalArgumentException below 1
     */
    public TrainingCheckpoint every(int epochs) {
        return new TrainingCheckpoint(folder, epochs);
    }

    /** {@return the folder the checkpoints are written to} */
    public Path folder() {
        return folder;
    }

    /**
     * {@return the subfolder of the latest complete checkpoint in {@code folder}}
     *
     * @param folder a folder a {@link TrainingCheckpoint} wrote to
     * @throws IOException when it holds no checkpoint, or its {@code latest} names a subfolder that is missing
     */
    public static Path latest(Path folder) throws IOException {
        Path pointer = folder.resolve(LATEST);
        if (!Files.isRegularFile(pointer)) {
            throw new IOException("expected a training checkpoint in " + folder + " (a file '" + LATEST
                    + "' naming its latest save), found none");
        }
        String name = Files.readString(pointer, StandardCharsets.UTF_8).trim();
        Path saved = folder.resolve(name);
        if (!name.startsWith("epoch-") || !Files.isDirectory(saved)) {
            throw new IOException(pointer + ": expected the name of a subfolder epoch-N of " + folder + ", found '"
                    + name + "'");
        }
        return saved;
    }

    /**
     * {@return whether {@code folder} holds a training checkpoint to resume from}
     *
     * @param folder a folder, which need not exist
     */
    public static boolean exists(Path folder) {
        return Files.isRegularFile(folder.resolve(LATEST));
    }

    @Override
    public void trainingStarted(TrainingContext context) {
        if (context.state() == null) {
            throw new IllegalStateException("a training checkpoint needs the context of a Trainer's fit");
        }
        if (context.model() instanceof Optimizer.DeviceResident) {
            throw new UnsupportedOperationException("training checkpoints are not implemented for a device-resident"
                    + " model (" + context.model().name() + "): its optimizer state stays on the device; use"
                    + " ModelCheckpoint for its parameters");
        }
    }

    @Override
    public void epochFinished(EpochRecord record, TrainingContext context) {
        TrainingState state = context.state();
        boolean due = record.epoch() % every == 0 || record.epoch() == context.epochs() || state.stopped
                || context.stopRequested();
        if (!due) {
            return;
        }
        String name = "epoch-" + record.epoch();
        try {
            state.stopped |= context.stopRequested();
            state.save(folder.resolve(name));
            AtomicFiles.writeString(folder.resolve(LATEST), name + "\n");
            removeAllBut(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the training checkpoint of epoch " + record.epoch() + " in "
                    + folder, e);
        }
    }

    /** Removes the subfolders of earlier (or unfinished) saves once {@code latest} names another. */
    private void removeAllBut(String kept) throws IOException {
        try (DirectoryStream<Path> saves = Files.newDirectoryStream(folder, "epoch-*")) {
            for (Path p : saves) {
                if (!p.getFileName().toString().equals(kept) && Files.isDirectory(p)) {
                    try (Stream<Path> files = Files.walk(p)) {
                        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(f);
                        }
                    }
                }
            }
        }
    }
}
