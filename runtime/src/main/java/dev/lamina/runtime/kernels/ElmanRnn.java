package dev.lamina.runtime.kernels;

import dev.lamina.runtime.Memory;
import dev.lamina.runtime.Worker;
import java.nio.FloatBuffer;

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
                               int out, int initial) {
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
        // the pre-activations go where the states will be: hidden holds both, a step at a time
        RecurrentPasses.inputProjection(g, arena, x, rows, params, w, hidden);
        for (int t = 0; t < steps; t++) {
            if (t > 0 || initial >= 0) {
                RecurrentPasses.recurrentProjection(g, arena, hidden, t, rows, params, w, hidden, true, initial, units);
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
            RecurrentPasses.copyLastState(g, a, hidden, rows, out, value);
        }
    }

    /**
     * Backpropagation through all steps ({@code delta}: {@code [rows, H]}, or {@code [rows, T, H]} when
     * {@code sequences}); adds the parameter gradients to {@code grads} from {@code w} and writes the input's
     * gradient to {@code dx} when it is not negative.
     */
    public static void backward(RecurrentGeometry g, Memory arena, int x, int rows, Memory params, int w, int gates,
                                int hidden, int initial, int delta, boolean sequences, Memory grads, int dx,
                                Worker worker) {
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
                RecurrentPasses.gradientThroughRecurrence(g, arena, gates, t, rows, params, w, recurrent);
            }
            for (int row = 0; row < rows; row++) {
                RecurrentPasses.stateGradient(g, a, delta, sequences, row, t, recurrent, dh, fromNext);
                a.get(hidden + (row * steps + t) * units, state, 0, units);
                for (int j = 0; j < units; j++) {
                    dh[j] *= 1f - state[j] * state[j];
                }
                a.put(gates + (row * steps + t) * units, dh, 0, units);
            }
        }
        // the two biases enter the same sum, so they get the same gradient
        RecurrentPasses.parameterGradients(g, arena, x, rows, params, w, gates, gates, hidden, initial, units,
                grads, dx);
    }
}
