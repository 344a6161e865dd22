package dev.lamina.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.dsl.Loss;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.NetworkState;
import dev.lamina.runtime.Rng;
import org.junit.jupiter.api.Test;

/**
 * {@link Evaluation#correct} counts exactly what it counted before it shared {@code ClassScores}' rule with
 * {@code Model.classify}: the former loop, kept here verbatim as the reference, on scores full of ties, signed
 * zeros and NaNs.
 */
class EvaluationRuleTest {
    /** Scores given directly, {@code size} per row, {@code steps} steps. */
    private static final class Scores implements Model {
        private final NetworkState state;
        private final float[] y;
        private final int size;

        Scores(Loss loss, int size, int steps, float[] y) {
            this.size = size;
            this.y = y;
            state = new NetworkState("scores", loss, new int[] {1}, size, 0, 0, 1, 0);
            if (steps > 1) {
                state.stepwiseOutput(steps);
            }
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
            return 0;
        }

        @Override
        public void backward(int batch) {
        }

        @Override
        public float output(int row, int k) {
            return y[row * size + k];
        }
    }

    /** Evaluation.correct as it was before the refactoring. */
    private static double before(Model model, float[] t, int start, int rows) {
        int size = model.outputSize();
        int steps = model.state().outputSteps();
        int k = size / steps;
        double right = 0;
        for (int r = 0; r < rows; r++) {
            if (model.lossKind() == Loss.SIGMOID_CROSS_ENTROPY) {
                int base = (start + r) * size;
                boolean all = true;
                for (int j = 0; j < size; j++) {
                    all &= (model.output(r, j) >= 0f) == (t[base + j] >= 0.5f);
                }
                right += all ? 1 : 0;
                continue;
            }
            int stepsRight = 0;
            for (int s = 0; s < steps; s++) {
                int base = (start + r) * size + s * k;
                int best = 0;
                int target = 0;
                for (int j = 1; j < k; j++) {
                    if (model.output(r, s * k + j) > model.output(r, s * k + best)) {
                        best = j;
                    }
                    if (t[base + j] > t[base + target]) {
                        target = j;
                    }
                }
                stepsRight += best == target ? 1 : 0;
            }
            right += stepsRight / (double) steps;
        }
        return right;
    }

    @Test
    void countsWhatItCountedBefore() {
        float[] values = {-1f, -0f, 0f, 1f, Float.NaN, 2f};
        for (Loss loss : new Loss[] {Loss.SOFTMAX_CROSS_ENTROPY, Loss.SIGMOID_CROSS_ENTROPY}) {
            for (int steps : new int[] {1, 3}) {
                for (int k : new int[] {1, 2, 5}) {
                    int size = k * steps;
                    int rows = 300;
                    Rng rng = new Rng(31L * k + steps);
                    float[] y = new float[rows * size];
                    float[] t = new float[(rows + 7) * size];
                    for (int i = 0; i < y.length; i++) {
                        y[i] = values[rng.nextInt(values.length)];
                    }
                    for (int i = 0; i < t.length; i++) {
                        t[i] = rng.nextInt(4) * 0.25f; // 0, 0.25, 0.5, 0.75: ties and the 0.5 threshold
                    }
                    Scores m = new Scores(loss, size, steps, y);
                    assertEquals(before(m, t, 7, rows), Evaluation.correct(m, t, 7, rows), 0,
                            loss + " k " + k + " steps " + steps);
                }
            }
        }
    }
}
