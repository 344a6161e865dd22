package dev.lamina.runtime.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * A listener that writes the history to a file as training goes, one line per epoch, appended and forced to the
 * disk when the epoch ends: a run that crashes or is killed loses at most the epoch it was in.
 *
 * <pre>{@code
 * Trainer.of(net).listener(HistoryFile.csv(Path.of("run/history.csv"))).fit(train, validation);
 * }</pre>
 * The file is started afresh when {@code fit} starts (a CSV with its header, JSON lines empty). The CSV has the
 * columns and number format of {@link History#toCsv()}; each JSON line is one epoch's object with the fields of
 * {@link History#toJson()}'s epochs (metric names quoted and escaped as there). A failed write stops training
 * with an {@link UncheckedIOException}: a run whose history cannot be kept is not silently continued.
 */
public final class HistoryFile implements TrainingListener {
    private final Path path;
    private final boolean csv;

    private HistoryFile(Path path, boolean csv) {
        this.path = path;
        this.csv = csv;
    }

    /**
     * {@return a listener that writes the history as CSV to {@code path}}
     *
     * @param path the file; its parent folder must exist
     */
    public static HistoryFile csv(Path path) {
        return new HistoryFile(path, true);
    }

    /**
     * {@return a listener that writes the history as JSON lines (one object per epoch) to {@code path}}
     *
     * @param path the file; its parent folder must exist
     */
    public static HistoryFile jsonLines(Path path) {
        return new HistoryFile(path, false);
    }

    /** {@return the file written} */
    public Path path() {
        return path;
    }

    @Override
    public void trainingStarted(TrainingContext context) {
        // the header is History's own, so the file's columns follow it
        write(csv ? context.history().toCsv() : "", StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Override
    public void epochFinished(EpochRecord record, TrainingContext context) {
        write(csv ? lastLine(context.history().toCsv()) : jsonLine(record), StandardOpenOption.APPEND);
    }

    /** The last line of a CSV text, with its line end: History's line for the epoch just added. */
    private static String lastLine(String text) {
        int end = text.endsWith("\n") ? text.length() - 1 : text.length();
        return text.substring(text.lastIndexOf('\n', end - 1) + 1);
    }

    private static String jsonLine(EpochRecord r) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "{\"epoch\": %d, \"train_loss\": %s, "
                        + "\"train_accuracy\": %s, \"validation_loss\": %s, \"validation_accuracy\": %s, "
                        + "\"learning_rate\": %s, \"seconds\": %.3f, \"samples_per_second\": %.1f",
                r.epoch(), History.json(r.trainLoss()), History.json(r.trainAccuracy()),
                History.json(r.validationLoss()), History.json(r.validationAccuracy()), History.json(r.learningRate()),
                r.seconds(), r.samplesPerSecond()));
        // the metrics Trainer.metrics chose, as History#toJson writes them
        r.metrics().forEach((name, value) -> line.append(", ").append(History.jsonName(name)).append(": ")
                .append(History.json(value)));
        return line.append("}").append(System.lineSeparator()).toString();
    }

    /** Writes {@code text} and forces it to the disk before returning, so the line survives a crash after it. */
    private void write(String text, StandardOpenOption mode) {
        try (FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training history to " + path, e);
        }
    }
}
