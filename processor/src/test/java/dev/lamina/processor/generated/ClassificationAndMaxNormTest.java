package dev.lamina.processor.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.processor.nets.FailLoudNets_SmallNet;
import dev.lamina.processor.nets.GradNets_ConvsNet;
import dev.lamina.processor.nets.GradNets_DecoderNet;
import dev.lamina.processor.nets.GradNets_TokensNet;
import dev.lamina.processor.nets.SeedNets_ScoresNet;
import dev.lamina.runtime.ClassScores;
import dev.lamina.runtime.Layer;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.Rng;
import dev.lamina.runtime.Tensor;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.train.Constraint;
import dev.lamina.runtime.train.Evaluation;
import dev.lamina.runtime.train.Optimizer;
import dev.lamina.runtime.train.Trainer;
import dev.lamina.runtime.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Probabilities and classes of generated networks ({@code Model.probabilities}, {@code Model.classify}) against a
 * hand computation and against {@link Evaluation}'s accuracy on trained networks; the max-norm constraint binding
 * in training runs of a dense, a convolutional and a transposed-convolution network.
 */
class ClassificationAndMaxNormTest {

    /** Three Gaussian blobs in 4-D, one-hot targets. */
    private static Dataset blobs(int n, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[n * 4];
        float[] t = new float[n * 3];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(3);
            t[i * 3 + c] = 1;
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = (float) ((j == c ? 1.5 : 0) + rng.nextGaussian());
            }
        }
        return new Dataset(x, new int[] {4}, t, 3);
    }

    @Test
    void softmaxOf542ByHand() {
        Model m = SeedNets_ScoresNet.create(0);
        m.layers().get(0).weights().copyFrom(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        double[] p = m.probabilities(new float[] {5, 4, 2}, 1);
        double sum = Math.exp(0) + Math.exp(-1) + Math.exp(-3);
        assertArrayEquals(new double[] {1 / sum, Math.exp(-1) / sum, Math.exp(-3) / sum}, p, 1e-15);
        assertArrayEquals(new int[] {0}, m.classify(new float[] {5, 4, 2}, 1));
    }

    @Test
    void classifyCountsWhatEvaluationCountsOnATrainedNetwork() {
        Model m = FailLoudNets_SmallNet.create(5);
        Dataset train = blobs(600, 1);
        Dataset test = blobs(301, 2);
        Trainer.of(m).optimizer(Optimizer.momentum(0.05, 0.9)).batchSize(32).epochs(4).seed(3).fit(train);
        int[] classes = m.classify(test.features(), test.size());
        double[] p = m.probabilities(test.features(), test.size());
        int right = 0;
        for (int i = 0; i < test.size(); i++) {
            right += classes[i] == ClassScores.argmax(test.targets(), i * 3, 3) ? 1 : 0;
            assertEquals(1, p[3 * i] + p[3 * i + 1] + p[3 * i + 2], 1e-12, "row " + i);
            // the most probable class is the class (no two of these rows' probabilities tie)
            int best = 0;
            for (int j = 1; j < 3; j++) {
                best = p[3 * i + j] > p[3 * i + best] ? j : best;
            }
            assertEquals(best, classes[i], "row " + i);
        }
        double accuracy = Evaluation.of(m, test, 64).accuracy();
        assertTrue(accuracy > 0.7, "trained: " + accuracy);
        assertEquals(right / (double) test.size(), accuracy, 0);
    }

    @Test
    void aSequenceOutputHasOneClassPerStepAsEvaluationCountsThem() {
        Model m = GradNets_TokensNet.create(22);
        int n = 40;
        int steps = 4;
        Rng rng = new Rng(9);
        float[] x = new float[n * steps];
        float[] t = new float[n * steps * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextInt(5);
            t[i * 5 + rng.nextInt(5)] = 1;
        }
        int[] classes = m.classify(x, n);
        assertEquals(n * steps, classes.length);
        double[] p = m.probabilities(x, n);
        int right = 0;
        for (int g = 0; g < n * steps; g++) {
            double s = 0;
            for (int j = 0; j < 5; j++) {
                s += p[g * 5 + j];
            }
            assertEquals(1, s, 1e-12, "step group " + g);
            right += classes[g] == ClassScores.argmax(t, g * 5, 5) ? 1 : 0;
        }
        Dataset data = new Dataset(x, new int[] {steps}, t, steps * 5);
        assertEquals(right / (double) (n * steps), Evaluation.of(m, data, 16).accuracy(), 1e-12);
    }

    /** Largest norm over the unit vectors of every constrained tensor (ConvTranspose: columns of the last axis). */
    private static double largestUnitNorm(Model m) {
        double largest = 0;
        for (Layer l : m.layers()) {
            for (Tensor t : l.parameters()) {
                if (t.kind() != Tensor.Kind.WEIGHT) {
                    continue;
                }
                float[] w = t.toArray();
                int[] shape = t.shape();
                boolean byColumn = l.kind().equals("ConvTranspose");
                int units = byColumn ? shape[shape.length - 1] : shape[0];
                int size = w.length / units;
                for (int u = 0; u < units; u++) {
                    double s = 0;
                    for (int i = 0; i < size; i++) {
                        double v = byColumn ? w[i * units + u] : w[u * size + i];
                        s += v * v;
                    }
                    largest = Math.max(largest, Math.sqrt(s));
                }
            }
        }
        return largest;
    }

    /** Trains with and without the constraint; checks the bound after every step and that it bound. */
    private static void binds(Model constrained, Model free, Dataset data, double c, double rate) {
        List<Double> afterSteps = new ArrayList<>();
        TrainingListener check = new TrainingListener() {
            @Override
            public void batchFinished(int batch, int batches, int samplesSoFar, double loss) {
                afterSteps.add(largestUnitNorm(constrained));
            }
        };
        Trainer.of(constrained).optimizer(Optimizer.momentum(rate, 0.9)).batchSize(16).epochs(3).seed(4)
                .constraint(Constraint.maxNorm(c)).listener(check).fit(data);
        Trainer.of(free).optimizer(Optimizer.momentum(rate, 0.9)).batchSize(16).epochs(3).seed(4).fit(data);
        assertTrue(afterSteps.size() >= 10);
        for (int s = 0; s < afterSteps.size(); s++) {
            assertTrue(afterSteps.get(s) <= c * (1 + 1e-6), "step " + (s + 1) + ": " + afterSteps.get(s));
        }
        long bound = afterSteps.stream().filter(v -> Math.abs(v - c) <= 1e-6 * c).count();
        assertTrue(bound >= afterSteps.size() / 4, "the bound is reached after " + bound + " of "
                + afterSteps.size() + " steps");
        assertTrue(largestUnitNorm(free) > 1.2 * c, "unconstrained, the norms grow past the bound: "
                + largestUnitNorm(free));
    }

    @Test
    void maxNormBindsInADenseNetwork() {
        Dataset data = blobs(320, 6);
        binds(FailLoudNets_SmallNet.create(1), FailLoudNets_SmallNet.create(1), data,
                0.8 * largestUnitNorm(FailLoudNets_SmallNet.create(1)), 0.1);
    }

    @Test
    void maxNormBindsInConvolutionalNetworks() {
        Rng rng = new Rng(2);
        int n = 160;
        float[] x = new float[n * 2 * 7 * 7];
        float[] t = new float[n * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            t[i * 3 + rng.nextInt(3)] = 1;
        }
        Dataset images = new Dataset(x, new int[] {2, 7, 7}, t, 3);
        binds(GradNets_ConvsNet.create(1), GradNets_ConvsNet.create(1), images,
                0.8 * largestUnitNorm(GradNets_ConvsNet.create(1)), 0.1);
        float[] dx = new float[n * 2 * 6 * 6];
        for (int i = 0; i < dx.length; i++) {
            dx[i] = (float) rng.nextGaussian();
        }
        // the decoder maps [2, 6, 6] to [1, 7, 7]: learn signs of the first channel
        float[] dt = new float[n * 49];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 49; j++) {
                dt[i * 49 + j] = Math.signum(dx[i * 72 + j % 36]);
            }
        }
        Dataset decoded = new Dataset(dx, new int[] {2, 6, 6}, dt, 49);
        binds(GradNets_DecoderNet.create(1), GradNets_DecoderNet.create(1), decoded,
                0.8 * largestUnitNorm(GradNets_DecoderNet.create(1)), 0.02);
    }
}
