package dev.lamina.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.runtime.Memory;
import dev.lamina.runtime.Rng;
import org.junit.jupiter.api.Test;

/** Max pooling (the unrolled 2x2 path and the general one) against the definition, winners included. */
class PoolingTest {

    @Test
    void maxPoolingPicksTheFirstLargestOfEachWindow() {
        int[][] cases = {{2, 2}, {2, 1}, {3, 2}, {3, 3}};
        for (int[] kernelStride : cases) {
            int k = kernelStride[0];
            int stride = kernelStride[1];
            int n = 2, h = 7, w = 6, c = 3;
            int oh = (h - k) / stride + 1;
            int ow = (w - k) / stride + 1;
            Rng rng = new Rng(k * 10 + stride);
            Memory in = Memory.allocate(n * h * w * c);
            for (int i = 0; i < in.size(); i++) {
                // few distinct values, so that ties happen and the first maximum must win
                in.floats().put(i, rng.nextInt(5));
            }
            Memory out = Memory.allocate(n * oh * ow * c);
            int[] argmax = new int[n * oh * ow * c];
            Pooling.maxForward(in.floats(), 0, n, h, w, c, k, stride, oh, ow, out.floats(), 0, argmax, 0);
            for (int b = 0; b < n; b++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        for (int ch = 0; ch < c; ch++) {
                            float best = Float.NEGATIVE_INFINITY;
                            int at = -1;
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int i = ((b * h + oy * stride + ky) * w + ox * stride + kx) * c + ch;
                                    if (in.floats().get(i) > best) {
                                        best = in.floats().get(i);
                                        at = i;
                                    }
                                }
                            }
                            int o = ((b * oh + oy) * ow + ox) * c + ch;
                            String where = "k=" + k + " stride=" + stride + " output " + o;
                            assertEquals(best, out.floats().get(o), where);
                            assertEquals(at, argmax[o], where);
                        }
                    }
                }
            }
        }
    }
}
