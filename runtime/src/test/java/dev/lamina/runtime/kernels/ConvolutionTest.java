package dev.lamina.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.runtime.Memory;
import dev.lamina.runtime.Rng;
import dev.lamina.runtime.Workers;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The im2col + GEMM convolution (both column layouts, several images per chunk and a partial last chunk)
 * against a direct convolution written from the definition, forward and backward.
 */
class ConvolutionTest {
    private static final List<ConvGeometry> GEOMETRIES = List.of(
            // field-major: one channel, stride 1, with padding and dilation
            geometry(28, 28, 1, 5, 1, 2, 1, 6),
            geometry(9, 8, 1, 3, 1, 2, 2, 2),
            // wide output rows: the same, writing rows as wide as the padded input
            wide(geometry(28, 28, 1, 5, 1, 2, 1, 6)),
            wide(geometry(9, 8, 1, 3, 1, 2, 2, 2)),
            wide(geometry(6, 5, 1, 2, 1, 0, 1, 3)),
            // position-major: several channels, stride, padding, dilation, and a 1x1 convolution
            geometry(7, 7, 2, 3, 1, 1, 1, 3),
            geometry(3, 3, 3, 2, 1, 1, 2, 4),
            geometry(14, 14, 6, 5, 1, 0, 1, 16),
            geometry(6, 9, 16, 3, 1, 2, 1, 4),
            geometry(5, 7, 16, 3, 1, 1, 1, 3),
            geometry(5, 5, 16, 3, 1, 1, 1, 16),
            geometry(7, 7, 2, 2, 1, 0, 1, 1),
            geometry(6, 6, 2, 3, 1, 1, 1, 2),
            geometry(9, 7, 4, 3, 2, 1, 1, 5),
            geometry(5, 5, 3, 1, 1, 0, 1, 2),
            // kernel rows in stride phases: a ResNet's downsampling 3x3 (even and odd sizes, where the last padded
            // row is nobody's input), an even kernel, stride 3; a 1x1 stride-2 projection keeps full columns
            geometry(28, 28, 16, 3, 2, 1, 1, 8),
            geometry(8, 9, 16, 3, 2, 1, 1, 4),
            geometry(9, 10, 5, 4, 2, 1, 1, 3),
            geometry(11, 10, 6, 3, 3, 1, 1, 4),
            geometry(8, 8, 16, 1, 2, 0, 1, 8),
            // tap planes and the adjoint input gradient: a ResNet's 3x3 stride-1 layers, odd sizes, padding 0 and 2
            // (the adjoint's 2 and 0), and more channels in than out
            geometry(28, 28, 16, 3, 1, 1, 1, 16),
            geometry(14, 14, 32, 3, 1, 1, 1, 32),
            geometry(7, 7, 64, 3, 1, 1, 1, 64),
            geometry(9, 6, 16, 3, 1, 0, 1, 24),
            geometry(6, 7, 16, 3, 1, 2, 1, 16),
            geometry(8, 10, 24, 3, 1, 1, 1, 16));

    private static ConvGeometry geometry(int h, int w, int c, int k, int stride, int pad, int dilation, int f) {
        int span = dilation * (k - 1) + 1;
        return new ConvGeometry(h, w, c, k, stride, pad, dilation, (h + 2 * pad - span) / stride + 1,
                (w + 2 * pad - span) / stride + 1, f);
    }

    private static ConvGeometry wide(ConvGeometry g) {
        return new ConvGeometry(g.height(), g.width(), g.channels(), g.kernel(), g.stride(), g.padding(),
                g.dilation(), g.outHeight(), g.outWidth(), g.filters(), true);
    }

