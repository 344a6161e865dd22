package dev.lamina.spark;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.io.AtomicFiles;
import dev.lamina.runtime.io.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Internal, not API: the driver's checkpoint after each epoch, in a folder: {@code epoch-E.safetensors} (the
 * parameters and running statistics, {@link Checkpoint}) and then {@code progress.json}, which names it with the
 * epoch and step reached. Both are written atomically and the progress file last, so a crash between the two
 * leaves the previous pair valid. The optimizer's state (momentum, moments) is not saved: a resumed run starts it
 * afresh.
 */
final class EpochCheckpoint {
    private static final String PROGRESS = "progress.json";
    private static final Pattern FIELDS = Pattern.compile(
            "\\{\"network\": \"([^\"]*)\", \"epoch\": (\\d+), \"step\": (\\d+), \"file\": \"([^\"]+)\"}\\s*");

    /** Where a run stopped. */
    record Progress(int epoch, long step) {
    }

    private EpochCheckpoint() {
    }

    static void write(Path folder, Model model, int epoch, long step) throws IOException {
        Files.createDirectories(folder);
        String file = "epoch-" + epoch + ".safetensors";
        Checkpoint.save(model, folder.resolve(file));
        AtomicFiles.writeString(folder.resolve(PROGRESS), "{\"network\": \"" + model.name() + "\", \"epoch\": "
                + epoch + ", \"step\": " + step + ", \"file\": \"" + file + "\"}\n");
        if (epoch > 1) {
            Files.deleteIfExists(folder.resolve("epoch-" + (epoch - 1) + ".safetensors"));
        }
    }

    /** Loads the last checkpoint into {@code model}; empty when the folder has none. */
    static Optional<Progress> resume(Path folder, Model model) throws IOException {
        Path progress = folder.resolve(PROGRESS);
        if (!Files.exists(progress)) {
            return Optional.empty();
        }
        String text = Files.readString(progress);
        Matcher m = FIELDS.matcher(text);
        if (!m.matches()) {
            throw new IOException("expected {\"network\": ..., \"epoch\": E, \"step\": S, \"file\": ...} in "
                    + progress + ", found: " + text.strip());
        }
        if (!m.group(1).equals(model.name())) {
            throw new IllegalArgumentException("the checkpoint in " + folder + " is of network " + m.group(1)
                    + ", not of " + model.name());
        }
        Checkpoint.load(model, folder.resolve(m.group(4)));
        return Optional.of(new Progress(Integer.parseInt(m.group(2)), Long.parseLong(m.group(3))));
    }
}
