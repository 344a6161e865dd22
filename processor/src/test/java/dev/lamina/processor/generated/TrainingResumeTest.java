package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.processor.nets.FailLoudNets_SmallNet;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.train.EpochRecord;
import dev.lamina.runtime.train.History;
import dev.lamina.runtime.train.ModelCheckpoint;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.TrainingCheckpoint;
import dev.lamina.runtime.train.TrainingContext;
import dev.lamina.runtime.train.TrainingListener;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TrainingCheckpoint} and {@code Trainer.resumeFrom}: a run killed with SIGKILL and resumed ends with bit for
 * bit the parameters, running statistics and validation losses of a run never interrupted, as does a run resumed
 * at every epoch boundary; a checkpoint of another network or optimizer is refused.
 */
class TrainingResumeTest {
    private static final int EPOCHS = 5;

    /** The uninterrupted run: final parameters and buffers, and each epoch's validation loss. */
    private static Result uninterrupted() {
        Model model = ResumeRun.model(1);
        History h = ResumeRun.trainer(model, EPOCHS).fit(ResumeRun.train(), ResumeRun.validation());
        return new Result(ResumeRun.everything(model), validationLosses(h));
    }

    private record Result(float[] everything, double[] validationLosses) {
    }

    private static double[] validationLosses(History h) {
        return h.epochs().stream().mapToDouble(EpochRecord::validationLoss).toArray();
    }

