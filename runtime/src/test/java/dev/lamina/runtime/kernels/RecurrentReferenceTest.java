package dev.lamina.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.runtime.Memory;
import dev.lamina.runtime.Rng;
import dev.lamina.runtime.Workers;
import org.junit.jupiter.api.Test;

/**
 * The fused recurrent passes against a reference written straight from the gate equations, in double precision:
 * every step's hidden state, for the LSTM and its variants, the GRU and the Elman RNN, from a given initial state.
 */
class RecurrentReferenceTest {
    private static final int T = 5;
    private static final int F = 3;
    private static final int H = 4;
    private static final int ROWS = 2;

    private final Rng rng = new Rng(17);
    private final float[] x = random(ROWS * T * F, 1.0);
    private final float[] h0 = random(ROWS * H, 0.5);
    private final float[] c0 = random(ROWS * H, 0.5);

    @Test
    void lstmAndItsVariants() {
        for (Lstm.Cell cell : new Lstm.Cell[] {Lstm.Cell.PLAIN, new Lstm.Cell(true, false), new Lstm.Cell(false, true),
                new Lstm.Cell(true, true)}) {
            int gates = cell.gates();
            RecurrentGeometry g = new RecurrentGeometry(T, F, H, gates);
            float[] p = random(g.recurrentBias() + g.width() + cell.peepholes() * H, 0.4);
            // arena: x, gates, cells, hidden, initial [h0, c0] per row
            int gatesAt = ROWS * T * F;
            int cellsAt = gatesAt + ROWS * T * g.width();
            int hiddenAt = cellsAt + ROWS * T * H;
            int initialAt = hiddenAt + ROWS * T * H;
            Memory arena = Memory.allocate(initialAt + ROWS * 2 * H);
            arena.floats().put(0, x);
            for (int r = 0; r < ROWS; r++) {
                arena.floats().put(initialAt + r * 2 * H, h0, r * H, H);
                arena.floats().put(initialAt + r * 2 * H + H, c0, r * H, H);
            }
            Memory params = memory(p);
            onOneWorker(() -> Lstm.forward(g, cell, arena, 0, ROWS, params, 0, gatesAt, cellsAt, hiddenAt, -1,
                    initialAt));
            for (int r = 0; r < ROWS; r++) {
                double[] h = copy(h0, r * H);
                double[] c = copy(c0, r * H);
                for (int t = 0; t < T; t++) {
                    double[] pre = preActivations(p, g, r, t, h);
                    double[] next = new double[H];
                    for (int j = 0; j < H; j++) {
                        int k = 0;
                        double peepI = 0;
                        double peepF = 0;
                        double peepO = 0;
                        int peepAt = g.recurrentBias() + g.width();
                        if (cell.peephole()) {
                            int q = 0;
                            if (!cell.coupled()) {
                                peepI = p[peepAt + q++ * H + j];
                            }
                            peepF = p[peepAt + q++ * H + j];
                            peepO = p[peepAt + q * H + j];
                        }
                        double i = cell.coupled() ? Double.NaN : sigmoid(pre[k++ * H + j] + peepI * c[j]);
                        double f = sigmoid(pre[k++ * H + j] + peepF * c[j]);
                        if (cell.coupled()) {
                            i = 1 - f;
                        }
                        double candidate = Math.tanh(pre[k++ * H + j]);
                        double cell1 = f * c[j] + i * candidate;
                        double o = sigmoid(pre[k * H + j] + peepO * cell1);
                        c[j] = cell1;
                        next[j] = o * Math.tanh(cell1);
                    }
                    h = next;
                    assertState(cell + " row " + r + " step " + t, h, arena, hiddenAt, r, t);
                }
            }
        }
    }

