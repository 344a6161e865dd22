package dev.lamina.spark;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.spark.sample.SparkTrain;
import org.junit.jupiter.api.Test;

/** The sample's command line refuses what it does not know before starting Spark. */
class SparkTrainArgumentsTest {

    @Test
    void anotherModelIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkTrain.main(new String[] {"train", "--model", "mlp", "--spark", "local[2]"}));
        assertTrue(e.getMessage().contains("expected --model lenet") && e.getMessage().contains("mlp"),
                e.getMessage());
    }

    @Test
    void anUnknownOptionOrAMissingValueIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkTrain.main(new String[] {"train", "--batch", "64"}));
        assertTrue(e.getMessage().contains("'--batch'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SparkTrain.main(new String[] {"train", "--epochs"}));
        assertTrue(e.getMessage().contains("without a value"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SparkTrain.main(new String[] {"fit"}));
        assertTrue(e.getMessage().contains("expected: train --model lenet"), e.getMessage());
    }
}
