package dev.lamina.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.runtime.Memory;
import dev.lamina.runtime.Rng;
import org.junit.jupiter.api.Test;

/** Max-unpooling by an overlapping pool's winners: each value placed once, and a backward pass that is its adjoint. */
class UnpoolingTest {

    @Test
    void aWinnerOfSeveralWindowsGetsOneValueTheLastWindowsAndTheBackwardPassIsTheAdjoint() {
        int[][] cases = {{3, 1}, {3, 2}, {2, 1}, {2, 2}};
        for (int[] kernelStride : cases) {
            int k = kernelStride[0];
            int stride = kernelStride[1];
            int n = 2, h = 6, w = 5, c = 2;
            int oh = (h - k) / stride + 1;
            int ow = (w - k) / stride + 1;
            int inputs = n * h * w * c;
            int outputs = n * oh * ow * c;
            Rng rng = new Rng(k * 10 + stride);
            Memory image = Memory.allocate(inputs);
            for (int i = 0; i < inputs; i++) {
                image.floats().put(i, rng.nextInt(4)); // ties and shared winners
            }
            Memory pooled = Memory.allocate(outputs);
            int[] argmax = new int[outputs];
            Pooling.maxForward(image.floats(), 0, n, h, w, c, k, stride, oh, ow, pooled.floats(), 0, argmax, 0);

            Memory values = random(outputs, rng);
            Memory placed = Memory.allocate(inputs);
            Pooling.unpool(values.floats(), 0, outputs, argmax, 0, placed.floats(), 0, inputs);
            float[] expected = new float[inputs];
            for (int o = 0; o < outputs; o++) {
                expected[argmax[o]] = values.floats().get(o); // in raster order: the last window's value stays
            }
            for (int i = 0; i < inputs; i++) {
                assertEquals(expected[i], placed.floats().get(i), "k " + k + " stride " + stride + " input " + i);
            }

            // <unpool(v), g> == <v, unpoolBackward(g)> for any v and g
            Memory g = random(inputs, rng);
            Memory back = Memory.allocate(outputs);
            Pooling.unpoolBackward(g.floats(), 0, argmax, 0, outputs, back.floats(), 0, inputs);
            double left = 0;
            for (int i = 0; i < inputs; i++) {
                left += (double) placed.floats().get(i) * g.floats().get(i);
            }
            double right = 0;
            for (int o = 0; o < outputs; o++) {
                right += (double) values.floats().get(o) * back.floats().get(o);
            }
            assertEquals(left, right, 1e-9 * Math.max(1, Math.abs(left)), "k " + k + " stride " + stride);
        }
    }

    private static Memory random(int count, Rng rng) {
        Memory m = Memory.allocate(count);
        for (int i = 0; i < count; i++) {
            m.floats().put(i, (float) rng.nextGaussian());
        }
        return m;
    }
}
