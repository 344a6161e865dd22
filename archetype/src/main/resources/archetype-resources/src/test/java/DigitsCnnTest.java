package ${package};

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.runtime.data.Mnist;
import dev.lamina.runtime.io.Checkpoint;
import dev.lamina.runtime.train.Evaluation;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.Trainer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated network learns the digits, and its checkpoint restores it exactly. */
class DigitsCnnTest {

    @Test
    void learnsTheDigitsAndRestoresFromItsCheckpoint(@TempDir Path dir) throws Exception {
        Mnist.Split data = Digits.load(7);
        DigitsCnnNet net = DigitsCnnNet.create(1);
        Trainer.of(net).optimizer(Optimizer.momentum(0.05, 0.9)).batchSize(32).epochs(3).seed(42)
                .fit(data.train(), data.test());
        double accuracy = Evaluation.of(net, data.test(), 1000).accuracy();
        assertTrue(accuracy >= 0.8, "held-out accuracy after 3 epochs: expected at least 0.8, found " + accuracy);

        Path file = dir.resolve("digits-cnn.safetensors");
        Checkpoint.save(net, file);
        DigitsCnnNet restored = DigitsCnnNet.create(99);
        Checkpoint.load(restored, file);
        assertArrayEquals(net.parameterArray(), restored.parameterArray(), 0f);
        assertEquals(accuracy, Evaluation.of(restored, data.test(), 1000).accuracy());
    }
}
