package dev.lamina.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.lamina.dsl.Loss;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.NetworkState;
import dev.lamina.runtime.Tensor;
import dev.lamina.runtime.data.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 22, item 3: listeners see the model and the history, can stop training, and old ones still work. */
class TrainingListenerTest {
    /** A model of one weight whose passes do nothing: the loop runs, the figures are whatever they are. */
    private static final class Still implements Model {
        final NetworkState state = new NetworkState("still", Loss.SOFTMAX_CROSS_ENTROPY, new int[] {1}, 1, 1, 0, 1, 0);

        Still() {
            state.parameter("d.weight", Tensor.Kind.WEIGHT, new int[] {1, 1}, 0, 1f);
            state.layer("d", "Dense", new int[] {1});
            state.initialize(3);
        }

        @Override
        public NetworkState state() {
            return state;
        }

        @Override
        public void forward(int batch) {
        }

        @Override
        public double loss(int batch) {
            return 0.5;
        }

        @Override
        public void backward(int batch) {
        }

        @Override
        public float output(int row, int k) {
            return 0;
        }
    }

    private static Dataset fourSamples() {
        return new Dataset(new float[] {1, 2, 3, 4}, new int[] {1}, new float[] {1, 1, 1, 1}, 1);
    }

    @TempDir
    Path dir;

    @Test
    void aListenerSeesTheModelAndHistoryAndStopsAfterTheEpochItAsks() throws IOException {
        Still model = new Still();
        List<Integer> seen = new ArrayList<>();
        List<Integer> oldStyle = new ArrayList<>();
        Path csv = dir.resolve("h.csv");
        History h = Trainer.of(model).epochs(5).batchSize(2)
                .listener(new TrainingListener() {
                    @Override
                    public void trainingStarted(TrainingContext context) {
                        assertSame(model, context.model());
                        assertEquals(5, context.epochs());
                        assertEquals(0, context.history().epochs().size());
                    }

                    @Override
                    public void epochFinished(EpochRecord record, TrainingContext context) {
                        assertSame(model, context.model());
                        // the record just finished is already in the history
                        assertEquals(record, context.history().last());
                        seen.add(context.history().epochs().size());
                        if (record.epoch() == 2) {
                            context.stop();
                        }
                    }
                })
                // written against the hooks without a context: still called, and still after every epoch run
                .listener(new TrainingListener() {
                    @Override
                    public void epochFinished(EpochRecord record) {
                        oldStyle.add(record.epoch());
                    }
                })
                .listener(HistoryFile.csv(csv))
                .fit(fourSamples());
        assertEquals(List.of(1, 2), seen);
        assertEquals(List.of(1, 2), oldStyle);
        assertEquals(2, h.epochs().size());
        assertEquals(h.toCsv(), Files.readString(csv));
    }
}
