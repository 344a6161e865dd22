package dev.lamina.runtime.kernels;

import dev.lamina.runtime.Memory;
import dev.lamina.runtime.Worker;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A GRU layer over one worker's rows, in PyTorch's (and cuDNN's) form, gates in the order r, z, n:
 * <pre>
 * r = s(W_r x + b_ir + U_r h + b_hr)      z = s(W_z x + b_iz + U_z h + b_hz)
 * n = tanh(W_n x + b_in + r * (U_n h + b_hn))
 * h' = (1 - z) * n + z * h
 * </pre>
 * The reset gate multiplies the recurrent projection rather than the state, so one GEMM per step serves all three
 * gates; the update gate keeps the old state where the slides' form keeps the new one (z and 1 - z swap).
 * Layout and passes as {@link Lstm}: the input projection of every step in one GEMM, then per step one recurrent
 * GEMM and one fused pass, and backpropagation through time mirroring it.
 *
 * <p>Regions (sample-major, step-major): {@code gates [T, 3H]} the input projections, then the activations r, z, n,
 * then the gradients at the input projections; {@code projections [T, 3H]} the recurrent projections, then the
 * gradients at them; {@code hidden [T, H]}.
 */
public final class Gru {
    private static final ThreadLocal<Rows> ROWS = ThreadLocal.withInitial(Rows::new);

    private Gru() {
    }

    /** The forward pass; when {@code out >= 0} the last hidden state is also copied there. */
    public static void forward(RecurrentGeometry g, Memory arena, int x, int rows, Memory params, int w, int gates,
                               int projections, int hidden, int out, int initial) {
        int steps = g.steps();
        int units = g.units();
        int width = g.width();
        FloatBuffer a = arena.floats();
        Rows r = ROWS.get().fit(units, rows);
        RecurrentPasses.inputProjection(g, arena, x, rows, params, w, gates);
        params.floats().get(w + g.inputBias(), r.inputBias, 0, width);
        params.floats().get(w + g.recurrentBias(), r.recurrentBias, 0, width);
        for (int t = 0; t < steps; t++) {
            boolean projected = t > 0 || initial >= 0;
            if (projected) {
                RecurrentPasses.recurrentProjection(g, arena, hidden, t, rows, params, w, projections, false, initial,
                        units);
            }
            for (int row = 0; row < rows; row++) {
                int gateAt = gates + (row * steps + t) * width;
                int projectionAt = projections + (row * steps + t) * width;
                a.get(gateAt, r.x, 0, width);
                if (projected) {
                    a.get(projectionAt, r.h, 0, width);
                } else {
                    Arrays.fill(r.h, 0, width, 0f);
                }
                RecurrentPasses.previousState(g, a, hidden, row, t, initial, units, 0, r.previous);
                cellStep(r, units);
                a.put(gateAt, r.x, 0, width);
                a.put(projectionAt, r.h, 0, width);
                a.put(hidden + (row * steps + t) * units, r.state, 0, units);
            }
        }
        if (out >= 0) {
            RecurrentPasses.copyLastState(g, a, hidden, rows, out, r.state);
        }
    }

    /**
     * One row's step: {@code r.x} (input projections) and {@code r.h} (recurrent projections) plus their biases
     * become r, z, n in {@code r.x} and the biased recurrent projections in {@code r.h}; the new state goes to
     * {@code r.state}. Small loops, each vectorised.
     */
    private static void cellStep(Rows r, int units) {
        float[] x = r.x;
        float[] h = r.h;
        float[] bx = r.inputBias;
        float[] bh = r.recurrentBias;
        int width = 3 * units;
        for (int j = 0; j < width; j++) {
            x[j] += bx[j];
            h[j] += bh[j];
        }
        for (int j = 0; j < 2 * units; j++) {
            x[j] = Squash.sigmoid(x[j] + h[j]);
        }
        // n = tanh(x_n + r * h_n), over the third block: copied to arrays of their own to keep one index
        System.arraycopy(x, 0, r.reset, 0, units);
        System.arraycopy(x, units, r.update, 0, units);
        System.arraycopy(x, 2 * units, r.candidate, 0, units);
        System.arraycopy(h, 2 * units, r.recurrentCandidate, 0, units);
        float[] reset = r.reset;
        float[] update = r.update;
        float[] candidate = r.candidate;
        float[] recurrentCandidate = r.recurrentCandidate;
        float[] previous = r.previous;
        float[] state = r.state;
        for (int j = 0; j < units; j++) {
            candidate[j] = Squash.tanh(candidate[j] + reset[j] * recurrentCandidate[j]);
        }
        for (int j = 0; j < units; j++) {
            state[j] = candidate[j] + update[j] * (previous[j] - candidate[j]);
        }
        System.arraycopy(candidate, 0, x, 2 * units, units);
    }

    /**
     * Backpropagation through all steps ({@code delta}: {@code [rows, H]}, or {@code [rows, T, H]} when
     * {@code sequences}). Adds the parameter gradients to {@code grads} from {@code w} and writes the input's
     * gradient to {@code dx} when it is not negative.
     */
    public static void backward(RecurrentGeometry g, Memory arena, int x, int rows, Memory params, int w, int gates,
                                int projections, int hidden, int initial, int delta, boolean sequences,
                                Memory grads, int dx, Worker worker) {
        int steps = g.steps();
        int units = g.units();
        int width = g.width();
        FloatBuffer a = arena.floats();
        Rows r = ROWS.get().fit(units, rows);
        Memory recurrent = worker.scratch(0, rows * units);
        RecurrentPasses.clear(r.carried, rows, units);
        for (int t = steps - 1; t >= 0; t--) {
            if (t < steps - 1) {
                RecurrentPasses.gradientThroughRecurrence(g, arena, projections, t, rows, params, w, recurrent);
            }
            for (int row = 0; row < rows; row++) {
                int gateAt = gates + (row * steps + t) * width;
                int projectionAt = projections + (row * steps + t) * width;
                a.get(gateAt, r.x, 0, width);
                a.get(projectionAt, r.h, 0, width);
                RecurrentPasses.previousState(g, a, hidden, row, t, initial, units, 0, r.previous);
                float[] dh = r.state;
                RecurrentPasses.stateGradient(g, a, delta, sequences, row, t, recurrent, dh, r.fromNext);
                float[] carried = r.carried[row];
                if (t < steps - 1) {
                    // and what bypasses the projections: z dh of step t + 1
                    for (int j = 0; j < units; j++) {
                        dh[j] += carried[j];
                    }
                }
                cellStepBackward(r, carried, units);
                a.put(gateAt, r.x, 0, width);
                a.put(projectionAt, r.h, 0, width);
            }
        }
        RecurrentPasses.parameterGradients(g, arena, x, rows, params, w, gates, projections, hidden, initial, units,
                grads, dx);
    }

    /**
     * One row back through its step: from r, z, n ({@code r.x}), the biased recurrent projections ({@code r.h}),
     * the previous state and the state's gradient ({@code r.state}), writes the gradients at the input projections
     * over {@code r.x} and at the recurrent projections over {@code r.h}, and leaves in {@code carried} the part of
     * the previous state's gradient that bypasses the projections ({@code z dh}).
     */
    private static void cellStepBackward(Rows r, float[] carried, int units) {
        System.arraycopy(r.x, 0, r.reset, 0, units);
        System.arraycopy(r.x, units, r.update, 0, units);
        System.arraycopy(r.x, 2 * units, r.candidate, 0, units);
        System.arraycopy(r.h, 2 * units, r.recurrentCandidate, 0, units);
        float[] reset = r.reset;
        float[] update = r.update;
        float[] candidate = r.candidate;
        float[] recurrentCandidate = r.recurrentCandidate;
        float[] previous = r.previous;
        float[] dh = r.state;
        float[] dReset = r.dReset;
        float[] dUpdate = r.dUpdate;
        float[] dCandidate = r.dCandidate;
        for (int j = 0; j < units; j++) {
            float n = candidate[j];
            float z = update[j];
            dCandidate[j] = dh[j] * (1f - z) * (1f - n * n);
            dUpdate[j] = dh[j] * (previous[j] - n) * z * (1f - z);
            carried[j] = dh[j] * z;
        }
        for (int j = 0; j < units; j++) {
            float rj = reset[j];
            dReset[j] = dCandidate[j] * recurrentCandidate[j] * rj * (1f - rj);
        }
        System.arraycopy(dReset, 0, r.x, 0, units);
        System.arraycopy(dUpdate, 0, r.x, units, units);
        System.arraycopy(dCandidate, 0, r.x, 2 * units, units);
        System.arraycopy(dReset, 0, r.h, 0, units);
        System.arraycopy(dUpdate, 0, r.h, units, units);
        for (int j = 0; j < units; j++) {
            dCandidate[j] *= reset[j];
        }
        System.arraycopy(dCandidate, 0, r.h, 2 * units, units);
    }

    /** One thread's arrays for one row of a step. */
    private static final class Rows {
        float[] x = new float[0];
        float[] h = x;
        float[] inputBias = x;
        float[] recurrentBias = x;
        float[] reset = x;
        float[] update = x;
        float[] candidate = x;
        float[] recurrentCandidate = x;
        float[] previous = x;
        float[] state = x;
        float[] fromNext = x;
        float[] dReset = x;
        float[] dUpdate = x;
        float[] dCandidate = x;
        float[][] carried = new float[0][];

        Rows fit(int units, int rows) {
            if (reset.length < units) {
                x = new float[3 * units];
                h = new float[3 * units];
                inputBias = new float[3 * units];
                recurrentBias = new float[3 * units];
                reset = new float[units];
                update = new float[units];
                candidate = new float[units];
                recurrentCandidate = new float[units];
                previous = new float[units];
                state = new float[units];
                fromNext = new float[units];
                dReset = new float[units];
                dUpdate = new float[units];
                dCandidate = new float[units];
            }
            carried = RecurrentPasses.perRow(carried, rows, units);
            return this;
        }
    }
}