    @Test
    void matchesTheDefinitionForwardAndBackward() {
        for (ConvGeometry g : GEOMETRIES) {
            int images = Convolution.chunk(g) + 1;
            Rng rng = new Rng(g.hashCode());
            float[] x = random(images * g.inputSize(), rng);
            float[] w = random(g.filters() * g.fieldSize(), rng);
            float[] delta = random(images * g.outputSize(), rng);
            // positions outside the result (wide rows) get no gradient, and their outputs are not compared
            boolean[] result = resultPositions(g, images);
            for (int i = 0; i < delta.length; i++) {
                delta[i] = result[i] ? delta[i] : 0f;
            }
            Memory in = memory(x);
            Memory weights = memory(w);
            Memory gradient = memory(delta);
            Memory out = Memory.allocate(images * g.outputSize());
            Memory dw = Memory.allocate(w.length);
            Memory dx = Memory.allocate(x.length);
            Workers.shared().run(1, (worker, n, first, rows) -> {
                if (worker.index() == 0) {
                    Convolution.forward(g, in, 0, images, weights, 0, out, 0, worker);
                    Convolution.backward(g, in, 0, images, gradient, 0, weights, 0, dw, 0, dx, 0, worker);
                }
            });
            float[] wantOut = new float[images * g.outputSize()];
            float[] wantDw = new float[w.length];
            float[] wantDx = new float[x.length];
            direct(g, images, x, w, delta, wantOut, wantDw, wantDx);
            float[] gotOut = out.toArray();
            for (int i = 0; i < gotOut.length; i++) {
                gotOut[i] = result[i] ? gotOut[i] : 0f;
            }
            assertClose(g + " forward", wantOut, gotOut);
            assertClose(g + " weight gradient", wantDw, dw.toArray());
            assertClose(g + " input gradient", wantDx, dx.toArray());
            // the gradient with respect to the input alone: a transposed convolution's forward pass
            Memory transposed = Memory.allocate(x.length);
            Workers.shared().run(1, (worker, n, first, rows) -> {
                if (worker.index() == 0) {
                    Convolution.dataGradient(g, images, gradient, 0, weights, 0, transposed, 0, worker);
                }
            });
            assertClose(g + " data gradient alone", wantDx, transposed.toArray());
            // added to a gradient already there (another reader's), in every column layout
            Memory summed = Memory.allocate(x.length);
            summed.floats().put(0, x);
            Workers.shared().run(1, (worker, n, first, rows) -> {
                if (worker.index() == 0) {
                    Convolution.backward(g, in, 0, images, gradient, 0, weights, 0, null, 0, summed, 0, true, worker);
                }
            });
            float[] wantSum = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                wantSum[i] = x[i] + wantDx[i];
            }
            assertClose(g + " input gradient added in", wantSum, summed.toArray());
        }
    }

    /** out = conv(x, w); dW = sum delta x; dX = sum delta w: channels last, straight from the definition. */
    private static void direct(ConvGeometry g, int images, float[] x, float[] w, float[] delta, float[] out,
                               float[] dw, float[] dx) {
        int c = g.channels();
        for (int b = 0; b < images; b++) {
            for (int oy = 0; oy < g.outHeight(); oy++) {
                for (int ox = 0; ox < g.outWidth(); ox++) {
                    for (int f = 0; f < g.filters(); f++) {
                        int o = b * g.outputSize() + (oy * g.gridWidth() + ox) * g.filters() + f;
                        for (int ky = 0; ky < g.kernel(); ky++) {
                            for (int kx = 0; kx < g.kernel(); kx++) {
                                int iy = oy * g.stride() - g.padding() + ky * g.dilation();
                                int ix = ox * g.stride() - g.padding() + kx * g.dilation();
                                if (iy < 0 || iy >= g.height() || ix < 0 || ix >= g.width()) {
                                    continue;
                                }
                                for (int ch = 0; ch < c; ch++) {
                                    int xi = b * g.inputSize() + (iy * g.width() + ix) * c + ch;
                                    int wi = f * g.fieldSize() + (ky * g.kernel() + kx) * c + ch;
                                    out[o] += x[xi] * w[wi];
                                    dw[wi] += delta[o] * x[xi];
                                    dx[xi] += delta[o] * w[wi];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** Which output floats are part of the result: all but the positions past {@code outWidth} of wide rows. */
    private static boolean[] resultPositions(ConvGeometry g, int images) {
        boolean[] result = new boolean[images * g.outputSize()];
        for (int i = 0; i < result.length; i++) {
            int position = i / g.filters() % g.positions();
            result[i] = position % g.gridWidth() < g.outWidth();
        }
        return result;
    }

    private static void assertClose(String what, float[] want, float[] got) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-4 * (1 + Math.abs(want[i])), what + " at " + i);
        }
    }

    private static float[] random(int size, Rng rng) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) rng.nextGaussian();
        }
        return values;
    }

    private static Memory memory(float[] values) {
        Memory m = Memory.allocate(values.length);
        m.floats().put(0, values);
        return m;
    }
}
