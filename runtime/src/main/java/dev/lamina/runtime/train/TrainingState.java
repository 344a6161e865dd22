package dev.lamina.runtime.train;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.Rng;
import dev.lamina.runtime.io.AtomicFiles;
import dev.lamina.runtime.io.Checkpoint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Internal, not API: the training loop's position during one {@link Trainer#fit} (epochs finished, steps, the
 * shuffle's order and generator, the base learning rate, whether training stopped) beside what it trains with, and
 * their file, {@code training.state}, that a {@link TrainingCheckpoint} writes next to the model's safetensors.
 *
 * <p>The file is Lamina's own, read only by Lamina: big-endian {@link DataOutputStream} fields under a magic string
 * and a version, every float and double as its exact bits, and a CRC-32 of all of it at the end (the parameters
 * themselves stay in the portable safetensors file). Its sections, in order: the network's name and sizes and the
 * optimizer's class and rule (checked first: a checkpoint of another network or optimizer is refused before
 * anything changes); the epoch, step, stop flag and base rate; the shuffle order and generator; the dropout masks'
 * position; the optimizer's steps, rate and state; the schedule's state; the early stopping's; the history's records.
 */
final class TrainingState {
    private static final String MAGIC = "LAMINA-TRAINING-STATE";
    private static final int VERSION = 1;
    /** The file beside {@code model.safetensors} in a checkpoint's folder. */
    static final String FILE = "training.state";

    final Model model;
    final Optimizer optimizer;
    final LearningRateSchedule schedule;
    final EarlyStopping earlyStopping;
    final History history;
    /** The training samples' order, shuffled in place each epoch. */
    final int[] order;
    final Rng shuffle;
    /** Epochs finished, optimizer steps taken, and whether training was told to stop. */
    int epoch;
    long step;
    boolean stopped;
    /** The optimizer's learning rate when training first began: the schedule's base. */
    double baseRate;

    TrainingState(Model model, Optimizer optimizer, LearningRateSchedule schedule, EarlyStopping earlyStopping,
                  History history, int[] order, Rng shuffle) {
        this.model = model;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.earlyStopping = earlyStopping;
        this.history = history;
        this.order = order;
        this.shuffle = shuffle;
        this.baseRate = optimizer.learningRate();
    }

    /** Records the end of an epoch: the trainer calls it before the listeners hear of the epoch. */
    void finished(int epoch, long step, boolean stopped) {
        this.epoch = epoch;
        this.step = step;
        this.stopped = stopped;
    }

