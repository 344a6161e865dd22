package dev.lamina.spark;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.io.AtomicFiles;
import dev.lamina.runtime.io.Checkpoint;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.TrainingInternals;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Internal, not API: the driver's checkpoint after each epoch, in a folder: {@code epoch-E.safetensors} (the
 * parameters and running statistics, {@link Checkpoint}), {@code epoch-E.optimizer} (the optimizer's step count,
 * learning rate and state, in the runtime's training-checkpoint format) and then {@code progress.json}, which names
 * them with the epoch and step reached and the seeds of the data's order. All are written atomically and the
 * progress file last, so a crash between them leaves the previous set valid.
 */
final class EpochCheckpoint {
    private static final String PROGRESS = "progress.json";
    private static final Pattern FIELDS = Pattern.compile("\\{\"network\": \"([^\"]*)\", \"optimizer\": \"([^\"]*)\","
            + " \"epoch\": (\\d+), \"step\": (\\d+), \"row seed\": (-?\\d+), \"batch seed\": (-?\\d+),"
            + " \"file\": \"([^\"]+)\", \"optimizer file\": \"([^\"]+)\"}\\s*");

    /** Where a run stopped. */
    record Progress(int epoch, long step) {
    }

    private EpochCheckpoint() {
    }

    /**
     * Writes epoch {@code epoch}'s checkpoint and removes the previous epoch's files.
     *
     * @param seeds the rows' order seed and the batches' order seed
     */
    static void write(Path folder, Model model, Optimizer optimizer, long[] seeds, int epoch, long step)
            throws IOException {
        Files.createDirectories(folder);
        String file = "epoch-" + epoch + ".safetensors";
        String state = "epoch-" + epoch + ".optimizer";
        Checkpoint.save(model, folder.resolve(file));
        AtomicFiles.write(folder.resolve(state), ByteBuffer.wrap(TrainingInternals.saveOptimizer(optimizer)));
        AtomicFiles.writeString(folder.resolve(PROGRESS), "{\"network\": \"" + model.name() + "\", \"optimizer\": \""
                + describe(optimizer) + "\", \"epoch\": " + epoch + ", \"step\": " + step + ", \"row seed\": "
                + seeds[0] + ", \"batch seed\": " + seeds[1] + ", \"file\": \"" + file + "\", \"optimizer file\": \""
                + state + "\"}\n");
        if (epoch > 1) {
            Files.deleteIfExists(folder.resolve("epoch-" + (epoch - 1) + ".safetensors"));
            Files.deleteIfExists(folder.resolve("epoch-" + (epoch - 1) + ".optimizer"));
        }
    }

    /**
     * Loads the last checkpoint into {@code model} and {@code optimizer}; empty when the folder has none. Refuses,
     * before anything changes, a checkpoint of another network, optimizer or seeds (the resumed epochs would visit
     * other batches than the saved run's).
     */
    static Optional<Progress> resume(Path folder, Model model, Optimizer optimizer, long[] seeds) throws IOException {
        Path progress = folder.resolve(PROGRESS);
        if (!Files.exists(progress)) {
            return Optional.empty();
        }
        String text = Files.readString(progress);
        Matcher m = FIELDS.matcher(text);
        if (!m.matches()) {
            throw new IOException("expected {\"network\": ..., \"optimizer\": ..., \"epoch\": E, \"step\": S,"
                    + " \"row seed\": R, \"batch seed\": B, \"file\": ..., \"optimizer file\": ...} in " + progress
                    + ", found: " + text.strip());
        }
        expect(folder, "network", model.name(), m.group(1));
        expect(folder, "optimizer", describe(optimizer), m.group(2));
        expect(folder, "row order seed (ShardedData's)", Long.toString(seeds[0]), m.group(5));
        expect(folder, "batch order seed (SparkTrainer.seed)", Long.toString(seeds[1]), m.group(6));
        Path state = folder.resolve(m.group(8));
        byte[] saved = Files.readAllBytes(state);
        TrainingInternals.loadOptimizer(optimizer, saved, model.parameterCount(), state.toString());
        Checkpoint.load(model, folder.resolve(m.group(7)));
        return Optional.of(new Progress(Integer.parseInt(m.group(3)), Long.parseLong(m.group(4))));
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
