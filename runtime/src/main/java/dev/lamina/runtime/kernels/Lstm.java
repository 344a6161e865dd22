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
 * <p>Variants ({@link Cell}): with peepholes the input and forget gates also see {@code c_{t-1}} and the output
 * gate sees {@code c_t}, each through a per-unit weight ({@code weight_peephole}, after {@code bias_hh}); with a
 * coupled input gate, {@code i = 1 - f}, and the gates are f, g, o ({@code 3H} wide).
 *
 * <p>Regions: {@code gates [T, 4H]} holds the gate activations after the forward pass and their pre-activation
 * gradients after the backward pass; {@code cells [T, H]} the cell states; {@code hidden [T, H]} the hidden states
 * (the output itself when the layer returns sequences).
 */
public final class Lstm {
    private static final ThreadLocal<Rows> ROWS = ThreadLocal.withInitial(Rows::new);

    private Lstm() {
    }

    /** Which LSTM: with peepholes, and/or with the input gate coupled to the forget gate. */
    public record Cell(boolean peephole, boolean coupled) {
        /** The plain LSTM. */
        public static final Cell PLAIN = new Cell(false, false);

        /** Gate blocks per unit. */
        public int gates() {
            return coupled ? 3 : 4;
        }

        /** Peephole weights per unit: for i, f and o, or f and o when coupled. */
        public int peepholes() {
            return peephole ? gates() - 1 : 0;
        }
    }

    /**
     * The forward pass of {@code rows} samples whose inputs start at {@code x}. When {@code out >= 0} the last
     * hidden state is also copied there ({@code [rows, H]}).
     */
    public static void forward(RecurrentGeometry g, Memory arena, int x, int rows, Memory params, int w, int gates,
                               int cells, int hidden, int out, int initial) {
        forward(g, Cell.PLAIN, arena, x, rows, params, w, gates, cells, hidden, out, initial);
    }

