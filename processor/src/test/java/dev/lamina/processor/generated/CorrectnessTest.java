package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.processor.nets.CorrectnessNets_DensePerStepNet;
import dev.lamina.processor.nets.CorrectnessNets_NormedAndDroppedNet;
import dev.lamina.processor.nets.CorrectnessNets_NormedImagesNet;
import dev.lamina.processor.nets.CorrectnessNets_OverlappingUnpoolNet;
import dev.lamina.processor.nets.CorrectnessNets_OverlappingUnpoolTrainedNet;
import dev.lamina.processor.nets.CorrectnessNets_SmoothResidualsNet;
import dev.lamina.processor.nets.GradNets_NormedNet;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.Tensor;
import dev.lamina.runtime.analysis.GradientCheck;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.io.Checkpoint;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.Trainer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defects a comparison with PyTorch found, one test each; every one of these failed before its fix. The
 * differential suite (PyTorchDifferentialTest) covers the same layers against PyTorch's numbers.
 */
class CorrectnessTest {

    @Test
    void aDenseAtEveryStepHasOneStepsWeights() {
        Model m = CorrectnessNets_DensePerStepNet.create(1);
        Tensor weight = m.parameterTensors().stream().filter(t -> t.name().equals("d.weight")).findFirst()
                .orElseThrow();
        assertArrayEquals(new int[] {2, 2}, weight.shape());
        assertEquals(2 * 2 + 2, m.parameterCount());
        // every step is tanh(W x_t + b) with the same W and b
        float[] p = m.parameterArray();
        float[] x = Fixtures.gaussian(3 * 2, 4);
        float[] y = m.predict(x, 1);
        for (int t = 0; t < 3; t++) {
            for (int u = 0; u < 2; u++) {
                double sum = p[4 + u] + p[u * 2] * x[t * 2] + p[u * 2 + 1] * x[t * 2 + 1];
                assertEquals(Math.tanh(sum), y[t * 2 + u], 1e-6, "step " + t + " unit " + u);
            }
        }
        m.setTraining(true);
        GradientCheck.Result r = GradientCheck.check(m, Fixtures.gaussian(3 * 6, 5), Fixtures.gaussian(3 * 6, 6), 3,
                1e-2, 1, 1e-2);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void batchNormBackwardInInferenceIsTheRunningStatisticsAffineMap() {
        // fresh: running mean 0 and variance 1 (the backward once read statistics no pass had written: zeros)
        assertInferenceGradients(GradNets_NormedNet.create(4), 6);
        // after training passes have moved the running statistics away from the batch's
        Model trained = GradNets_NormedNet.create(4);
        trained.setTraining(true);
        for (int pass = 0; pass < 5; pass++) {
            GradientCheck.load(trained, Fixtures.gaussian(6 * trained.inputSize(), 20 + pass),
                    Fixtures.oneHot(6, 3, 9), 6);
            trained.forward(6);
        }
        assertInferenceGradients(trained, 6);
    }

    @Test
    void residualBlocksBackwardInInference() {
        Model m = CorrectnessNets_SmoothResidualsNet.create(7);
        m.setTraining(true);
        GradientCheck.load(m, Fixtures.gaussian(4 * m.inputSize(), 30), Fixtures.oneHot(4, 3, 9), 4);
        m.forward(4);
        assertInferenceGradients(m, 4);
    }

    private static void assertInferenceGradients(Model m, int n) {
        m.setTraining(false);
        GradientCheck.Result r = GradientCheck.check(m, Fixtures.gaussian(n * m.inputSize(), 3),
                Fixtures.oneHot(n, 3, 9), n, 1e-2, 1, 1e-2);
        assertTrue(r.passed(), m.name() + " in inference: " + r);
        assertFalse(m.isTraining());
    }

    @Test
    void maxUnpoolingPlacesAValueOnceWhereOverlappingWindowsWonIt() {
        Model m = CorrectnessNets_OverlappingUnpoolNet.create(1);
        float[] x = new float[16];
        Arrays.fill(x, -1f);
        x[5] = 3f; // (1, 1): the maximum of all four 3x3 windows of the 4x4 image
        float[] y = m.predict(x, 1);
        float[] expected = new float[16];
        expected[5] = 3f;
        assertArrayEquals(expected, y);
    }

    @Test
    void maxUnpoolingAfterAnOverlappingPoolHasItsExactAdjoint() {
        Model m = CorrectnessNets_OverlappingUnpoolTrainedNet.create(3);
        m.setTraining(true);
        // a jump where a window's winner changes: a small step straddles few
        GradientCheck.Result r = GradientCheck.check(m, Fixtures.gaussian(3 * m.inputSize(), 3),
                Fixtures.oneHot(3, 3, 9), 3, 1e-3, 1, 1e-2);
        assertTrue(r.failed() <= r.checked() / 100, r.toString());
    }

    @Test
    void batchNormRefusesATrainingBatchOfOneRowWhenThatIsOneValuePerChannel() {
        Model m = CorrectnessNets_NormedAndDroppedNet.create(2);
        m.setTraining(true);
        GradientCheck.load(m, Fixtures.gaussian(m.inputSize(), 1), Fixtures.oneHot(1, 3, 2), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(1));
        assertTrue(e.getMessage().startsWith("bnVector (BatchNorm) on [5] in training mode needs more than one "
                + "value per channel, but a batch of 1 row gives one"), e.getMessage());
        float[] runningVar = m.bufferTensors().stream().filter(t -> t.name().equals("bnVector.running_var"))
                .findFirst().orElseThrow().toArray();
        assertArrayEquals(new float[] {1, 1, 1, 1, 1}, runningVar, "the refused pass moved nothing");
        // in inference a single row is fine, and so is training on images (many values per channel)
        m.setTraining(false);
        assertDoesNotThrow(() -> m.forward(1));
        Model images = CorrectnessNets_NormedImagesNet.create(2);
        images.setTraining(true);
        GradientCheck.load(images, Fixtures.gaussian(images.inputSize(), 1), Fixtures.oneHot(1, 2, 2), 1);
        assertDoesNotThrow(() -> images.forward(1));
    }

    @Test
    void networksInferWhenCreatedAfterFitAndAfterLoadingAndPredictAlwaysInfers(@TempDir Path dir)
            throws Exception {
        Model m = CorrectnessNets_NormedAndDroppedNet.create(5);
        assertFalse(m.isTraining(), "a new network");
        int n = 64;
        float[] features = Fixtures.gaussian(n * m.inputSize(), 8);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
        }
        Dataset data = Dataset.classification(features, m.inputShape(), labels, 3);
        Trainer.of(m).optimizer(Optimizer.momentum(0.05, 0.9)).batchSize(16).epochs(2).fit(data);
        assertFalse(m.isTraining(), "after fit");

        float[] first = m.predict(features, n);
        float[] second = m.predict(features, n);
        assertArrayEquals(first, second, "dropout and batch statistics would make these differ");

        m.setTraining(true);
        assertArrayEquals(first, m.predict(features, n), "predict infers in training mode too");
        assertTrue(m.isTraining(), "and leaves the mode as it was");
        // the training-mode forward pass really is different (dropout draws masks)
        GradientCheck.load(m, features, new float[n * 3], n);
        m.forward(n);
        assertNotEquals(first[0], m.output(0, 0));

        // (that training pass moved the running statistics: what the network infers now is saved)
        float[] saved = m.predict(features, n);
        Path file = dir.resolve("net.safetensors");
        Checkpoint.save(m, file);
        Checkpoint.load(m, file);
        assertFalse(m.isTraining(), "after loading");
        assertArrayEquals(saved, m.predict(features, n));
    }
}