    @Test
    void killedWithSigkillAndResumedEndsBitForBitAsAnUninterruptedRun(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("checkpoints");
        // paused at the second batch of epoch 3: the checkpoint of epoch 2 is complete, epoch 3 has moved on
        Process first = start(folder, 3, false, dir.resolve("unused.bin"));
        try (BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(),
                StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = out.readLine()) != null && !line.equals("paused")) {
                lines.add(line);
            }
            assertEquals("paused", line, "the first run should pause in epoch 3; it printed " + lines);
            first.destroyForcibly();
            assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the killed run did not end");
        }
        assertNotEquals(0, first.exitValue(), "killed, not finished");
        Path saved = TrainingCheckpoint.latest(folder);
        assertEquals("epoch-2", saved.getFileName().toString());
        for (Path file : List.of(saved.resolve("model.safetensors"), saved.resolve("training.state"),
                folder.resolve("latest"))) {
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                    file + ": the mode umask 027 gives a new file");
        }

        Path resumedOut = dir.resolve("resumed.bin");
        Process second = start(folder, 0, true, resumedOut);
        String output = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the resumed run did not end");
        assertEquals(0, second.exitValue(), "the resumed run failed: " + output);

        Result expected = uninterrupted();
        try (DataInputStream in = new DataInputStream(Files.newInputStream(resumedOut))) {
            float[] everything = new float[in.readInt()];
            for (int i = 0; i < everything.length; i++) {
                everything[i] = Float.intBitsToFloat(in.readInt());
            }
            double[] losses = new double[in.readInt()];
            for (int i = 0; i < losses.length; i++) {
                losses[i] = Double.longBitsToDouble(in.readLong());
            }
            assertBitwiseEqual(expected.everything(), everything);
            assertArrayEquals(expected.validationLosses(), losses, 0.0, "every epoch's validation loss, bit for bit");
        }
        assertEquals("epoch-" + EPOCHS, TrainingCheckpoint.latest(folder).getFileName().toString());
        try (var saves = Files.list(folder)) {
            assertEquals(List.of("epoch-" + EPOCHS, "latest"), saves.map(p -> p.getFileName().toString()).sorted()
                    .toList(), "only the last save is kept");
        }
    }

    @Test
    void resumedAtEveryEpochBoundaryEndsBitForBitAsAnUninterruptedRun(@TempDir Path dir) {
        Path folder = dir.resolve("checkpoints");
        History h = null;
        Model model = null;
        ModelCheckpoint models = null;
        for (int epochs = 1; epochs <= EPOCHS; epochs++) {
            // a new network (other parameters), trainer and optimizer each time: all comes from the checkpoint
            model = ResumeRun.model(epochs == 1 ? 1 : 100 + epochs);
            models = ModelCheckpoint.onValidationLoss(dir.resolve("models"));
            var trainer = ResumeRun.trainer(model, epochs).listener(TrainingCheckpoint.in(folder)).listener(models);
            if (epochs > 1) {
                trainer.resumeFrom(folder);
            }
            h = trainer.fit(ResumeRun.train(), ResumeRun.validation());
            assertEquals(epochs, h.epochs().size(), "the history holds the earlier epochs too");
        }
        Result expected = uninterrupted();
        assertBitwiseEqual(expected.everything(), ResumeRun.everything(model));
        assertArrayEquals(expected.validationLosses(), validationLosses(h), 0.0);
        // the last fit ran one epoch, but its ModelCheckpoint took the best from the restored history
        EpochRecord best = h.epochs().stream().min(java.util.Comparator.comparingDouble(EpochRecord::validationLoss))
                .orElseThrow();
        assertTrue(best.epoch() < EPOCHS, "with these settings the best epoch is an earlier one: " + best.epoch());
        assertEquals(best.epoch(), models.bestEpoch());
    }

    @Test
    void aCheckpointOfAnotherOptimizerOrNetworkOrADamagedOneIsRefused(@TempDir Path dir) throws IOException {
        Path folder = dir.resolve("checkpoints");
        ResumeRun.trainer(ResumeRun.model(1), 1).listener(TrainingCheckpoint.in(folder))
                .fit(ResumeRun.train(), ResumeRun.validation());

        Model model = ResumeRun.model(2);
        float[] before = ResumeRun.everything(model);
        UncheckedIOException optimizer = assertThrows(UncheckedIOException.class, () -> ResumeRun.trainer(model, 2)
                .optimizer(Optimizer.momentum(0.01, 0.9)).resumeFrom(folder)
                .fit(ResumeRun.train(), ResumeRun.validation()));
        assertTrue(optimizer.getMessage().contains("another optimizer"), optimizer.getMessage());
        assertBitwiseEqual(before, ResumeRun.everything(model));

        UncheckedIOException network = assertThrows(UncheckedIOException.class, () -> ResumeRun.trainer(
                FailLoudNets_SmallNet.create(1), 2).resumeFrom(folder).fit(ResumeRun.train(), ResumeRun.validation()));
        assertTrue(network.getMessage().contains("another network") && network.getMessage().contains("Dropped"),
                network.getMessage());

        Path state = TrainingCheckpoint.latest(folder).resolve("training.state");
        byte[] bytes = Files.readAllBytes(state);
        bytes[bytes.length / 2] ^= 1;
        Files.write(state, bytes);
        UncheckedIOException damaged = assertThrows(UncheckedIOException.class, () -> ResumeRun.trainer(model, 2)
                .resumeFrom(folder).fit(ResumeRun.train(), ResumeRun.validation()));
        assertTrue(damaged.getMessage().contains("the file is damaged"), damaged.getMessage());
        assertBitwiseEqual(before, ResumeRun.everything(model));

        UncheckedIOException none = assertThrows(UncheckedIOException.class, () -> ResumeRun.trainer(model, 2)
                .resumeFrom(dir.resolve("empty")).fit(ResumeRun.train(), ResumeRun.validation()));
        assertTrue(none.getMessage().contains("expected a training checkpoint"), none.getMessage());
    }

    @Test
    void aListenersStopMarksTheHistoryAsStopped() {
        Model model = ResumeRun.model(1);
        History h = ResumeRun.trainer(model, EPOCHS).listener(new TrainingListener() {
            @Override
            public void epochFinished(EpochRecord record, TrainingContext context) {
                if (record.epoch() == 2) {
                    context.stop();
                }
            }
        }).fit(ResumeRun.train(), ResumeRun.validation());
        assertEquals(2, h.epochs().size());
        assertTrue(h.stoppedEarly(), "a listener's stop is an early stop");

        History full = ResumeRun.trainer(ResumeRun.model(1), 2).fit(ResumeRun.train(), ResumeRun.validation());
        assertFalse(full.stoppedEarly(), "running out of epochs is not");
    }

    private static void assertBitwiseEqual(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    "float " + i + " of " + expected.length + ": " + expected[i] + " against " + actual[i]);
        }
    }

    /**
     * Starts {@link ResumeRun} in a new JVM with this one's class path and thread count, under umask 027 (files
     * it creates get mode 0640, which neither a fixed 0600 nor the usual umask 022 gives).
     */
    private static Process start(Path folder, int pauseEpoch, boolean resume, Path out) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int threads = Integer.getInteger("lamina.threads", Runtime.getRuntime().availableProcessors());
        List<String> command = List.of("/bin/sh", "-c", "umask 027 && exec \"$0\" \"$@\"", java,
                "-Dlamina.threads=" + threads, "-cp",
                System.getProperty("java.class.path"), ResumeRun.class.getName(), folder.toString(),
                String.valueOf(EPOCHS), String.valueOf(pauseEpoch), String.valueOf(resume), out.toString());
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