    /** The forward pass of an LSTM variant. */
    public static void forward(RecurrentGeometry g, Cell variant, Memory arena, int x, int rows, Memory params,
                               int w, int gates, int cells, int hidden, int out, int initial) {
        int steps = g.steps();
        int units = g.units();
        int width = g.width();
        FloatBuffer a = arena.floats();
        Rows r = ROWS.get().fit(units, rows);
        r.readBias(params.floats(), w + g.inputBias(), w + g.recurrentBias(), units, variant);
        r.readPeepholes(params.floats(), w + g.recurrentBias() + width, units, variant);
        RecurrentPasses.inputProjection(g, arena, x, rows, params, w, gates);
        for (int t = 0; t < steps; t++) {
            if (t > 0 || initial >= 0) {
                RecurrentPasses.recurrentProjection(g, arena, hidden, t, rows, params, w, gates, true, initial,
                        2 * units);
            }
            for (int row = 0; row < rows; row++) {
                int gateAt = gates + (row * steps + t) * width;
                int cellAt = cells + (row * steps + t) * units;
                r.readGates(a, gateAt, units, variant);
                RecurrentPasses.previousState(g, a, cells, row, t, initial, 2 * units, units, r.previous);
                cellStep(r, units, variant);
                r.writeGates(a, gateAt, units, variant);
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
    private static void cellStep(Rows r, int units, Cell variant) {
        float[] in = r.in;
        float[] forget = r.forget;
        float[] candidate = r.candidate;
        float[] out = r.out;
        float[] cell = r.cell;
        float[] hidden = r.hidden;
        float[] previous = r.previous;
        if (variant.peephole()) {
            // the gates before the cell see the previous one
            addProduct(forget, r.peepForget, previous, units);
            if (!variant.coupled()) {
                addProduct(in, r.peepIn, previous, units);
            }
        }
        sigmoidPlus(forget, r.biasForget, units);
        if (variant.coupled()) {
            for (int j = 0; j < units; j++) {
                in[j] = 1f - forget[j];
            }
        } else {
            sigmoidPlus(in, r.biasIn, units);
        }
        float[] biasCandidate = r.biasCandidate;
        for (int j = 0; j < units; j++) {
            candidate[j] = Squash.tanh(candidate[j] + biasCandidate[j]);
        }
        for (int j = 0; j < units; j++) {
            cell[j] = forget[j] * previous[j] + in[j] * candidate[j];
        }
        if (variant.peephole()) {
            // and the output gate the new one
            addProduct(out, r.peepOut, cell, units);
        }
        sigmoidPlus(out, r.biasOut, units);
        for (int j = 0; j < units; j++) {
            hidden[j] = out[j] * Squash.tanh(cell[j]);
        }
    }

    /** {@code v += p * c}. */
    private static void addProduct(float[] v, float[] p, float[] c, int units) {
        for (int j = 0; j < units; j++) {
            v[j] += p[j] * c[j];
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
        backward(g, Cell.PLAIN, arena, x, rows, params, w, gates, cells, hidden, initial, delta, sequences, grads,
                dx, worker);
    }

    /** Backpropagation through all steps of an LSTM variant; also adds the peephole weights' gradient. */
    public static void backward(RecurrentGeometry g, Cell variant, Memory arena, int x, int rows, Memory params,
                                int w, int gates, int cells, int hidden, int initial, int delta, boolean sequences,
                                Memory grads, int dx, Worker worker) {
        int steps = g.steps();
        int units = g.units();
        int width = g.width();
        FloatBuffer a = arena.floats();
        Rows r = ROWS.get().fit(units, rows);
        Memory recurrent = worker.scratch(0, rows * units);
        RecurrentPasses.clear(r.carried, rows, units);
        r.readPeepholes(params.floats(), w + g.recurrentBias() + width, units, variant);
        r.clearPeepholeGradients(units);
        for (int t = steps - 1; t >= 0; t--) {
            if (t < steps - 1) {
                RecurrentPasses.gradientThroughRecurrence(g, arena, gates, t, rows, params, w, recurrent);
            }
            for (int row = 0; row < rows; row++) {
                int gateAt = gates + (row * steps + t) * width;
                int cellAt = cells + (row * steps + t) * units;
                r.readGates(a, gateAt, units, variant);
                a.get(cellAt, r.cell, 0, units);
                RecurrentPasses.previousState(g, a, cells, row, t, initial, 2 * units, units, r.previous);
                RecurrentPasses.stateGradient(g, a, delta, sequences, row, t, recurrent, r.hidden, r.fromNext);
                cellStepBackward(r, r.carried[row], units, variant);
                r.writeGates(a, gateAt, units, variant);
            }
        }
        if (variant.peephole()) {
            r.addPeepholeGradients(grads.floats(), w + g.recurrentBias() + width, units, variant);
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
    private static void cellStepBackward(Rows r, float[] carried, int units, Cell variant) {
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
        if (variant.peephole()) {
            // c_t reaches the loss through the output gate too
            addProduct(carried, r.peepOut, out, units);
            addProduct(r.dPeepOut, out, cell, units);
        }
        if (variant.coupled()) {
            // c = f c' + (1 - f) g: the forget gate's pre-activation sees c' - g
            for (int j = 0; j < units; j++) {
                float f = forget[j];
                float c = candidate[j];
                float dCell = carried[j];
                forget[j] = dCell * (previous[j] - c) * f * (1f - f);
                candidate[j] = dCell * (1f - f) * (1f - c * c);
                carried[j] = dCell * f;
            }
            if (variant.peephole()) {
                addProduct(carried, r.peepForget, forget, units);
                addProduct(r.dPeepForget, forget, previous, units);
            }
            return;
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
        if (variant.peephole()) {
            // c_{t-1} reached the input and forget gates
            addProduct(carried, r.peepIn, in, units);
            addProduct(carried, r.peepForget, forget, units);
            addProduct(r.dPeepIn, in, previous, units);
            addProduct(r.dPeepForget, forget, previous, units);
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
        float[] peepIn = in;
        float[] peepForget = in;
        float[] peepOut = in;
        float[] dPeepIn = in;
        float[] dPeepForget = in;
        float[] dPeepOut = in;
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
                peepIn = new float[units];
                peepForget = new float[units];
                peepOut = new float[units];
                dPeepIn = new float[units];
                dPeepForget = new float[units];
                dPeepOut = new float[units];
            }
            carried = RecurrentPasses.perRow(carried, rows, units);
            return this;
        }

        /** {@code bias_ih + bias_hh}, a gate per array (the coupled variant has no input gate). */
        void readBias(FloatBuffer p, int inputBias, int recurrentBias, int units, Cell variant) {
            float[][] biases = variant.coupled() ? new float[][] {biasForget, biasCandidate, biasOut}
                    : new float[][] {biasIn, biasForget, biasCandidate, biasOut};
            for (int k = 0; k < biases.length; k++) {
                float[] bias = biases[k];
                p.get(inputBias + k * units, bias, 0, units);
                p.get(recurrentBias + k * units, fromNext, 0, units);
                for (int j = 0; j < units; j++) {
                    bias[j] += fromNext[j];
                }
            }
        }

        /** The peephole weights, for i, f, o (f, o when coupled), from {@code at}. */
        void readPeepholes(FloatBuffer p, int at, int units, Cell variant) {
            if (!variant.peephole()) {
                return;
            }
            int k = 0;
            if (!variant.coupled()) {
                p.get(at + units * k++, peepIn, 0, units);
            }
            p.get(at + units * k++, peepForget, 0, units);
            p.get(at + units * k, peepOut, 0, units);
        }

        void clearPeepholeGradients(int units) {
            Arrays.fill(dPeepIn, 0, units, 0f);
            Arrays.fill(dPeepForget, 0, units, 0f);
            Arrays.fill(dPeepOut, 0, units, 0f);
        }

        /** Adds the peephole weights' gradient, summed over rows and steps, into {@code grads} at {@code at}. */
        void addPeepholeGradients(FloatBuffer grads, int at, int units, Cell variant) {
            float[][] parts = variant.coupled() ? new float[][] {dPeepForget, dPeepOut}
                    : new float[][] {dPeepIn, dPeepForget, dPeepOut};
            for (int k = 0; k < parts.length; k++) {
                for (int j = 0; j < units; j++) {
                    int i = at + k * units + j;
                    grads.put(i, grads.get(i) + parts[k][j]);
                }
            }
        }

        void readGates(FloatBuffer a, int at, int units, Cell variant) {
            int k = 0;
            if (!variant.coupled()) {
                a.get(at + units * k++, in, 0, units);
            }
            a.get(at + units * k++, forget, 0, units);
            a.get(at + units * k++, candidate, 0, units);
            a.get(at + units * k, out, 0, units);
            if (variant.coupled()) {
                // i = 1 - f, from the activations (forward reads pre-activations here and overwrites it)
                for (int j = 0; j < units; j++) {
                    in[j] = 1f - forget[j];
                }
            }
        }

        void writeGates(FloatBuffer a, int at, int units, Cell variant) {
            int k = 0;
            if (!variant.coupled()) {
                a.put(at + units * k++, in, 0, units);
            }
            a.put(at + units * k++, forget, 0, units);
            a.put(at + units * k++, candidate, 0, units);
            a.put(at + units * k, out, 0, units);
        }
    }
}
