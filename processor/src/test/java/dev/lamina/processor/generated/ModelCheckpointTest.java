package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.processor.nets.FailLoudNets_SmallNet;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.Rng;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.io.Checkpoint;
import dev.lamina.runtime.train.EpochRecord;
import dev.lamina.runtime.train.Evaluation;
import dev.lamina.runtime.train.History;
import dev.lamina.runtime.train.ModelCheckpoint;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ModelCheckpoint}: the last epoch's parameters and the best epoch's, each loadable into a new network. */
class ModelCheckpointTest {
    /** Three Gaussian blobs in 4-D, one-hot targets; noisy enough that validation loss does not fall every epoch. */
    private static Dataset blobs(int n, long seed) {
        return Fixtures.gaussianBlobs(n, seed, 1.0, 1.5);
    }

    @Test
    void lastAndBestByValidationLoss(@TempDir Path dir) throws IOException {
        Dataset train = blobs(256, 1);
        Dataset validation = blobs(128, 2);
        Model model = FailLoudNets_SmallNet.create(3);
        ModelCheckpoint checkpoints = ModelCheckpoint.onValidationLoss(dir.resolve("run"));
        History h = Trainer.of(model).optimizer(Optimizer.momentum(0.2, 0.9)).batchSize(16).epochs(6).seed(4)
                .listener(checkpoints).fit(train, validation);

        Model last = FailLoudNets_SmallNet.create(99);
        Checkpoint.load(last, checkpoints.last());
        assertArrayEquals(model.parameterArray(), last.parameterArray(), 0f, "last: the parameters fit ended with");

        EpochRecord best = h.epochs().stream().min(Comparator.comparingDouble(EpochRecord::validationLoss))
                .orElseThrow();
        assertEquals(best.epoch(), checkpoints.bestEpoch());
        // with these settings the best epoch is an early one (3 of 6 when written), so best and last differ
        assertTrue(best.epoch() < h.epochs().size(), "the best epoch should not be the last here: " + best.epoch());
        Model restored = FailLoudNets_SmallNet.create(99);
        Checkpoint.load(restored, checkpoints.best());
        double loss = Evaluation.of(restored, validation, 1000).loss();
        assertEquals(best.validationLoss(), loss, 1e-5 * Math.abs(loss), "best: the lowest validation loss's epoch");
        assertTrue(Files.list(dir.resolve("run")).allMatch(p -> p.getFileName().toString().endsWith(".safetensors")),
                "no temporary files left");
    }

    @Test
    void withoutAValidationSetOnlyTheLastIsWritten(@TempDir Path dir) {
        Model model = FailLoudNets_SmallNet.create(3);
        ModelCheckpoint checkpoints = ModelCheckpoint.onValidationAccuracy(dir);
        Trainer.of(model).batchSize(16).epochs(2).seed(4).listener(checkpoints).fit(blobs(64, 1));
        assertTrue(Files.exists(checkpoints.last()));
        assertFalse(Files.exists(checkpoints.best()));
        assertEquals(0, checkpoints.bestEpoch());
    }
}
