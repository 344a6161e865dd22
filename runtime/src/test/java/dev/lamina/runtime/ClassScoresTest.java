package dev.lamina.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.dsl.Loss;
import dev.lamina.runtime.data.Dataset;
import dev.lamina.runtime.train.Evaluation;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link Model#probabilities} and {@link Model#classify} on a model whose scores are its inputs: values against
 * hand computations, rows summing to 1, ties, sequence outputs, the mode, the refusal of a regression, and
 * agreement with {@link Evaluation}'s accuracy.
 */
class ClassScoresTest {

    /** Outputs its inputs: {@code size} scores per sample, {@code steps} steps of them. */
    private static final class Echo implements Model {
        private final NetworkState state;
        private final int size;
        private float[] x = new float[0];
        boolean trainingInForward;

        Echo(Loss loss, int size, int steps) {
            this.size = size;
            state = new NetworkState("echo", loss, new int[] {size}, size, 0, 0, size, 0);
            if (steps > 1) {
                state.stepwiseOutput(steps);
            }
        }

        @Override
        public NetworkState state() {
            return state;
        }

        @Override
        public void setInput(int row, float[] sample, int offset) {
            if (x.length < (row + 1) * size) {
                x = Arrays.copyOf(x, (row + 1) * size);
            }
            System.arraycopy(sample, offset, x, row * size, size);
        }

        @Override
        public void forward(int batch) {
            trainingInForward = isTraining();
        }

        @Override
        public double loss(int batch) {
            return 0;
        }

        @Override
        public void backward(int batch) {
        }

        @Override
        public float output(int row, int k) {
            return x[row * size + k];
        }
    }

