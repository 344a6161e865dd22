package dev.lamina.spark;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.io.AtomicFiles;
import dev.lamina.runtime.io.Checkpoint;
import dev.lamina.runtime.train.EarlyStopping;
import dev.lamina.runtime.train.LearningRateSchedule;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.TrainingInternals;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Internal, not API: the driver's checkpoint after each epoch, in a folder: {@code epoch-E.safetensors} (the
 * parameters and running statistics, {@link Checkpoint}), {@code epoch-E.state} (what else the loop carries from
 * one epoch to the next) and then {@code progress.json}, which names them with the epoch and step reached, whether
 * training was told to stop there, and the seeds of the data's order. All are written atomically and the progress file last, so a crash between them leaves
 * the previous set valid.
 *
 * <p>{@code epoch-E.state}: big-endian {@link DataOutputStream} fields, a magic string and version, then three
 * sections, each the runtime's own training-checkpoint bytes: the optimizer's (step count, learning rate, state
 * arrays; {@link TrainingInternals#saveOptimizer}), the schedule's values ({@link LearningRateSchedule#saveState})
 * and, when the fit stops early, the rule's ({@link TrainingInternals#saveEarlyStopping}); a CRC-32 of all of it
 * at the end.
 */
final class EpochCheckpoint {
    private static final String PROGRESS = "progress.json";
    private static final String MAGIC = "LAMINA-SPARK-EPOCH-STATE";
    private static final int VERSION = 1;
    private static final Pattern FIELDS = Pattern.compile("\\{\"network\": \"([^\"]*)\", \"optimizer\": \"([^\"]*)\","
            + " \"epoch\": (\\d+), \"step\": (\\d+), \"stopped\": (true|false), \"row seed\": (-?\\d+), \"batch seed\": (-?\\d+),"
            + " \"file\": \"([^\"]+)\", \"state file\": \"([^\"]+)\"}\\s*");

    /** Where a run's last saved epoch ended, and whether it was told to stop there (early stopping, a listener). */
    record Progress(int epoch, long step, boolean stopped) {
    }

    /** What the driver's loop carries from one epoch to the next besides the model; {@code stopping} may be null. */
    record Loop(Optimizer optimizer, LearningRateSchedule schedule, EarlyStopping stopping, long[] seeds) {
    }

    private EpochCheckpoint() {
    }

    /** Writes epoch {@code epoch}'s checkpoint and removes the previous epoch's files. */
    static void write(Path folder, Model model, Loop loop, int epoch, long step, boolean stopped)
            throws IOException {
        Files.createDirectories(folder);
        String file = "epoch-" + epoch + ".safetensors";
        String state = "epoch-" + epoch + ".state";
        Checkpoint.save(model, folder.resolve(file));
        AtomicFiles.write(folder.resolve(state), ByteBuffer.wrap(stateBytes(loop)));
        AtomicFiles.writeString(folder.resolve(PROGRESS), "{\"network\": \"" + model.name() + "\", \"optimizer\": \""
                + describe(loop.optimizer()) + "\", \"epoch\": " + epoch + ", \"step\": " + step + ", \"stopped\": " + stopped + ", \"row seed\": "
                + loop.seeds()[0] + ", \"batch seed\": " + loop.seeds()[1] + ", \"file\": \"" + file
                + "\", \"state file\": \"" + state + "\"}\n");
        if (epoch > 1) {
            Files.deleteIfExists(folder.resolve("epoch-" + (epoch - 1) + ".safetensors"));
            Files.deleteIfExists(folder.resolve("epoch-" + (epoch - 1) + ".state"));
        }
    }

    private static byte[] stateBytes(Loop loop) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeUTF(MAGIC);
        out.writeInt(VERSION);
        writeBytes(out, TrainingInternals.saveOptimizer(loop.optimizer()));
        double[] schedule = loop.schedule().saveState();
        out.writeInt(schedule.length);
        for (double v : schedule) {
            out.writeDouble(v);
        }
        out.writeBoolean(loop.stopping() != null);
        if (loop.stopping() != null) {
            writeBytes(out, TrainingInternals.saveEarlyStopping(loop.stopping()));
        }
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        out.flush();
        return bytes.toByteArray();
    }

    /**
     * Loads the last checkpoint into {@code model} and the loop's optimizer, schedule and early stopping; empty when
     * the folder has none. Refuses a checkpoint of another network, optimizer, seeds (the resumed epochs would visit
     * other batches than the saved run's), schedule or early stopping, checking the progress file and the state
     * file before the model changes.
     */
    static Optional<Progress> resume(Path folder, Model model, Loop loop) throws IOException {
        Path progress = folder.resolve(PROGRESS);
        if (!Files.exists(progress)) {
            return Optional.empty();
        }
        String text = Files.readString(progress);
        Matcher m = FIELDS.matcher(text);
        if (!m.matches()) {
            throw new IOException("expected {\"network\": ..., \"optimizer\": ..., \"epoch\": E, \"step\": S, \"stopped\": B,"
                    + " \"row seed\": R, \"batch seed\": B, \"file\": ..., \"state file\": ...} in " + progress
                    + ", found: " + text.strip());
        }
        expect(folder, "network", model.name(), m.group(1));
        expect(folder, "optimizer", describe(loop.optimizer()), m.group(2));
        expect(folder, "row order seed (ShardedData's)", Long.toString(loop.seeds()[0]), m.group(6));
        expect(folder, "batch order seed (SparkTrainer.seed)", Long.toString(loop.seeds()[1]), m.group(7));
        Path state = folder.resolve(m.group(9));
        readState(Files.readAllBytes(state), state.toString(), model.parameterCount(), loop);
        Checkpoint.load(model, folder.resolve(m.group(8)));
        return Optional.of(new Progress(Integer.parseInt(m.group(3)), Long.parseLong(m.group(4)),
                Boolean.parseBoolean(m.group(5))));
    }

    private static void readState(byte[] all, String source, int parameterCount, Loop loop) throws IOException {
        if (all.length < 8) {
            throw new IOException(source + ": expected an epoch state ending in an 8-byte checksum, found "
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
        byte[] optimizer = readBytes(in);
        double[] schedule = new double[in.readInt()];
        for (int i = 0; i < schedule.length; i++) {
            schedule[i] = in.readDouble();
        }
        boolean stopped = in.readBoolean();
        if (stopped != (loop.stopping() != null)) {
            throw new IllegalArgumentException(source + ": expected the state of a fit " + (loop.stopping() != null
                    ? "with" : "without") + " early stopping, found one " + (stopped ? "with" : "without"));
        }
        byte[] stopping = stopped ? readBytes(in) : null;
        TrainingInternals.loadOptimizer(loop.optimizer(), optimizer, parameterCount, source);
        loop.schedule().restoreState(schedule);
        if (stopping != null) {
            TrainingInternals.loadEarlyStopping(loop.stopping(), stopping, source);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("expected a section of " + length + " bytes, found " + in.available() + " left");
        }
        return in.readNBytes(length);
    }

    /** The optimizer's rule with its constants, without the learning rate (a schedule changes it). */
    private static String describe(Optimizer optimizer) {
        return optimizer.rule().toString().replace('"', '\'');
    }

    private static void expect(Path folder, String what, String expected, String found) {
        if (!expected.equals(found)) {
            throw new IllegalArgumentException("the checkpoint in " + folder + " was written with another " + what
                    + ": expected " + expected + ", found " + found);
        }
    }
}
