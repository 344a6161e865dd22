package dev.lamina.runtime.kernels;

import dev.lamina.runtime.Blas;
import dev.lamina.runtime.Memory;
import dev.lamina.runtime.Worker;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * An Elman RNN layer over one worker's rows: {@code h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)}, weights
 * shared across time, a zero initial state. Layout and passes as {@link Lstm}. Regions: {@code hidden [T, H]}
 * holds the pre-activations, then the states; {@code gates [T, H]} the gradients at the pre-activations.
 */
public final class ElmanRnn {
    private static final ThreadLocal<float[][]> ROWS = ThreadLocal.withInitial(() -> new float[3][0]);

    private ElmanRnn() {
    }

    private static float[][] rows(int units) {
        float[][] r = ROWS.get();
        if (r[0].length < units) {
            for (int i = 0; i < r.length; i++) {
                r[i] = new float[units];
            }
        }
        return r;
    }

    /** The forward pass; when {@code out >= 0} the last state is also copied there. */
    public static void forward(RecurrentGeometry g, Memory arena, int x, int rows, Memory params, int w, int hidden,
                               int out) {
        int steps = g.steps();
        int units = g.units();
        FloatBuffer a = arena.floats();
        float[][] r = rows(units);
        float[] bias = r[0];
        float[] value = r[1];
        params.floats().get(w + g.inputBias(), bias, 0, units);
        params.floats().get(w + g.recurrentBias(), value, 0, units);
        for (int j = 0; j < units; j++) {
            bias[j] += value[j];
        }
        Blas.gemm(false, true, rows * steps, units, g.features(), 1f, arena, x, g.features(), params, w,
                g.features(), 0f, arena, hidden, units);
        for (int t = 0; t < steps; t++) {
            if (t > 0) {
                Blas.gemm(false, true, rows, units, units, 1f, arena, hidden + (t - 1) * units, steps * units,
                        params, w + g.recurrentWeights(), units, 1f, arena, hidden + t * units, steps * units);
            }
            for (int row = 0; row < rows; row++) {
                int at = hidden + (row * steps + t) * units;
                a.get(at, value, 0, units);
                for (int j = 0; j < units; j++) {
                    value[j] = Squash.tanh(value[j] + bias[j]);
                }
                a.put(at, value, 0, units);
            }
        }
        if (out >= 0) {
            for (int row = 0; row < rows; row++) {
                a.get(hidden + (row * steps + steps - 1) * units, value, 0, units);
                a.put(out + row * units, value, 0, units);
            }
        }
    }

    /**
     * Backpropagation through all steps ({@code delta}: {@code [rows, H]}, or {@code [rows, T, H]} when
     * {@code sequences}); adds the parameter gradients to {@code grads} from {@code w} and writes the input's
     * gradient to {@code dx} when it is not negative.
     */
    public static void backward(RecurrentGeometry g, Memory arena, int x, int rows, Memory params, int w, int gates,
                                int hidden, int delta, boolean sequences, Memory grads, int dx, Worker worker) {
        int steps = g.steps();
        int units = g.units();
        FloatBuffer a = arena.floats();
        float[][] r = rows(units);
        float[] dh = r[0];
        float[] state = r[1];
        float[] fromNext = r[2];
        Memory recurrent = worker.scratch(0, rows * units);
        for (int t = steps - 1; t >= 0; t--) {
            if (t < steps - 1) {
                Blas.gemm(false, false, rows, units, units, 1f, arena, gates + (t + 1) * units, steps * units,
                        params, w + g.recurrentWeights(), units, 0f, recurrent, 0, units);
            }
            for (int row = 0; row < rows; row++) {
                if (sequences) {
                    a.get(delta + (row * steps + t) * units, dh, 0, units);
                } else if (t == steps - 1) {
                    a.get(delta + row * units, dh, 0, units);
                } else {
                    Arrays.fill(dh, 0, units, 0f);
                }
                if (t < steps - 1) {
                    recurrent.floats().get(row * units, fromNext, 0, units);
                    for (int j = 0; j < units; j++) {
                        dh[j] += fromNext[j];
                    }
                }
                a.get(hidden + (row * steps + t) * units, state, 0, units);
                for (int j = 0; j < units; j++) {
                    dh[j] *= 1f - state[j] * state[j];
                }
                a.put(gates + (row * steps + t) * units, dh, 0, units);
            }
        }
        Blas.gemm(true, false, units, g.features(), rows * steps, 1f, arena, gates, units, arena, x, g.features(),
                1f, grads, w, g.features());
        for (int t = 1; t < steps; t++) {
            Blas.gemm(true, false, units, units, rows, 1f, arena, gates + t * units, steps * units, arena,
                    hidden + (t - 1) * units, steps * units, 1f, grads, w + g.recurrentWeights(), units);
        }
        Reductions.columnSums(a, gates, rows * steps, units, grads.floats(), w + g.inputBias());
        Reductions.columnSums(a, gates, rows * steps, units, grads.floats(), w + g.recurrentBias());
        if (dx >= 0) {
            Blas.gemm(false, false, rows * steps, g.features(), units, 1f, arena, gates, units, params, w,
                    g.features(), 0f, arena, dx, g.features());
        }
    }
}