    /** Writes the model's parameters and buffers and this state into {@code folder}, each file atomically. */
    void save(Path folder) throws IOException {
        Checkpoint.save(model, folder.resolve("model.safetensors"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeUTF(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(model.name());
        out.writeInt(model.parameterCount());
        out.writeInt(model.buffers().size());
        out.writeUTF(optimizer.getClass().getName());
        out.writeUTF(optimizer.rule().toString());
        out.writeInt(epoch);
        out.writeLong(step);
        out.writeBoolean(stopped);
        out.writeDouble(baseRate);
        out.writeInt(order.length);
        for (int i : order) {
            out.writeInt(i);
        }
        writeLongs(out, shuffle.saveState());
        writeLongs(out, model.state().dropoutState());
        optimizer.writeState(out);
        double[] scheduleState = schedule.saveState();
        out.writeInt(scheduleState.length);
        for (double v : scheduleState) {
            out.writeDouble(v);
        }
        out.writeBoolean(earlyStopping != null);
        if (earlyStopping != null) {
            earlyStopping.writeState(out);
        }
        writeHistory(out);
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        out.flush();
        AtomicFiles.write(folder.resolve(FILE), ByteBuffer.wrap(bytes.toByteArray()));
    }

    /**
     * Puts back the state {@link #save} wrote in {@code folder}: the file's checksum and its network and optimizer
     * are checked first, then the model is loaded strictly from {@code model.safetensors}, then the rest follows.
     *
     * @throws IOException when a file cannot be read, is damaged, or belongs to another network, optimizer,
     *     training set size, schedule or early stopping
     */
    void restore(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        byte[] all = Files.readAllBytes(file);
        String source = file.toString();
        if (all.length < 8) {
            throw new IOException(source + ": expected a training state ending in an 8-byte checksum, found "
                    + all.length + " bytes");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = ByteBuffer.wrap(all, all.length - 8, 8).getLong();
        if (crc.getValue() != stored) {
            throw new IOException(source + ": the checksum does not match its content (expected " + stored
                    + ", found " + crc.getValue() + "): the file is damaged");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, 0, all.length - 8));
        String magic = in.readUTF();
        int version = in.readInt();
        if (!MAGIC.equals(magic) || version != VERSION) {
            throw new IOException(source + ": expected a " + MAGIC + " file of version " + VERSION + ", found "
                    + magic + " version " + version);
        }
        expect(source, "network", model.name() + " (" + model.parameterCount() + " parameters, "
                + model.buffers().size() + " buffer floats)", in.readUTF() + " (" + in.readInt() + " parameters, "
                + in.readInt() + " buffer floats)");
        expect(source, "optimizer", optimizer.getClass().getName() + " " + optimizer.rule(), in.readUTF() + " "
                + in.readUTF());
        int savedEpoch = in.readInt();
        long savedStep = in.readLong();
        boolean savedStopped = in.readBoolean();
        double savedBase = in.readDouble();
        int samples = in.readInt();
        if (samples != order.length) {
            throw new IOException(source + ": expected a checkpoint of a training set of " + order.length
                    + " samples (this fit's), found one of " + samples);
        }
        int[] savedOrder = new int[samples];
        for (int i = 0; i < samples; i++) {
            savedOrder[i] = in.readInt();
        }
        long[] shuffleState = readLongs(in);
        long[] dropout = readLongs(in);
        Checkpoint.load(model, folder.resolve("model.safetensors"));
        optimizer.readState(in, model.parameterCount(), source);
        double[] scheduleState = new double[in.readInt()];
        for (int i = 0; i < scheduleState.length; i++) {
            scheduleState[i] = in.readDouble();
        }
        schedule.restoreState(scheduleState);
        boolean hadEarlyStopping = in.readBoolean();
        if (hadEarlyStopping != (earlyStopping != null)) {
            throw new IOException(source + ": expected a checkpoint of a fit " + (earlyStopping != null ? "with"
                    : "without") + " early stopping, found one " + (hadEarlyStopping ? "with" : "without"));
        }
        if (earlyStopping != null) {
            earlyStopping.readState(in, source);
        }
        readHistory(in);
        System.arraycopy(savedOrder, 0, order, 0, samples);
        shuffle.restoreState(shuffleState);
        model.state().restoreDropout(dropout[0], dropout[1]);
        epoch = savedEpoch;
        step = savedStep;
        stopped = savedStopped;
        baseRate = savedBase;
    }

    private static void expect(String source, String what, String expected, String found) throws IOException {
        if (!expected.equals(found)) {
            throw new IOException(source + ": this checkpoint was written for another " + what + ": expected "
                    + expected + ", found " + found);
        }
    }

    private void writeHistory(DataOutputStream out) throws IOException {
        List<EpochRecord> records = history.epochs();
        out.writeInt(records.size());
        for (EpochRecord r : records) {
            out.writeInt(r.epoch());
            for (double v : new double[] {r.trainLoss(), r.trainAccuracy(), r.validationLoss(),
                    r.validationAccuracy(), r.learningRate(), r.seconds(), r.samplesPerSecond()}) {
                out.writeDouble(v);
            }
            out.writeInt(r.metrics().size());
            for (Map.Entry<String, Double> m : r.metrics().entrySet()) {
                out.writeUTF(m.getKey());
                out.writeDouble(m.getValue());
            }
        }
    }

    /** Adds the saved records to the (empty) history of the resumed fit. */
    private void readHistory(DataInputStream in) throws IOException {
        int count = in.readInt();
        List<EpochRecord> records = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            int e = in.readInt();
            double[] v = new double[7];
            for (int i = 0; i < v.length; i++) {
                v[i] = in.readDouble();
            }
            int metrics = in.readInt();
            Map<String, Double> figures = new LinkedHashMap<>();
            for (int i = 0; i < metrics; i++) {
                figures.put(in.readUTF(), in.readDouble());
            }
            records.add(new EpochRecord(e, v[0], v[1], v[2], v[3], v[4], v[5], v[6], figures));
        }
        records.forEach(history::add);
    }

    private static void writeLongs(DataOutputStream out, long[] values) throws IOException {
        out.writeInt(values.length);
        for (long v : values) {
            out.writeLong(v);
        }
    }

    private static long[] readLongs(DataInputStream in) throws IOException {
        long[] values = new long[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readLong();
        }
        return values;
    }

    /** Writes an array of floats by their bits, or a length of -1 for null. */
    static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values == null ? -1 : values.length);
        if (values != null) {
            for (float v : values) {
                out.writeInt(Float.floatToRawIntBits(v));
            }
        }
    }

    /** Reads what {@link #writeFloats} wrote. */
    static float[] readFloats(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = Float.intBitsToFloat(in.readInt());
        }
        return values;
    }
}