    @Test
    void gruInPyTorchsForm() {
        RecurrentGeometry g = new RecurrentGeometry(T, F, H, 3);
        float[] p = random(g.recurrentBias() + g.width(), 0.4);
        int gatesAt = ROWS * T * F;
        int projectionsAt = gatesAt + ROWS * T * g.width();
        int hiddenAt = projectionsAt + ROWS * T * g.width();
        int initialAt = hiddenAt + ROWS * T * H;
        Memory arena = Memory.allocate(initialAt + ROWS * H);
        arena.floats().put(0, x);
        arena.floats().put(initialAt, h0);
        Memory params = memory(p);
        onOneWorker(() -> Gru.forward(g, arena, 0, ROWS, params, 0, gatesAt, projectionsAt, hiddenAt, -1,
                initialAt));
        for (int r = 0; r < ROWS; r++) {
            double[] h = copy(h0, r * H);
            for (int t = 0; t < T; t++) {
                double[] next = new double[H];
                for (int j = 0; j < H; j++) {
                    double[] xi = new double[3];
                    double[] hh = new double[3];
                    for (int k = 0; k < 3; k++) {
                        int unit = k * H + j;
                        xi[k] = p[g.inputBias() + unit];
                        hh[k] = p[g.recurrentBias() + unit];
                        for (int q = 0; q < F; q++) {
                            xi[k] += p[unit * F + q] * x[(r * T + t) * F + q];
                        }
                        for (int q = 0; q < H; q++) {
                            hh[k] += p[g.recurrentWeights() + unit * H + q] * h[q];
                        }
                    }
                    double reset = sigmoid(xi[0] + hh[0]);
                    double update = sigmoid(xi[1] + hh[1]);
                    double n = Math.tanh(xi[2] + reset * hh[2]);
                    next[j] = (1 - update) * n + update * h[j];
                }
                h = next;
                assertState("GRU row " + r + " step " + t, h, arena, hiddenAt, r, t);
            }
        }
    }

    @Test
    void elmanRnn() {
        RecurrentGeometry g = new RecurrentGeometry(T, F, H, 1);
        float[] p = random(g.recurrentBias() + g.width(), 0.4);
        int gatesAt = ROWS * T * F;
        int hiddenAt = gatesAt + ROWS * T * H;
        int initialAt = hiddenAt + ROWS * T * H;
        Memory arena = Memory.allocate(initialAt + ROWS * H);
        arena.floats().put(0, x);
        arena.floats().put(initialAt, h0);
        Memory params = memory(p);
        onOneWorker(() -> ElmanRnn.forward(g, arena, 0, ROWS, params, 0, hiddenAt, -1, initialAt));
        for (int r = 0; r < ROWS; r++) {
            double[] h = copy(h0, r * H);
            for (int t = 0; t < T; t++) {
                double[] pre = preActivations(p, g, r, t, h);
                double[] next = new double[H];
                for (int j = 0; j < H; j++) {
                    next[j] = Math.tanh(pre[j]);
                }
                h = next;
                assertState("RNN row " + r + " step " + t, h, arena, hiddenAt, r, t);
            }
        }
    }

    /** {@code W_ih x_t + b_ih + W_hh h + b_hh} for every gate unit of row r, step t. */
    private double[] preActivations(float[] p, RecurrentGeometry g, int r, int t, double[] h) {
        double[] pre = new double[g.width()];
        for (int unit = 0; unit < g.width(); unit++) {
            double sum = p[g.inputBias() + unit] + p[g.recurrentBias() + unit];
            for (int q = 0; q < F; q++) {
                sum += p[unit * F + q] * x[(r * T + t) * F + q];
            }
            for (int q = 0; q < H; q++) {
                sum += p[g.recurrentWeights() + unit * H + q] * h[q];
            }
            pre[unit] = sum;
        }
        return pre;
    }

    private static void assertState(String where, double[] want, Memory arena, int hiddenAt, int r, int t) {
        for (int j = 0; j < H; j++) {
            assertEquals(want[j], arena.floats().get(hiddenAt + (r * T + t) * H + j), 2e-6, where + " unit " + j);
        }
    }

    private static void onOneWorker(Runnable pass) {
        Workers.shared().run(1, (worker, n, first, rows) -> {
            if (worker.index() == 0) {
                pass.run();
            }
        });
    }

    private static double sigmoid(double u) {
        return 1 / (1 + Math.exp(-u));
    }

    private static double[] copy(float[] values, int from) {
        double[] out = new double[H];
        for (int j = 0; j < H; j++) {
            out[j] = values[from + j];
        }
        return out;
    }

    private float[] random(int count, double scale) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) (rng.nextGaussian() * scale);
        }
        return v;
    }

    private static Memory memory(float[] values) {
        Memory m = Memory.allocate(values.length);
        m.floats().put(0, values);
        return m;
    }
}
