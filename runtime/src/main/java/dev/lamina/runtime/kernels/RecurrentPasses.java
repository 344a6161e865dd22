package dev.lamina.runtime.kernels;

import dev.lamina.runtime.Blas;
import dev.lamina.runtime.Memory;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The parts every recurrent kernel ({@link Lstm}, {@link Gru}, {@link ElmanRnn}) shares: the GEMMs over all steps
 * and per step, and moving states and gradients. Regions are sample-major and step-major ({@code [rows][steps]
 * [width]}), so one step of all rows is a matrix whose rows are {@code steps x width} floats apart.
 */
final class RecurrentPasses {
    private RecurrentPasses() {
    }

    /** {@code gates[rows * steps, width] = x W_ih^T}: every step's input projection at once. */
    static void inputProjection(RecurrentGeometry g, Memory arena, int x, int rows, Memory params, int w,
                                int gates) {
        Blas.gemm(false, true, rows * g.steps(), g.width(), g.features(), 1f, arena, x, g.features(), params, w,
                g.features(), 0f, arena, gates, g.width());
    }

    /**
     * Step {@code t}'s recurrent projection {@code h_{t-1} W_hh^T} into the step's rows of {@code target}
     * ({@code width} floats a step), added to what is there when {@code add}. At {@code t = 0}, {@code h_{-1}} is
     * the initial state at {@code initial} (rows {@code initialStride} floats apart); callers skip the step when
     * there is none (a zero state).
     */
    static void recurrentProjection(RecurrentGeometry g, Memory arena, int hidden, int t, int rows, Memory params,
                                    int w, int target, boolean add, int initial, int initialStride) {
        int source = t > 0 ? hidden + (t - 1) * g.units() : initial;
        int stride = t > 0 ? g.steps() * g.units() : initialStride;
        Blas.gemm(false, true, rows, g.width(), g.units(), 1f, arena, source, stride, params,
                w + g.recurrentWeights(), g.units(), add ? 1f : 0f, arena, target + t * g.width(),
                g.steps() * g.width());
    }

    /** {@code recurrent[rows, H] = grad_{t+1} W_hh}: what the states of step {@code t} receive from step t + 1. */
    static void gradientThroughRecurrence(RecurrentGeometry g, Memory arena, int gradients, int t, int rows,
                                          Memory params, int w, Memory recurrent) {
        Blas.gemm(false, false, rows, g.units(), g.width(), 1f, arena, gradients + (t + 1) * g.width(),
                g.steps() * g.width(), params, w + g.recurrentWeights(), g.units(), 0f, recurrent, 0, g.units());
    }

    /**
     * Into {@code state}: row {@code row}'s state before step {@code t}: {@code region}'s step {@code t - 1}
     * ({@code steps x units} floats a row), or at {@code t = 0} the initial one at {@code initial + offset}
     * ({@code initialStride} floats a row), or zeros when there is none.
     */
    static void previousState(RecurrentGeometry g, FloatBuffer a, int region, int row, int t, int initial,
                              int initialStride, int offset, float[] state) {
        int units = g.units();
        if (t > 0) {
            a.get(region + (row * g.steps() + t - 1) * units, state, 0, units);
        } else if (initial >= 0) {
            a.get(initial + row * initialStride + offset, state, 0, units);
        } else {
            Arrays.fill(state, 0, units, 0f);
        }
    }

    /** {@code current}, or a larger array, with at least {@code rows} rows of {@code units}: per-row carried values. */
    static float[][] perRow(float[][] current, int rows, int units) {
        int width = current.length > 0 ? current[0].length : 0;
        if (current.length < rows || width < units) {
            return new float[Math.max(rows, current.length)][Math.max(units, width)];
        }
        return current;
    }

    /** Zeroes the first {@code units} values of the first {@code rows} rows. */
    static void clear(float[][] perRow, int rows, int units) {
        for (int row = 0; row < rows; row++) {
            Arrays.fill(perRow[row], 0, units, 0f);
        }
    }

    /** Copies each row's last hidden state to {@code out} ({@code [rows, H]}). */
    static void copyLastState(RecurrentGeometry g, FloatBuffer a, int hidden, int rows, int out, float[] buffer) {
        int units = g.units();
        for (int row = 0; row < rows; row++) {
            a.get(hidden + (row * g.steps() + g.steps() - 1) * units, buffer, 0, units);
            a.put(out + row * units, buffer, 0, units);
        }
    }

    /**
     * Into {@code dh}: the gradient at row {@code row}'s state of step {@code t} from the layer's output
     * ({@code [rows, H]} for the last step, or {@code [rows, T, H]} for sequences), plus, before the last step,
     * what it receives through the recurrence ({@code recurrent}, filled by {@link #gradientThroughRecurrence}).
     */
    static void stateGradient(RecurrentGeometry g, FloatBuffer a, int delta, boolean sequences, int row, int t,
                              Memory recurrent, float[] dh, float[] buffer) {
        int units = g.units();
        int last = g.steps() - 1;
        if (sequences) {
            a.get(delta + (row * g.steps() + t) * units, dh, 0, units);
        } else if (t == last) {
            a.get(delta + row * units, dh, 0, units);
        } else {
            Arrays.fill(dh, 0, units, 0f);
        }
        if (t < last) {
            recurrent.floats().get(row * units, buffer, 0, units);
            for (int j = 0; j < units; j++) {
                dh[j] += buffer[j];
            }
        }
    }

    /**
     * The parameter gradients of all steps, from the gradients at the input projections ({@code inputGradients})
     * and at the recurrent ones ({@code recurrentGradients}; the same region where they are equal):
     * {@code dW_ih += dIn^T x}, {@code dW_hh += sum_t dRec_t^T h_{t-1}}, the biases' column sums; and, when
     * {@code dx >= 0}, the input's gradient {@code dIn W_ih}.
     */
    static void parameterGradients(RecurrentGeometry g, Memory arena, int x, int rows, Memory params, int w,
                                   int inputGradients, int recurrentGradients, int hidden, int initial,
                                   int initialStride, Memory grads, int dx) {
        int steps = g.steps();
        int width = g.width();
        Blas.gemm(true, false, width, g.features(), rows * steps, 1f, arena, inputGradients, width, arena, x,
                g.features(), 1f, grads, w, g.features());
        // step 0 reads the initial state, when there is one
        for (int t = initial >= 0 ? 0 : 1; t < steps; t++) {
            int source = t > 0 ? hidden + (t - 1) * g.units() : initial;
            int stride = t > 0 ? steps * g.units() : initialStride;
            Blas.gemm(true, false, width, g.units(), rows, 1f, arena, recurrentGradients + t * width, steps * width,
                    arena, source, stride, 1f, grads, w + g.recurrentWeights(), g.units());
        }
        FloatBuffer a = arena.floats();
        Reductions.columnSums(a, inputGradients, rows * steps, width, grads.floats(), w + g.inputBias());
        Reductions.columnSums(a, recurrentGradients, rows * steps, width, grads.floats(), w + g.recurrentBias());
        if (dx >= 0) {
            Blas.gemm(false, false, rows * steps, g.features(), width, 1f, arena, inputGradients, width, params, w,
                    g.features(), 0f, arena, dx, g.features());
        }
    }
}
