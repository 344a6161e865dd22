package dev.lamina.runtime.kernels;

import dev.lamina.runtime.Blas;
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

    /** The sizes of one LSTM layer: steps, input features, hidden units. */
    public record Geometry(int steps, int features, int units) {
        int gates() {
            return 4 * units;
        }

        /** Offset of weight_hh from weight_ih. */
        int recurrentWeights() {
            return gates() * features;
        }

        /** Offset of bias_ih from weight_ih. */
        int inputBias() {
            return recurrentWeights() + gates() * units;
        }

        /** Offset of bias_hh from weight_ih. */
        int recurrentBias() {
            return inputBias() + gates();
        }
    }

    /**
     * The forward pass of {@code rows} samples whose inputs start at {@code x}. When {@code out >= 0} the last
     * hidden state is also copied there ({@code [rows, H]}).
     */
    public static void forward(Geometry g, Memory arena, int x, int rows, Memory params, int w, int gates,
                               int cells, int hidden, int out) {
        int steps = g.steps();
        int units = g.units();
        int width = g.gates();
        FloatBuffer a = arena.floats();
        Rows r = ROWS.get().fit(units, rows);
        float[] bias = r.bias;
        params.floats().get(w + g.inputBias(), bias, 0, width);
        params.floats().get(w + g.recurrentBias(), r.gate, 0, width);
        for (int j = 0; j < width; j++) {
            bias[j] += r.gate[j];
        }
        // every step's input projection at once: gates[rows * steps, 4H] = x W_ih^T
        Blas.gemm(false, true, rows * steps, width, g.features(), 1f, arena, x, g.features(), params, w,
                g.features(), 0f, arena, gates, width);
        for (int t = 0; t < steps; t++) {
            if (t > 0) {
                // gates_t += h_{t-1} W_hh^T, one row per sample, steps x width floats apart
                Blas.gemm(false, true, rows, width, units, 1f, arena, hidden + (t - 1) * units, steps * units,
                        params, w + g.recurrentWeights(), units, 1f, arena, gates + t * width, steps * width);
            }
            for (int row = 0; row < rows; row++) {
                int gateAt = gates + (row * steps + t) * width;
                int cellAt = cells + (row * steps + t) * units;
                a.get(gateAt, r.gate, 0, width);
                if (t > 0) {
                    a.get(cellAt - units, r.previous, 0, units);
                } else {
                    Arrays.fill(r.previous, 0, units, 0f);
                }
                cellStep(r.gate, bias, r.previous, r.cell, r.hidden, units);
                a.put(gateAt, r.gate, 0, width);
                a.put(cellAt, r.cell, 0, units);
                a.put(hidden + (row * steps + t) * units, r.hidden, 0, units);
            }
        }
        if (out >= 0) {
            for (int row = 0; row < rows; row++) {
                a.get(hidden + (row * steps + steps - 1) * units, r.hidden, 0, units);
                a.put(out + row * units, r.hidden, 0, units);
            }
        }
    }

    /**
     * The fused step: pre-activations {@code gate} (plus {@code bias}) become the gate activations in place, and
     * the new cell and hidden state are written to {@code cell} and {@code hidden}.
     */
    private static void cellStep(float[] gate, float[] bias, float[] previous, float[] cell, float[] hidden,
                                 int units) {
        for (int j = 0; j < units; j++) {
            float i = sigmoid(gate[j] + bias[j]);
            float f = sigmoid(gate[units + j] + bias[units + j]);
            float c = tanh(gate[2 * units + j] + bias[2 * units + j]);
            float o = sigmoid(gate[3 * units + j] + bias[3 * units + j]);
            gate[j] = i;
            gate[units + j] = f;
            gate[2 * units + j] = c;
            gate[3 * units + j] = o;
            float state = f * previous[j] + i * c;
            cell[j] = state;
            hidden[j] = o * tanh(state);
        }
    }

    /**
     * Backpropagation through all steps. {@code delta} is the gradient at the output: {@code [rows, H]} for the
     * last step, or {@code [rows, T, H]} when {@code sequences}. Adds the weight and bias gradients to
     * {@code grads} from {@code w} (the parameters' layout), and writes the gradient with respect to the input to
     * {@code dx} when it is not negative. The gates region ends up holding the gates' pre-activation gradients.
     */
    public static void backward(Geometry g, Memory arena, int x, int rows, Memory params, int w, int gates,
                                int cells, int hidden, int delta, boolean sequences, Memory grads, int dx,
                                Worker worker) {
        int steps = g.steps();
        int units = g.units();
        int width = g.gates();
        FloatBuffer a = arena.floats();
        Rows r = ROWS.get().fit(units, rows);
        Memory recurrent = worker.scratch(0, rows * units);
        float[] carried = r.carried;
        Arrays.fill(carried, 0, rows * units, 0f);
        for (int t = steps - 1; t >= 0; t--) {
            if (t < steps - 1) {
                // the gradient h_t receives from step t + 1: dGates_{t+1} W_hh
                Blas.gemm(false, false, rows, units, width, 1f, arena, gates + (t + 1) * width, steps * width,
                        params, w + g.recurrentWeights(), units, 0f, recurrent, 0, units);
            }
            for (int row = 0; row < rows; row++) {
                int gateAt = gates + (row * steps + t) * width;
                int cellAt = cells + (row * steps + t) * units;
                a.get(gateAt, r.gate, 0, width);
                a.get(cellAt, r.cell, 0, units);
                if (t > 0) {
                    a.get(cellAt - units, r.previous, 0, units);
                } else {
                    Arrays.fill(r.previous, 0, units, 0f);
                }
                float[] dh = r.hidden;
                if (sequences) {
                    a.get(delta + (row * steps + t) * units, dh, 0, units);
                } else if (t == steps - 1) {
                    a.get(delta + row * units, dh, 0, units);
                } else {
                    Arrays.fill(dh, 0, units, 0f);
                }
                if (t < steps - 1) {
                    recurrent.floats().get(row * units, r.bias, 0, units);
                    for (int j = 0; j < units; j++) {
                        dh[j] += r.bias[j];
                    }
                }
                cellStepBackward(r.gate, r.cell, r.previous, dh, carried, row * units, units);
                a.put(gateAt, r.gate, 0, width);
            }
        }
        // weight gradients over every step at once: dW_ih += dGates^T x, and dW_hh += dGates_t^T h_{t-1}
        Blas.gemm(true, false, width, g.features(), rows * steps, 1f, arena, gates, width, arena, x, g.features(),
                1f, grads, w, g.features());
        for (int t = 1; t < steps; t++) {
            Blas.gemm(true, false, width, units, rows, 1f, arena, gates + t * width, steps * width, arena,
                    hidden + (t - 1) * units, steps * units, 1f, grads, w + g.recurrentWeights(), units);
        }
        // the two biases enter the same sum, so they get the same gradient
        Reductions.columnSums(a, gates, rows * steps, width, grads.floats(), w + g.inputBias());
        Reductions.columnSums(a, gates, rows * steps, width, grads.floats(), w + g.recurrentBias());
        if (dx >= 0) {
            Blas.gemm(false, false, rows * steps, g.features(), width, 1f, arena, gates, width, params, w,
                    g.features(), 0f, arena, dx, g.features());
        }
    }

    /**
     * One step back through the cell: from the gate activations {@code gate}, the cell {@code cell} and the one
     * before it, and the gradient {@code dh} at the hidden state, writes the gates' pre-activation gradients over
     * {@code gate} and carries the cell's gradient in {@code carried[at, at + units)}.
     */
    private static void cellStepBackward(float[] gate, float[] cell, float[] previous, float[] dh, float[] carried,
                                         int at, int units) {
        for (int j = 0; j < units; j++) {
            float i = gate[j];
            float f = gate[units + j];
            float c = gate[2 * units + j];
            float o = gate[3 * units + j];
            float squashed = tanh(cell[j]);
            float dCell = carried[at + j] + dh[j] * o * (1f - squashed * squashed);
            gate[j] = dCell * c * i * (1f - i);
            gate[units + j] = dCell * previous[j] * f * (1f - f);
            gate[2 * units + j] = dCell * i * (1f - c * c);
            gate[3 * units + j] = dh[j] * squashed * o * (1f - o);
            carried[at + j] = dCell * f;
        }
    }

    static float sigmoid(float u) {
        return 1f / (1f + (float) Math.exp(-u));
    }

    /** {@code tanh(u) = 2 sigmoid(2u) - 1}: one exponential, where {@code Math.tanh} costs several. */
    static float tanh(float u) {
        return 2f / (1f + (float) Math.exp(-2f * u)) - 1f;
    }

    /** One thread's arrays for a step's rows. */
    private static final class Rows {
        float[] gate = new float[0];
        float[] bias = gate;
        float[] previous = gate;
        float[] cell = gate;
        float[] hidden = gate;
        float[] carried = gate;

        Rows fit(int units, int rows) {
            if (gate.length < 4 * units) {
                gate = new float[4 * units];
                bias = new float[4 * units];
                previous = new float[units];
                cell = new float[units];
                hidden = new float[units];
            }
            if (carried.length < rows * units) {
                carried = new float[rows * units];
            }
            return this;
        }
    }
}
