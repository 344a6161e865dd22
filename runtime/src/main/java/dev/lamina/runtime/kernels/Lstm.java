package dev.lamina.runtime.kernels;

import dev.lamina.runtime.Memory;
import dev.lamina.runtime.Worker;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * An LSTM layer over one worker's rows, the fast way: the input projection of every step is one GEMM, then each
 * step is one GEMM for the recurrent part and one fused pass for the four gates and the cell. Backpropagation
 * through time mirrors it, and the weight gradients of all steps are GEMMs over the gate gradients.
 *
 * <p>Layout: every region is sample-major and step-major within a sample, {@code [rows][steps][...]}; one step of
 * all rows is then a matrix whose rows are {@code steps x width} floats apart, which the GEMMs read and write
 * through their leading dimension. The parameters lie as PyTorch's, from {@code w}: {@code weight_ih [4H, F]},
 * {@code weight_hh [4H, H]}, {@code bias_ih [4H]}, {@code bias_hh [4H]}, gates in the order i, f, g, o.
 *
 * <p>Regions: {@code gates [T, 4H]} holds the gate activations after the forward pass and their pre-activation
 * gradients after the backward pass; {@code cells [T, H]} the cell states; {@code hidden [T, H]} the hidden states
 * (the output itself when the layer returns sequences).
 */
public final class Lstm {
    private static final ThreadLocal<Rows> ROWS = ThreadLocal.withInitial(Rows::new);

    private Lstm() {
    }

    /**
     * The forward pass of {@code rows} samples whose inputs start at {@code x}. When {@code out >= 0} the last
     * hidden state is also copied there ({@code [rows, H]}).
     */
    public static void forward(RecurrentGeometry g, Memory arena, int x, int rows, Memory params, int w, int gates,
                               int cells, int hidden, int out, int initial) {
        int steps = g.steps();
        int units = g.units();
        int width = g.width();
        FloatBuffer a = arena.floats();
        Rows r = ROWS.get().fit(units, rows);
        r.readBias(params.floats(), w + g.inputBias(), w + g.recurrentBias(), units);
        RecurrentPasses.inputProjection(g, arena, x, rows, params, w, gates);
        for (int t = 0; t < steps; t++) {
            if (t > 0 || initial >= 0) {
                RecurrentPasses.recurrentProjection(g, arena, hidden, t, rows, params, w, gates, true, initial,
                        2 * units);
            }
            for (int row = 0; row < rows; row++) {
                int gateAt = gates + (row * steps + t) * width;
                int cellAt = cells + (row * steps + t) * units;
                r.readGates(a, gateAt, units);
                RecurrentPasses.previousState(g, a, cells, row, t, initial, 2 * units, units, r.previous);
                cellStep(r, units);
                r.writeGates(a, gateAt, units);
                a.put(cellAt, r.cell, 0, units);
                a.put(hidden + (row * steps + t) * units, r.hidden, 0, units);
            }
        }
        if (out >= 0) {
            RecurrentPasses.copyLastState(g, a, hidden, rows, out, r.hidden);
        }
    }

    /**
     * The fused step over one row: the pre-activations in {@code r.in, r.forget, r.candidate, r.out} (plus the
     * biases) become the gate activations in place, and the new cell and hidden state go to {@code r.cell} and
     * {@code r.hidden}. Every array is read at the same index, and each loop is small enough for the JIT to unroll,
     * so they all vectorise (one loop with every gate in it would not).
     */
    private static void cellStep(Rows r, int units) {
        float[] in = r.in;
        float[] forget = r.forget;
        float[] candidate = r.candidate;
        float[] out = r.out;
        float[] cell = r.cell;
        float[] hidden = r.hidden;
        sigmoidPlus(in, r.biasIn, units);
        sigmoidPlus(forget, r.biasForget, units);
        sigmoidPlus(out, r.biasOut, units);
        float[] biasCandidate = r.biasCandidate;
        for (int j = 0; j < units; j++) {
            candidate[j] = Squash.tanh(candidate[j] + biasCandidate[j]);
        }
        float[] previous = r.previous;
        for (int j = 0; j < units; j++) {
            cell[j] = forget[j] * previous[j] + in[j] * candidate[j];
        }
        for (int j = 0; j < units; j++) {
            hidden[j] = out[j] * Squash.tanh(cell[j]);
        }
    }

    /** {@code v = sigmoid(v + bias)}. */
    private static void sigmoidPlus(float[] v, float[] bias, int units) {
        for (int j = 0; j < units; j++) {
            v[j] = Squash.sigmoid(v[j] + bias[j]);
        }
    }

