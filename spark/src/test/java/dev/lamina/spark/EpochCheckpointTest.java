package dev.lamina.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.train.EarlyStopping;
import dev.lamina.runtime.train.LearningRateSchedule;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.TrainingInternals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver's epoch checkpoint without Spark: what it saves comes back, and what does not fit is refused. */
class EpochCheckpointTest {
    private static final long[] SEEDS = {5, 3};

    /** A loop in the middle of a run: Adam after 3 steps, a reduced rate, early stopping that saw two epochs. */
    private static EpochCheckpoint.Loop midRun(Model model) {
        Optimizer adam = Optimizer.adam(0.01);
        float[][] moments = new float[2][model.parameterCount()];
        for (int i = 0; i < moments[0].length; i++) {
            moments[0][i] = 1e-3f * (i % 17 - 8);
            moments[1][i] = 1e-6f * (i % 13);
        }
        TrainingInternals.setOptimizerState(adam, moments, 3);
        LearningRateSchedule schedule = LearningRateSchedule.reduceOnPlateau(0.5, 1);
        schedule.observe(0.9);
        schedule.observe(1.1); // no improvement: the rate halves
        EarlyStopping stopping = EarlyStopping.onValidationLoss().patience(5).restoreBest();
        TrainingInternals.evaluate(stopping, 0.9, Double.NaN, 4, 1, model);
        TrainingInternals.evaluate(stopping, 1.1, Double.NaN, 8, 2, model);
        return new EpochCheckpoint.Loop(adam, schedule, stopping, SEEDS);
    }

    private static EpochCheckpoint.Loop fresh(EarlyStopping stopping) {
        return new EpochCheckpoint.Loop(Optimizer.adam(0.01), LearningRateSchedule.reduceOnPlateau(0.5, 1), stopping,
                SEEDS);
    }

    @Test
    void theLoopsStateComesBackExactly(@TempDir Path folder) throws IOException {
        Model model = TinyCnnNet.create(7);
        EpochCheckpoint.Loop saved = midRun(model);
        EpochCheckpoint.write(folder, model, saved, 2, 8, true);
        Model restarted = TinyCnnNet.create(8);
        EpochCheckpoint.Loop loaded = fresh(EarlyStopping.onValidationLoss().patience(5).restoreBest());
        EpochCheckpoint.Progress progress = EpochCheckpoint.resume(folder, restarted, loaded).orElseThrow();
        assertEquals(new EpochCheckpoint.Progress(2, 8, true), progress);
        assertArrayEquals(model.parameterArray(), restarted.parameterArray());
        assertEquals(3, loaded.optimizer().steps());
        int size = model.parameterCount();
        assertArrayEquals(TrainingInternals.optimizerState(saved.optimizer(), size)[0],
                TrainingInternals.optimizerState(loaded.optimizer(), size)[0]);
        assertArrayEquals(TrainingInternals.optimizerState(saved.optimizer(), size)[1],
                TrainingInternals.optimizerState(loaded.optimizer(), size)[1]);
        assertArrayEquals(saved.schedule().saveState(), loaded.schedule().saveState());
        assertEquals(0.5, loaded.schedule().rate(3, 1.0), "the halved rate");
        assertArrayEquals(TrainingInternals.saveEarlyStopping(saved.stopping()),
                TrainingInternals.saveEarlyStopping(loaded.stopping()));
        assertEquals(1, loaded.stopping().bestEpoch());
    }

    @Test
    void aCheckpointOfAnotherSetUpIsRefusedBeforeTheModelChanges(@TempDir Path folder) throws IOException {
        Model model = TinyCnnNet.create(7);
        EpochCheckpoint.write(folder, model, midRun(model), 2, 8, false);
        Model other = TinyCnnNet.create(8);
        float[] before = other.parameterArray();
        IllegalArgumentException noStopping = assertThrows(IllegalArgumentException.class,
                () -> EpochCheckpoint.resume(folder, other, fresh(null)));
        assertTrue(noStopping.getMessage().contains("expected the state of a fit without early stopping, found one"
                + " with"), noStopping.getMessage());
        EpochCheckpoint.Loop momentum = new EpochCheckpoint.Loop(Optimizer.momentum(0.01, 0.9),
                LearningRateSchedule.reduceOnPlateau(0.5, 1), null, SEEDS);
        IllegalArgumentException optimizer = assertThrows(IllegalArgumentException.class,
                () -> EpochCheckpoint.resume(folder, other, momentum));
        assertTrue(optimizer.getMessage().contains("another optimizer"), optimizer.getMessage());
        EpochCheckpoint.Loop seeds = new EpochCheckpoint.Loop(Optimizer.adam(0.01),
                LearningRateSchedule.reduceOnPlateau(0.5, 1), EarlyStopping.onValidationLoss(), new long[] {5, 4});
        IllegalArgumentException seed = assertThrows(IllegalArgumentException.class,
                () -> EpochCheckpoint.resume(folder, other, seeds));
        assertTrue(seed.getMessage().contains("batch order seed (SparkTrainer.seed): expected 4, found 3"),
                seed.getMessage());
        assertArrayEquals(before, other.parameterArray());
    }

    @Test
    void aDamagedStateFileIsRefused(@TempDir Path folder) throws IOException {
        Model model = TinyCnnNet.create(7);
        EpochCheckpoint.write(folder, model, midRun(model), 1, 4, false);
        Path state = folder.resolve("epoch-1.state");
        byte[] bytes = Files.readAllBytes(state);
        bytes[bytes.length / 2] ^= 1;
        Files.write(state, bytes);
        IOException e = assertThrows(IOException.class, () -> EpochCheckpoint.resume(folder, TinyCnnNet.create(8),
                fresh(EarlyStopping.onValidationLoss().patience(5).restoreBest())));
        assertTrue(e.getMessage().contains("the checksum does not match"), e.getMessage());
    }
}
