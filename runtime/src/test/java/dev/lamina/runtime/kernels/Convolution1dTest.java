package dev.lamina.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.runtime.Memory;
import dev.lamina.runtime.Rng;
import dev.lamina.runtime.Workers;
import org.junit.jupiter.api.Test;

/** The 1D convolution against the definition: forward, weight gradient and input gradient. */
class Convolution1dTest {
    @Test
    void matchesTheDefinition() {
        int[][] cases = {{9, 3, 3, 1, 1, 1, 4}, {10, 2, 2, 2, 0, 2, 3}, {5, 4, 5, 1, 2, 1, 2}};
        for (int[] c : cases) {
            int steps = c[0], features = c[1], k = c[2], stride = c[3], pad = c[4], dilation = c[5], filters = c[6];
            int span = dilation * (k - 1) + 1;
            int outSteps = (steps + 2 * pad - span) / stride + 1;
            Convolution1d.Geometry g = new Convolution1d.Geometry(steps, features, k, stride, pad, dilation, outSteps,
                    filters);
            int n = 3;
            Rng rng = new Rng(steps * 31 + k);
            float[] x = random(n * steps * features, rng);
            float[] w = random(filters * k * features, rng);
            float[] delta = random(n * outSteps * filters, rng);
            Memory in = memory(x);
            Memory weights = memory(w);
            Memory gradient = memory(delta);
            Memory out = Memory.allocate(n * outSteps * filters);
            Memory dw = Memory.allocate(w.length);
            Memory dx = Memory.allocate(x.length);
            Workers.shared().run(1, (worker, rows, first, count) -> {
                if (worker.index() == 0) {
                    Convolution1d.forward(g, in, 0, n, weights, 0, out, 0, worker);
                    Convolution1d.backward(g, in, 0, n, gradient, 0, weights, 0, dw, 0, dx, 0, worker);
                }
            });
            float[] wantOut = new float[out.size()];
            float[] wantDw = new float[w.length];
            float[] wantDx = new float[x.length];
            for (int b = 0; b < n; b++) {
                for (int t = 0; t < outSteps; t++) {
                    for (int f = 0; f < filters; f++) {
                        int o = (b * outSteps + t) * filters + f;
                        for (int j = 0; j < k; j++) {
                            int step = t * stride - pad + j * dilation;
                            if (step < 0 || step >= steps) {
                                continue;
                            }
                            for (int ch = 0; ch < features; ch++) {
                                int xi = (b * steps + step) * features + ch;
                                int wi = (f * k + j) * features + ch;
                                wantOut[o] += x[xi] * w[wi];
                                wantDw[wi] += delta[o] * x[xi];
                                wantDx[xi] += delta[o] * w[wi];
                            }
                        }
                    }
                }
            }
            String where = java.util.Arrays.toString(c);
            assertClose(where + " forward", wantOut, out.toArray());
            assertClose(where + " weight gradient", wantDw, dw.toArray());
            assertClose(where + " input gradient", wantDx, dx.toArray());
        }
    }

    private static void assertClose(String what, float[] want, float[] got) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-4 * (1 + Math.abs(want[i])), what + " at " + i);
        }
    }

    private static float[] random(int size, Rng rng) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }

    private static Memory memory(float[] values) {
        Memory m = Memory.allocate(values.length);
        m.floats().put(0, values);
        return m;
    }
}
