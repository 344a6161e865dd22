package dev.lamina.processor.failloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.processor.nets.FailLoudNets_LinearNet;
import dev.lamina.processor.nets.FailLoudNets_SmallNet;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.train.EarlyStopping;
import dev.lamina.runtime.train.History;
import dev.lamina.runtime.train.NonFiniteException;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.Trainer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Issue 15, item 1: training never goes on through NaN without a word. */
class NonFiniteTrainingTest {
    private static final int N = 64;

    private static Dataset data(long seed, float scale) {
        Random r = new Random(seed);
        float[] x = new float[N * 4];
        int[] labels = new int[N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = r.nextFloat() * scale;
            }
            labels[i] = r.nextInt(3);
        }
        return Dataset.classification(x, new int[] {4}, labels, 3);
    }

    @Test
    void sgdAtAHugeLearningRateStopsWithTheStepEpochAndRows() {
        Model m = FailLoudNets_LinearNet.create(0);
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> Trainer.of(m)
                .optimizer(Optimizer.sgd(1e4)).batchSize(8).epochs(20).seed(1).fit(data(0, 1)));
        assertFalse(m.isTraining(), "fit leaves the model in inference mode");
        assertTrue(e.step() >= 1 && e.epoch() >= 1, e.getMessage());
        assertEquals(8, e.rows().length);
        assertTrue(e.getMessage().contains("step " + e.step()) && e.getMessage().contains("epoch " + e.epoch())
                && e.getMessage().contains(Arrays.toString(e.rows())), e.getMessage());
        for (float p : m.parameterArray()) {
            assertTrue(Float.isFinite(p), "the diverging step is not applied");
        }
    }

    @Test
    void theRowsAreTheBatchsRowsOfTheTrainingSet() {
        // without shuffling, batch b of every epoch holds rows 8b .. 8b + 7
        Model m = FailLoudNets_LinearNet.create(0);
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> Trainer.of(m)
                .optimizer(Optimizer.sgd(1e4)).batchSize(8).epochs(20).shuffle(false).fit(data(0, 1)));
        int first = (int) ((e.step() - 1) % (N / 8)) * 8;
        assertEquals(Arrays.toString(new int[] {first, first + 1, first + 2, first + 3, first + 4, first + 5,
                first + 6, first + 7}), Arrays.toString(e.rows()), e.getMessage());
        assertEquals((e.step() - 1) / (N / 8) + 1, e.epoch(), e.getMessage());
    }

    @Test
    void oneNanPixelIsRefusedWhenTheSetIsBuilt() {
        float[] pixels = new float[3 * 2 * 4 * 4];
        pixels[2 * 32 + 16 + 4 * 1 + 3] = Float.NaN; // row 2, channel 1, y 1, x 3
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.classification(pixels, new int[] {2, 4, 4}, new int[] {0, 1, 2}, 3));
        assertTrue(e.getMessage().contains("row 2") && e.getMessage().contains("column 23")
                && e.getMessage().contains("channel 1, y 1, x 3") && e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void earlyStoppingNeverRecordsOrRestoresANonFiniteEvaluation() {
        // the validation features overflow the forward pass: every evaluation is infinite or NaN
        Dataset validation = data(1, 3e38f);
        Model m = FailLoudNets_SmallNet.create(0);
        EarlyStopping stopping = EarlyStopping.onValidationLoss().patience(2).restoreBest();
        History h = Trainer.of(m).optimizer(Optimizer.sgd(0.01)).batchSize(8).epochs(5).earlyStopping(stopping)
                .fit(data(0, 1), validation);
        assertTrue(Double.isNaN(h.epochs().get(0).validationLoss())
                || Double.isInfinite(h.epochs().get(0).validationLoss()), "the first evaluation is not finite");
        assertEquals(-1, stopping.bestStep(), "no non-finite evaluation is the best");
        assertFalse(Double.isNaN(stopping.bestValue()));
        assertTrue(h.stoppedEarly());
        for (float p : m.parameterArray()) {
            assertTrue(Float.isFinite(p), "nothing non-finite is restored");
        }
    }

    @Test
    void earlyStoppingOnAccuracyIsRefusedForARegression() {
        // a regression's accuracy is NaN: no evaluation could ever be the best
        Model m = dev.lamina.processor.nets.SeedNets_NeuronNet.create(0);
        Dataset d = new Dataset(new float[] {0, 0, 1, 1}, new int[] {2}, new float[] {0, 1}, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.of(m)
                .earlyStopping(EarlyStopping.onValidationAccuracy()).fit(d, d));
        assertTrue(e.getMessage().contains("use onValidationLoss()"), e.getMessage());
    }
}
