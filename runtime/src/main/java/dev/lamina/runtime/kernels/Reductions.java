package dev.lamina.runtime.kernels;

import java.nio.FloatBuffer;

/** Small reductions the generated backward passes share. */
public final class Reductions {
    private Reductions() {
    }

    /** {@code out[j] += sum_i m[i][j]} over a row-major {@code rows x cols} block: a bias gradient. */
    public static void columnSums(FloatBuffer m, int off, int rows, int cols, FloatBuffer out, int outOff) {
        float[] sums = Scratch.get(2, cols);
        java.util.Arrays.fill(sums, 0, cols, 0f);
        for (int i = 0; i < rows; i++) {
            int base = off + i * cols;
            for (int j = 0; j < cols; j++) {
                sums[j] += m.get(base + j);
            }
        }
        for (int j = 0; j < cols; j++) {
            out.put(outOff + j, out.get(outOff + j) + sums[j]);
        }
    }
}
