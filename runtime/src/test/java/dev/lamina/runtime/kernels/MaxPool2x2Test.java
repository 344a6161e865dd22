package dev.lamina.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.runtime.Memory;
import dev.lamina.runtime.Rng;
import org.junit.jupiter.api.Test;

/** The vectorised 2x2 max pool against the general kernel, and its tie rule. */
class MaxPool2x2Test {

    @Test
    void matchesTheGeneralKernelForwardAndBackward() {
        for (int[] size : new int[][] {{6, 8, 3}, {7, 5, 16}, {28, 28, 6}}) {
            int n = 3, h = size[0], w = size[1], c = size[2];
            int oh = h / 2, ow = w / 2;
            Rng rng = new Rng(h * 100 + w);
            Memory in = gaussian(n * h * w * c, rng);
            Memory dOut = gaussian(n * oh * ow * c, rng);

            Memory expected = Memory.allocate(n * oh * ow * c);
            int[] argmax = new int[n * oh * ow * c];
            Pooling.maxForward(in.floats(), 0, n, h, w, c, 2, 2, oh, ow, expected.floats(), 0, argmax, 0);
            Memory expectedGrad = Memory.allocate(n * h * w * c);
            Pooling.maxBackward(dOut.floats(), 0, n * oh * ow * c, argmax, 0, expectedGrad.floats(), 0, n * h * w * c);

            Memory out = Memory.allocate(n * oh * ow * c);
            MaxPool2x2.forward(in.floats(), 0, n, h, w, c, out.floats(), 0);
            Memory grad = gaussian(n * h * w * c, rng); // stale values that must all be overwritten
            MaxPool2x2.backward(in.floats(), 0, dOut.floats(), 0, n, h, w, c, grad.floats(), 0);
            String shape = h + "x" + w + "x" + c;
            assertEquals(expected.floats(), out.floats(), shape + " forward");
            assertEquals(expectedGrad.floats(), grad.floats(), shape + " backward");

            // in place: the gradient replaces the values it was computed from
            MaxPool2x2.backward(in.floats(), 0, dOut.floats(), 0, n, h, w, c, in.floats(), 0);
            assertEquals(expectedGrad.floats(), in.floats(), shape + " backward in place");
        }
    }

    @Test
    void rowsWiderThanTheImageAreReadAsTheImageAndGetNoGradient() {
        int n = 2, h = 6, w = 4, c = 3, rowLength = 7 * c;
        Rng rng = new Rng(5);
        Memory compact = gaussian(n * h * w * c, rng);
        Memory wide = Memory.allocate(n * h * rowLength);
        for (int i = 0; i < wide.size(); i++) {
            wide.floats().put(i, 100f); // larger than anything real: must never win
        }
        for (int row = 0; row < n * h; row++) {
            for (int j = 0; j < w * c; j++) {
                wide.floats().put(row * rowLength + j, compact.floats().get(row * w * c + j));
            }
        }
        Memory dOut = gaussian(n * (h / 2) * (w / 2) * c, rng);
        Memory want = Memory.allocate(dOut.size());
        Memory got = Memory.allocate(dOut.size());
        MaxPool2x2.forward(compact.floats(), 0, n, h, w, c, want.floats(), 0);
        MaxPool2x2.forward(wide.floats(), 0, n, h, w, c, rowLength, got.floats(), 0);
        assertEquals(want.floats(), got.floats());

        Memory wantGrad = Memory.allocate(compact.size());
        MaxPool2x2.backward(compact.floats(), 0, dOut.floats(), 0, n, h, w, c, wantGrad.floats(), 0);
        MaxPool2x2.backward(wide.floats(), 0, dOut.floats(), 0, n, h, w, c, rowLength, wide.floats(), 0);
        for (int row = 0; row < n * h; row++) {
            for (int j = 0; j < rowLength; j++) {
                float expected = j < w * c ? wantGrad.floats().get(row * w * c + j) : 0f;
                assertEquals(expected, wide.floats().get(row * rowLength + j), "row " + row + " float " + j);
            }
        }
    }

    @Test
    void tiesGiveTheWholeGradientToOneInput() {
        int h = 4, w = 4, c = 2;
        Memory in = Memory.allocate(h * w * c); // all zeros: every window is a four-way tie
        Memory dOut = Memory.allocate(2 * 2 * c);
        for (int i = 0; i < dOut.size(); i++) {
            dOut.floats().put(i, i + 1);
        }
        Memory grad = Memory.allocate(h * w * c);
        MaxPool2x2.backward(in.floats(), 0, dOut.floats(), 0, 1, h, w, c, grad.floats(), 0);
        for (int oy = 0; oy < 2; oy++) {
            for (int ox = 0; ox < 2; ox++) {
                for (int ch = 0; ch < c; ch++) {
                    float g = dOut.floats().get((oy * 2 + ox) * c + ch);
                    int topLeft = ((2 * oy) * w + 2 * ox) * c + ch;
                    assertEquals(g, grad.floats().get(topLeft), "the top-left input wins a tie");
                    assertEquals(0f, grad.floats().get(topLeft + c));
                    assertEquals(0f, grad.floats().get(topLeft + w * c));
                    assertEquals(0f, grad.floats().get(topLeft + w * c + c));
                }
            }
        }
    }

    @Test
    void winnerIsExactForNeighbouringFloats() {
        assertEquals(1f, MaxPool2x2.winner(3f, 3f));
        assertEquals(0f, MaxPool2x2.winner(Math.nextDown(3f), 3f));
        assertEquals(0f, MaxPool2x2.winner(0f, Float.MIN_VALUE));
        assertEquals(1f, MaxPool2x2.winner(-0f, 0f), "zeros of either sign are equal");
        assertEquals(0f, MaxPool2x2.winner(-Float.MAX_VALUE, Float.MAX_VALUE));
    }

    private static Memory gaussian(int count, Rng rng) {
        Memory m = Memory.allocate(count);
        for (int i = 0; i < count; i++) {
            m.floats().put(i, (float) rng.nextGaussian());
        }
        return m;
    }
}