    @Test
    void softmaxAgainstAHandComputationAndStableForLargeScores() {
        Echo m = new Echo(Loss.SOFTMAX_CROSS_ENTROPY, 3, 1);
        double[] p = m.probabilities(new float[] {1, 2, 3, 1000, 1001, 1002, -5, -5, -5}, 3);
        double sum = Math.exp(-2) + Math.exp(-1) + 1;
        double[] row = {Math.exp(-2) / sum, Math.exp(-1) / sum, 1 / sum};
        assertArrayEquals(row, Arrays.copyOfRange(p, 0, 3), 1e-15);
        // exp(1002) overflows a double: the row maximum is subtracted first
        assertArrayEquals(row, Arrays.copyOfRange(p, 3, 6), 1e-15);
        assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, Arrays.copyOfRange(p, 6, 9), 1e-15);
        for (int r = 0; r < 3; r++) {
            assertEquals(1, p[3 * r] + p[3 * r + 1] + p[3 * r + 2], 1e-15);
        }
        assertArrayEquals(new int[] {2, 2, 0}, m.classify(new float[] {1, 2, 3, 1000, 1001, 1002, -5, -5, -5}, 3));
    }

    @Test
    void rowsOfRandomScoresSumToOne() {
        Rng rng = new Rng(7);
        int n = 50;
        int k = 10;
        float[] x = new float[n * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextGaussian() * 20);
        }
        double[] p = new Echo(Loss.SOFTMAX_CROSS_ENTROPY, k, 1).probabilities(x, n);
        for (int r = 0; r < n; r++) {
            double s = 0;
            for (int j = 0; j < k; j++) {
                assertTrue(p[r * k + j] >= 0 && p[r * k + j] <= 1);
                s += p[r * k + j];
            }
            assertEquals(1, s, 1e-14, "row " + r);
        }
    }

    @Test
    void tiesGoToTheLowestIndex() {
        Echo m = new Echo(Loss.SOFTMAX_CROSS_ENTROPY, 4, 1);
        assertArrayEquals(new int[] {1, 0, 3}, m.classify(new float[] {2, 5, 5, 1, 7, 7, 7, 7, 0, 0, 0, 1}, 3));
        assertEquals(1, ClassScores.argmax(new float[] {9, 1, 4, 4}, 1, 3)); // relative to from
    }

    @Test
    void sigmoidOutputsAgainstTheLogisticFunction() {
        Echo one = new Echo(Loss.SIGMOID_CROSS_ENTROPY, 1, 1);
        float[] x = {0f, 2f, -3f, -200f, 200f, -1e-30f, 1e-30f};
        double[] p = one.probabilities(x, x.length);
        assertEquals(0.5, p[0], 0);
        assertEquals(1 / (1 + Math.exp(-2)), p[1], 1e-16);
        assertEquals(1 / (1 + Math.exp(3)), p[2], 1e-16);
        assertEquals(Math.exp(-200), p[3], 1e-16 * Math.exp(-200)); // not rounded to 0
        assertEquals(1, p[4], 0);
        // one unit: class 1 from probability 1/2 on (score >= 0), the threshold targets are read with
        assertArrayEquals(new int[] {1, 1, 0, 0, 1, 0, 1}, one.classify(x, x.length));
        // several units: per-unit probabilities, the most probable unit as the class
        Echo three = new Echo(Loss.SIGMOID_CROSS_ENTROPY, 3, 1);
        double[] q = three.probabilities(new float[] {0, 1, -1}, 1);
        assertEquals(1, q[1] + q[2], 1e-16);
        assertArrayEquals(new int[] {1}, three.classify(new float[] {0, 1, -1}, 1));
    }

    @Test
    void aSequenceOutputHasOneSoftmaxAndOneClassPerStep() {
        Echo m = new Echo(Loss.SOFTMAX_CROSS_ENTROPY, 6, 2); // 2 steps of 3 classes
        float[] x = {0, 0, 1, 4, 0, 0, /* row 2 */ 3, 3, 0, 0, 0, 0};
        double[] p = m.probabilities(x, 2);
        for (int g = 0; g < 4; g++) {
            assertEquals(1, p[3 * g] + p[3 * g + 1] + p[3 * g + 2], 1e-15, "step group " + g);
        }
        double e = Math.exp(-1);
        assertArrayEquals(new double[] {e / (2 * e + 1), e / (2 * e + 1), 1 / (2 * e + 1)},
                Arrays.copyOfRange(p, 0, 3), 1e-15);
        assertArrayEquals(new int[] {2, 0, 0, 0}, m.classify(x, 2));
    }

    @Test
    void throughPredictInInferenceModeWhichItRestores() {
        Echo m = new Echo(Loss.SOFTMAX_CROSS_ENTROPY, 2, 1);
        m.setTraining(true);
        m.classify(new float[] {1, 0}, 1);
        assertFalse(m.trainingInForward);
        assertTrue(m.isTraining());
        m.probabilities(new float[] {1, 0}, 1);
        assertFalse(m.trainingInForward);
        assertTrue(m.isTraining());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.classify(new float[] {1, 0, 3}, 1));
        assertTrue(e.getMessage().contains("input values"), e.getMessage());
    }

    @Test
    void aRegressionHasNoClassScores() {
        Echo m = new Echo(Loss.MEAN_SQUARED_ERROR, 2, 1);
        for (Runnable call : new Runnable[] {() -> m.probabilities(new float[] {1, 0}, 1),
                () -> m.classify(new float[] {1, 0}, 1)}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call::run);
            assertTrue(e.getMessage().contains("not class scores"), e.getMessage());
            assertTrue(e.getMessage().contains("mean squared error"), e.getMessage());
        }
    }

    @Test
    void classifyAgreesWithEvaluationsAccuracyEvenWithTies() {
        for (Loss loss : new Loss[] {Loss.SOFTMAX_CROSS_ENTROPY, Loss.SIGMOID_CROSS_ENTROPY}) {
            for (int steps : new int[] {1, 3}) {
                if (loss == Loss.SIGMOID_CROSS_ENTROPY && steps > 1) {
                    continue; // Evaluation counts a sigmoid row right only when every output is
                }
                int k = loss == Loss.SIGMOID_CROSS_ENTROPY ? 1 : 4;
                int size = k * steps;
                int n = 200;
                Rng rng = new Rng(11 + steps);
                float[] x = new float[n * size];
                float[] t = new float[n * size];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) Math.floor(rng.nextDouble() * 3) - 1; // -1, 0, 1: many ties and zeros
                }
                for (int g = 0; g < n * steps; g++) {
                    t[g * k + (int) (rng.nextDouble() * k)] = k == 1 ? Math.round(rng.nextDouble()) : 1;
                }
                Echo m = new Echo(loss, size, steps);
                int[] c = m.classify(x, n);
                assertEquals(n * steps, c.length);
                double right = 0;
                for (int g = 0; g < n * steps; g++) {
                    int target = k == 1 ? (t[g] >= 0.5f ? 1 : 0) : ClassScores.argmax(t, g * k, k);
                    right += c[g] == target ? 1 : 0;
                }
                Dataset data = new Dataset(x, new int[] {size}, t, size);
                assertEquals(right / (n * steps), Evaluation.of(m, data, 64).accuracy(), 1e-12, loss + " steps " + steps);
            }
        }
    }
}