    /**
     * Backpropagation through all steps. {@code delta} is the gradient at the output: {@code [rows, H]} for the
     * last step, or {@code [rows, T, H]} when {@code sequences}. Adds the weight and bias gradients to
     * {@code grads} from {@code w} (the parameters' layout), and writes the gradient with respect to the input to
     * {@code dx} when it is not negative. The gates region ends up holding the gates' pre-activation gradients.
     */
    public static void backward(RecurrentGeometry g, Memory arena, int x, int rows, Memory params, int w, int gates,
                                int cells, int hidden, int initial, int delta, boolean sequences, Memory grads,
                                int dx, Worker worker) {
        int steps = g.steps();
        int units = g.units();
        int width = g.width();
        FloatBuffer a = arena.floats();
        Rows r = ROWS.get().fit(units, rows);
        Memory recurrent = worker.scratch(0, rows * units);
        for (int row = 0; row < rows; row++) {
            Arrays.fill(r.carried[row], 0, units, 0f);
        }
        for (int t = steps - 1; t >= 0; t--) {
            if (t < steps - 1) {
                RecurrentPasses.gradientThroughRecurrence(g, arena, gates, t, rows, params, w, recurrent);
            }
            for (int row = 0; row < rows; row++) {
                int gateAt = gates + (row * steps + t) * width;
                int cellAt = cells + (row * steps + t) * units;
                r.readGates(a, gateAt, units);
                a.get(cellAt, r.cell, 0, units);
                RecurrentPasses.previousState(g, a, cells, row, t, initial, 2 * units, units, r.previous);
                RecurrentPasses.stateGradient(g, a, delta, sequences, row, t, recurrent, r.hidden, r.fromNext);
                cellStepBackward(r, r.carried[row], units);
                r.writeGates(a, gateAt, units);
            }
        }
        // the two biases enter the same sum, so they get the same gradient
        RecurrentPasses.parameterGradients(g, arena, x, rows, params, w, gates, gates, hidden, initial, 2 * units,
                grads, dx);
    }

    /**
     * One step back through one row's cell: from the gate activations, the cell ({@code r.cell}), the one before
     * it ({@code r.previous}) and the gradient at the hidden state ({@code r.hidden}), writes the gates'
     * pre-activation gradients over the activations and carries the cell's gradient in {@code carried}.
     */
    private static void cellStepBackward(Rows r, float[] carried, int units) {
        float[] in = r.in;
        float[] forget = r.forget;
        float[] candidate = r.candidate;
        float[] out = r.out;
        float[] cell = r.cell;
        float[] previous = r.previous;
        float[] dh = r.hidden;
        // small loops, each of which the JIT vectorises: tanh(c), then dc, then each gate
        float[] squashed = r.squashed;
        for (int j = 0; j < units; j++) {
            squashed[j] = Squash.tanh(cell[j]);
        }
        for (int j = 0; j < units; j++) {
            float o = out[j];
            float tc = squashed[j];
            carried[j] += dh[j] * o * (1f - tc * tc);
            out[j] = dh[j] * tc * o * (1f - o);
        }
        for (int j = 0; j < units; j++) {
            float i = in[j];
            float c = candidate[j];
            float dCell = carried[j];
            in[j] = dCell * c * i * (1f - i);
            candidate[j] = dCell * i * (1f - c * c);
        }
        for (int j = 0; j < units; j++) {
            float f = forget[j];
            float dCell = carried[j];
            forget[j] = dCell * previous[j] * f * (1f - f);
            carried[j] = dCell * f;
        }
    }

    /** One thread's arrays for one row of a step, a gate per array so that the loops over them vectorise. */
    private static final class Rows {
        float[] in = new float[0];
        float[] forget = in;
        float[] candidate = in;
        float[] out = in;
        float[] biasIn = in;
        float[] biasForget = in;
        float[] biasCandidate = in;
        float[] biasOut = in;
        float[] previous = in;
        float[] cell = in;
        float[] hidden = in;
        float[] fromNext = in;
        float[] squashed = in;
        float[][] carried = new float[0][];

        Rows fit(int units, int rows) {
            if (in.length < units) {
                in = new float[units];
                forget = new float[units];
                candidate = new float[units];
                out = new float[units];
                biasIn = new float[units];
                biasForget = new float[units];
                biasCandidate = new float[units];
                biasOut = new float[units];
                previous = new float[units];
                cell = new float[units];
                hidden = new float[units];
                fromNext = new float[units];
                squashed = new float[units];
            }
            if (carried.length < rows || carried.length > 0 && carried[0].length < units) {
                carried = new float[Math.max(rows, carried.length)][units];
            }
            return this;
        }

        /** {@code bias_ih + bias_hh}, a gate per array. */
        void readBias(FloatBuffer p, int inputBias, int recurrentBias, int units) {
            float[][] biases = {biasIn, biasForget, biasCandidate, biasOut};
            for (int k = 0; k < 4; k++) {
                float[] bias = biases[k];
                p.get(inputBias + k * units, bias, 0, units);
                p.get(recurrentBias + k * units, fromNext, 0, units);
                for (int j = 0; j < units; j++) {
                    bias[j] += fromNext[j];
                }
            }
        }

        void readGates(FloatBuffer a, int at, int units) {
            a.get(at, in, 0, units);
            a.get(at + units, forget, 0, units);
            a.get(at + 2 * units, candidate, 0, units);
            a.get(at + 3 * units, out, 0, units);
        }

        void writeGates(FloatBuffer a, int at, int units) {
            a.put(at, in, 0, units);
            a.put(at + units, forget, 0, units);
            a.put(at + 2 * units, candidate, 0, units);
            a.put(at + 3 * units, out, 0, units);
        }
    }
}
