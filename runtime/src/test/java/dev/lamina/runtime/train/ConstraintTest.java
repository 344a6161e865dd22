package dev.lamina.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.dsl.Loss;
import dev.lamina.runtime.Layer;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.NetworkState;
import dev.lamina.runtime.Tensor;
import dev.lamina.runtime.data.Dataset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The max-norm constraint on hand-built tensors of each layout: rows (or ConvTranspose's columns) over the bound
 * end at norm c, rows within it are bit for bit unchanged, biases are untouched; and its refusals.
 */
class ConstraintTest {
    /** A model of parameters only: a Dense [4, 5] with bias, a Conv [3, 2, 2, 2] and a ConvTranspose [2, 2, 2, 3]. */
    private static final class Params implements Model {
        final NetworkState state = new NetworkState("params", Loss.SOFTMAX_CROSS_ENTROPY, new int[] {1}, 1,
                20 + 4 + 24 + 24, 0, 1, 0);
        final Layer dense;
        final Layer conv;
        final Layer up;
        final Layer pool;

        Params() {
            state.parameter("d.weight", Tensor.Kind.WEIGHT, new int[] {4, 5}, 0, 1f);
            state.parameter("d.bias", Tensor.Kind.BIAS, new int[] {4}, 20, 0f);
            state.parameter("c.weight", Tensor.Kind.WEIGHT, new int[] {3, 2, 2, 2}, 24, 1f);
            state.parameter("u.weight", Tensor.Kind.WEIGHT, new int[] {2, 2, 2, 3}, 48, 1f);
            dense = state.layer("d", "Dense", new int[] {4});
            conv = state.layer("c", "Conv", new int[] {3, 1, 1});
            up = state.layer("u", "ConvTranspose", new int[] {3, 2, 2});
            pool = state.layer("p", "Pool", new int[] {3, 1, 1});
            state.initialize(3);
            // rows of several sizes: row u of each tensor scaled by 0.1 * 4^u, so some are over the bound, some not
            float[] p = new float[72];
            state.parameters().floats().get(0, p);
            for (int i = 0; i < 72; i++) {
                p[i] = (float) (0.5 + 0.5 * Math.sin(i)) * (i < 20 ? (float) Math.pow(4, i / 5 - 2)
                        : i < 24 ? 9f : i < 48 ? (float) Math.pow(4, (i - 24) / 8 - 1) : (float) Math.pow(4, i % 3 - 1));
            }
            state.parameters().floats().put(0, p);
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
            return 0;
        }
    }

    /** Norms of the unit vectors of {@code w}: rows of the first axis, or columns of the last when byColumn. */
    private static double[] norms(float[] w, int units, boolean byColumn) {
        double[] n = new double[units];
        int size = w.length / units;
        for (int u = 0; u < units; u++) {
            for (int i = 0; i < size; i++) {
                double v = byColumn ? w[i * units + u] : w[u * size + i];
                n[u] += v * v;
            }
            n[u] = Math.sqrt(n[u]);
        }
        return n;
    }

    private static void checkBound(float[] before, float[] after, int units, boolean byColumn, double c) {
        double[] nb = norms(before, units, byColumn);
        double[] na = norms(after, units, byColumn);
        int size = before.length / units;
        boolean bound = false;
        boolean free = false;
        for (int u = 0; u < units; u++) {
            assertTrue(na[u] <= c * (1 + 1e-6), "unit " + u + " norm " + na[u]);
            for (int i = 0; i < size; i++) {
                int at = byColumn ? i * units + u : u * size + i;
                if (nb[u] <= c) {
                    assertEquals(Float.floatToRawIntBits(before[at]), Float.floatToRawIntBits(after[at]),
                            "unit " + u + " under the bound changed");
                } else {
                    // renormalised: the same direction, norm c
                    assertEquals(before[at] * c / nb[u], after[at], 1e-6 * Math.abs(before[at]) + 1e-12);
                }
            }
            if (nb[u] > c) {
                assertEquals(c, na[u], 1e-6 * c);
                bound = true;
            } else {
                free = true;
            }
        }
        assertTrue(bound && free, "the test tensor needs units on both sides of the bound");
    }

    @Test
    void everyUnitWithinTheBoundAfterwardsAndUnitsUnderItUntouched() {
        Params m = new Params();
        double c = 1.0;
        float[] d = m.dense.weights().toArray();
        float[] b = m.dense.bias().toArray();
        float[] k = m.conv.weights().toArray();
        float[] t = m.up.weights().toArray();
        Constraint.maxNorm(c).apply(m);
        checkBound(d, m.dense.weights().toArray(), 4, false, c);
        checkBound(k, m.conv.weights().toArray(), 3, false, c);
        checkBound(t, m.up.weights().toArray(), 3, true, c);
        float[] b2 = m.dense.bias().toArray();
        for (int i = 0; i < b.length; i++) {
            assertEquals(Float.floatToRawIntBits(b[i]), Float.floatToRawIntBits(b2[i]), "bias changed");
        }
    }

    @Test
    void onlyTheLayersGiven() {
        Params m = new Params();
        float[] k = m.conv.weights().toArray();
        float[] t = m.up.weights().toArray();
        float[] d = m.dense.weights().toArray();
        Constraint only = Constraint.maxNorm(1.0, m.dense);
        assertEquals(List.of(m.dense), only.layers());
        only.apply(m);
        checkBound(d, m.dense.weights().toArray(), 4, false, 1.0);
        assertTrue(java.util.Arrays.equals(k, m.conv.weights().toArray()));
        assertTrue(java.util.Arrays.equals(t, m.up.weights().toArray()));
        // applying again changes nothing that is within the bound by more than rounding
        float[] once = m.dense.weights().toArray();
        only.apply(m);
        float[] twice = m.dense.weights().toArray();
        for (int i = 0; i < once.length; i++) {
            assertEquals(once[i], twice[i], 1e-6 * Math.abs(once[i]));
        }
    }

    @Test
    void refusesABadBoundALayerWithoutWeightsAndAnotherModelsLayer() {
        for (double c : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Constraint.maxNorm(c));
            assertTrue(e.getMessage().contains("finite and positive") && e.getMessage().contains(String.valueOf(c)),
                    e.getMessage());
        }
        Params m = new Params();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Constraint.maxNorm(1, m.pool));
        assertTrue(e.getMessage().contains("'p' (Pool) has no weights"), e.getMessage());
        Constraint other = Constraint.maxNorm(1, new Params().dense);
        e = assertThrows(IllegalArgumentException.class, () -> other.apply(m));
        assertTrue(e.getMessage().contains("not a layer of params"), e.getMessage());
    }

    /** A device-resident model: the constraint has no kernel there and says so before training starts. */
    private static final class OnDevice implements Model, Optimizer.DeviceResident {
        final Params host = new Params();

        @Override
        public NetworkState state() {
            return host.state;
        }

        @Override
        public void forward(int batch) {
            throw new AssertionError("no step may run");
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
            return 0;
        }

        @Override
        public void update(Optimizer.Rule rule, double learningRate, int step) {
        }

        @Override
        public void regularize(double l1, double l2) {
        }

        @Override
        public double clipByGlobalNorm(double maxNorm) {
            return 0;
        }
    }

    @Test
    void aDeviceResidentModelIsRefusedClearly() {
        OnDevice m = new OnDevice();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Constraint.maxNorm(1).apply(m));
        assertTrue(e.getMessage().contains("not implemented for a device-resident model"), e.getMessage());
        Dataset data = new Dataset(new float[] {1, 2}, new int[] {1}, new float[] {1, 1}, 1);
        e = assertThrows(UnsupportedOperationException.class,
                () -> Trainer.of(m).constraint(Constraint.maxNorm(1)).epochs(1).batchSize(2).fit(data));
        assertTrue(e.getMessage().contains("no device kernel"), e.getMessage());
    }
}
