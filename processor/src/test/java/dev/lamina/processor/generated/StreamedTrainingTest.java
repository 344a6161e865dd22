package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.processor.nets.CorrectnessNets_NormedAndDroppedNet;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.Rng;
import dev.lamina.runtime.data.Augmentation;
import dev.lamina.runtime.data.DataSource;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.Trainer;
import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Issue 22, item 5: training through the data pipeline gives bitwise the parameters of training on the set in
 * memory, prefetched or not; an augmented run gives the same parameters whatever the data threads.
 */
class StreamedTrainingTest {
    /** Three noisy classes in 3x4x4 images. */
    private static Dataset images(int n, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[n * 48];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 48; j++) {
                x[i * 48 + j] = (float) ((j / 16 == y[i] ? 1 : 0) + rng.nextDouble() - 0.5);
            }
        }
        return Dataset.classification(x, new int[] {3, 4, 4}, y, 3);
    }

    /** The same rows, but not a {@link Dataset}: the trainer must go through a loader. */
    private static DataSource streamed(Dataset d) {
        return new DataSource() {
            @Override
            public int size() {
                return d.size();
            }

            @Override
            public int[] shape() {
                return d.shape();
            }

            @Override
            public int targetSize() {
                return d.targetSize();
            }

            @Override
            public void read(int row, float[] f, int fo, float[] t, int to) {
                d.read(row, f, fo, t, to);
            }
        };
    }

    private static float[] trained(DataSource train, Function<Trainer, Trainer> settings) {
        Model net = CorrectnessNets_NormedAndDroppedNet.create(1);
        settings.apply(Trainer.of(net).optimizer(Optimizer.adam(0.01)).batchSize(16).epochs(3).seed(5))
                .fit(train, images(30, 9));
        float[] p = new float[net.parameterCount()];
        net.parameters().floats().get(0, p);
        return p;
    }

    @Test
    void theLoaderGivesBitwiseTheInMemoryParameters() {
        Dataset data = images(100, 1);
        float[] inPlace = trained(data, t -> t);
        assertArrayEquals(inPlace, trained(streamed(data), t -> t), "a streamed source, prefetched by default");
        assertArrayEquals(inPlace, trained(streamed(data), t -> t.prefetch(0, 1)), "prepared on the training thread");
        assertArrayEquals(inPlace, trained(data, t -> t.prefetch(3, 2)), "an in-memory set through the loader");
    }

    @Test
    void anAugmentedRunIsTheSameWhateverTheDataThreads() {
        Dataset data = images(100, 1);
        Augmentation a = Augmentation.of(Augmentation.shift(1, 1), Augmentation.gaussianNoise(0.1));
        float[] inline = trained(data, t -> t.augmentation(a).prefetch(0, 1));
        assertArrayEquals(inline, trained(data, t -> t.augmentation(a).prefetch(4, 3)));
        assertArrayEquals(inline, trained(streamed(data), t -> t.augmentation(a)));
        assertFalse(Arrays.equals(inline, trained(data, t -> t)), "the augmentation changes the training");
        for (float v : inline) {
            assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void aRowThatCannotBeReadStopsFitWithItsCause() {
        Dataset data = images(100, 1);
        java.io.UncheckedIOException broken = new java.io.UncheckedIOException(
                new java.io.IOException("images/0042.png: not an image"));
        DataSource failing = new DataSource() {
            @Override
            public int size() {
                return data.size();
            }

            @Override
            public int[] shape() {
                return data.shape();
            }

            @Override
            public int targetSize() {
                return data.targetSize();
            }

            @Override
            public void read(int row, float[] f, int fo, float[] t, int to) {
                if (row == 42) {
                    throw broken;
                }
                data.read(row, f, fo, t, to);
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> trained(failing, t -> t));
        assertSame(broken, e.getCause());
        assertTrue(e.getMessage().contains("images/0042.png: not an image"), e.getMessage());
    }
}
