package dev.lamina.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.Model;
import dev.lamina.runtime.data.Mnist;
import dev.lamina.runtime.io.Checkpoint;
import dev.lamina.runtime.train.EarlyStopping;
import dev.lamina.runtime.train.Evaluation;
import dev.lamina.runtime.train.History;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real training run of the default sample on the embedded digits, end to end. */
class DigitsTrainingTest {

    private static Model train(Mnist.Split data, long seed) {
        Model model = DigitsCnnNet.create(seed);
        Trainer.of(model).optimizer(Optimizer.momentum(0.05, 0.9)).batchSize(32).epochs(30).seed(42)
                .fit(data.train(), data.test());
        return model;
    }

    @Test
    void smallCnnReaches95PercentOnHeldOutDigitsAndIsBitwiseReproducible(@TempDir Path dir) throws IOException {
        Mnist.Split data = SampleData.digits(7);
        Model first = train(data, 1);
        double accuracy = Evaluation.of(first, data.test(), 1000).accuracy();
        assertTrue(accuracy >= 0.95, "held-out accuracy " + accuracy);

        Model second = train(data, 1);
        assertArrayEquals(first.parameterArray(), second.parameterArray(), 0f);

        // a checkpoint round-trips, and a network of another shape is refused without being changed
        Path file = dir.resolve("digits.safetensors");
        Checkpoint.save(first, file);
        Model restored = DigitsCnnNet.create(99);
        Checkpoint.load(restored, file);
        assertArrayEquals(first.parameterArray(), restored.parameterArray(), 0f);
        assertEquals(accuracy, Evaluation.of(restored, data.test(), 1000).accuracy());

        Model other = LeNet5Net.create(0);
        float[] before = other.parameterArray();
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(other, file));
        assertTrue(e.getMessage().contains("c1.weight"), e.getMessage());
        assertArrayEquals(before, other.parameterArray(), 0f);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void earlyStoppingRestoresTheBestParameters() {
        Mnist.Split data = SampleData.digits(7);
        Model model = DigitsCnnNet.create(2);
        EarlyStopping stopping = EarlyStopping.onValidationLoss().patience(2).restoreBest();
        History h = Trainer.of(model).optimizer(Optimizer.adam(1e-3)).batchSize(32).epochs(40).seed(1)
                .earlyStopping(stopping).fit(data.train(), data.test());
        assertTrue(stopping.bestStep() > 0);
        double best = h.epochs().stream().mapToDouble(r -> r.validationLoss()).min().orElseThrow();
        assertEquals(best, Evaluation.of(model, data.test(), 1000).loss(), 1e-6);
    }
}
