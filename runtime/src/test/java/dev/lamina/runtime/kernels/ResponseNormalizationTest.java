package dev.lamina.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.runtime.Memory;
import dev.lamina.runtime.Rng;
import org.junit.jupiter.api.Test;

/**
 * Local response normalisation against PyTorch's definition: the window of {@code size} channels around c is
 * {@code [c - size/2, c + (size-1)/2]}, clipped; the backward pass against central differences of the forward.
 */
class ResponseNormalizationTest {
    private static final int POSITIONS = 3;
    private static final int CHANNELS = 7;
    private static final float ALPHA = 0.7f;
    private static final float BETA = 0.75f;
    private static final float K = 1.5f;

    @Test
    void everySizeUsesPyTorchsWindow() {
        for (int size = 1; size <= 7; size++) {
            Memory a = Memory.allocate(3 * POSITIONS * CHANNELS);
            float[] x = random(new Rng(size));
            a.floats().put(0, x);
            int n = POSITIONS * CHANNELS;
            ResponseNormalization.forward(a.floats(), 0, POSITIONS, CHANNELS, size, ALPHA, BETA, K, n, 2 * n);
            for (int p = 0; p < POSITIONS; p++) {
                for (int c = 0; c < CHANNELS; c++) {
                    double expected = reference(x, p, c, size);
                    assertEquals(expected, a.floats().get(2 * n + p * CHANNELS + c), 1e-5 * Math.abs(expected),
                            "size " + size + " position " + p + " channel " + c);
                }
            }
        }
    }

    @Test
    void theBackwardPassIsTheForwardPassesDerivative() {
        for (int size = 2; size <= 6; size++) {
            int n = POSITIONS * CHANNELS;
            float[] x = random(new Rng(40 + size));
            float[] dy = random(new Rng(50 + size));
            Memory a = Memory.allocate(5 * n);
            a.floats().put(0, x);
            a.floats().put(3 * n, dy);
            ResponseNormalization.forward(a.floats(), 0, POSITIONS, CHANNELS, size, ALPHA, BETA, K, n, 2 * n);
            ResponseNormalization.backward(a.floats(), 3 * n, 0, POSITIONS, CHANNELS, size, ALPHA, BETA, n, 4 * n);
            for (int i = 0; i < n; i++) {
                double h = 1e-4;
                float[] up = x.clone();
                float[] down = x.clone();
                up[i] += (float) h;
                down[i] -= (float) h;
                double numeric = (dot(up, dy, size) - dot(down, dy, size)) / ((double) up[i] - down[i]);
                assertEquals(numeric, a.floats().get(4 * n + i), 1e-5 + 1e-3 * Math.abs(numeric),
                        "size " + size + " input " + i);
            }
        }
    }

    /** {@code sum_i dy_i y_i(x)}, in double from PyTorch's definition. */
    private static double dot(float[] x, float[] dy, int size) {
        double sum = 0;
        for (int p = 0; p < POSITIONS; p++) {
            for (int c = 0; c < CHANNELS; c++) {
                sum += dy[p * CHANNELS + c] * reference(x, p, c, size);
            }
        }
        return sum;
    }

    private static double reference(float[] x, int p, int c, int size) {
        double sum = 0;
        for (int j = Math.max(0, c - size / 2); j <= Math.min(CHANNELS - 1, c + (size - 1) / 2); j++) {
            sum += (double) x[p * CHANNELS + j] * x[p * CHANNELS + j];
        }
        return x[p * CHANNELS + c] / Math.pow(K + ALPHA / size * sum, BETA);
    }

    private static float[] random(Rng rng) {
        float[] v = new float[POSITIONS * CHANNELS];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }
}
