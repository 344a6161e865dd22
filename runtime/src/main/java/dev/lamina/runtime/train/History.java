package dev.lamina.runtime.train;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.lamina.runtime.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Loss and accuracy per epoch, with the early-stopping outcome, and the metrics chosen with {@link Trainer#metrics}
 * (one column each, after the others, only when chosen); writes CSV and JSON.
 */
public final class History {
    private final List<EpochRecord> epochs = new ArrayList<>();
    private long bestStep = -1;
    private int bestEpoch = -1;
    private boolean stoppedEarly;
    /** The metric columns the trainer will record, known before the first epoch (a file's header needs them). */
    private List<String> declaredMetrics = List.of();

    /** An empty history; {@link Trainer#fit} fills one per run. */
    public History() {
    }

    void add(EpochRecord record) {
        epochs.add(record);
    }

    /** Declares the metric columns every epoch will carry, before the first one is added. */
    void declareMetrics(List<String> columns) {
        this.declaredMetrics = List.copyOf(columns);
    }

    /** {@return the metric columns declared before the first epoch} */
    List<String> declaredMetrics() {
        return declaredMetrics;
    }

    void stopped(long step, int epoch, boolean early) {
        this.bestStep = step;
        this.bestEpoch = epoch;
        this.stoppedEarly = early;
    }

    /** {@return one record per epoch run, in order; a copy} */
    public List<EpochRecord> epochs() {
        return List.copyOf(epochs);
    }

    /** {@return the last epoch's record; throws {@link IndexOutOfBoundsException} when no epoch ran} */
    public EpochRecord last() {
        return epochs.get(epochs.size() - 1);
    }

    /** {@return the step i* of the best validation result, when early stopping ran; -1 otherwise} */
    public long bestStep() {
        return bestStep;
    }

    /** {@return the epoch (from 1) of the best validation result, when early stopping ran; -1 otherwise} */
    public int bestEpoch() {
        return bestEpoch;
    }

    /**
     * {@return whether training was stopped, by early stopping or by a listener's {@link TrainingContext#stop()},
     * rather than running out of epochs}
     */
    public boolean stoppedEarly() {
        return stoppedEarly;
    }

    /**
     * {@return one line per epoch under a header ({@code epoch,train_loss,...,samples_per_second}, then the
     * metrics' columns when chosen); NaN figures are empty cells}
     */
    public String toCsv() {
        List<String> metrics = metricColumns();
        StringBuilder s = new StringBuilder("epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,"
                + "learning_rate,seconds,samples_per_second");
        for (String m : metrics) {
            s.append(',').append(csvCell(m));
        }
        s.append('\n');
        for (EpochRecord r : epochs) {
            s.append(String.format(Locale.ROOT, "%d,%s,%s,%s,%s,%s,%.3f,%.1f", r.epoch(), num(r.trainLoss()),
                    num(r.trainAccuracy()), num(r.validationLoss()), num(r.validationAccuracy()),
                    num(r.learningRate()), r.seconds(), r.samplesPerSecond()));
            for (String m : metrics) {
                s.append(',').append(num(r.metric(m)));
            }
            s.append(System.lineSeparator());
        }
        return s.toString();
    }

    /** {@return the best step and epoch, whether training stopped early, and the epochs' records, as a JSON object} */
    public String toJson() {
        StringBuilder s = new StringBuilder("{\"best_step\": " + bestStep + ", \"best_epoch\": " + bestEpoch
                + ", \"stopped_early\": " + stoppedEarly + ", \"epochs\": [");
        for (int i = 0; i < epochs.size(); i++) {
            EpochRecord r = epochs.get(i);
            s.append(i == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT,
                    "  {\"epoch\": %d, \"train_loss\": %s, \"train_accuracy\": %s, \"validation_loss\": %s, "
                            + "\"validation_accuracy\": %s, \"learning_rate\": %s, \"seconds\": %.3f, "
                            + "\"samples_per_second\": %.1f",
                    r.epoch(), json(r.trainLoss()), json(r.trainAccuracy()), json(r.validationLoss()),
                    json(r.validationAccuracy()), json(r.learningRate()), r.seconds(), r.samplesPerSecond()));
            for (Map.Entry<String, Double> m : r.metrics().entrySet()) {
                s.append(", ").append(jsonName(m.getKey())).append(": ").append(json(m.getValue()));
            }
            s.append('}');
        }
        return s.append("\n]}\n").toString();
    }

    /**
     * Writes {@link #toCsv()} to {@code path} atomically.
     *
     * @param path the file to write
     * @throws IOException when it cannot be written
     */
    public void writeCsv(Path path) throws IOException {
        AtomicFiles.writeString(path, toCsv());
    }

    /**
     * Writes {@link #toJson()} to {@code path} atomically.
     *
     * @param path the file to write
     * @throws IOException when it cannot be written
     */
    public void writeJson(Path path) throws IOException {
        AtomicFiles.writeString(path, toJson());
    }

    /**
     * The metric columns declared and those of all epochs, in that order; empty when no metric was chosen. Declared
     * ones come first so that a header written before the first epoch ({@link HistoryFile}) has them.
     */
    private List<String> metricColumns() {
        Set<String> columns = new LinkedHashSet<>(declaredMetrics);
        for (EpochRecord r : epochs) {
            columns.addAll(r.metrics().keySet());
        }
        return List.copyOf(columns);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    /** A figure as JSON: NaN (none) and the infinities, which JSON lacks, as null. */
    static String json(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
    }

    /** A column name as a JSON string, quoted and escaped: a {@link dev.lamina.runtime.metrics.Metric}'s name is any. */
    static String jsonName(String name) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(name)) + '"';
    }

    /** A header cell as RFC 4180 writes it: quoted, with quotes doubled, when it holds a comma, quote or line break. */
    static String csvCell(String name) {
        return name.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')
                ? '"' + name.replace("\"", "\"\"") + '"' : name;
    }
}
