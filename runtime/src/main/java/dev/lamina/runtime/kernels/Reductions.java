package dev.lamina.runtime.kernels;

import java.nio.FloatBuffer;

/** Small reductions the generated backward passes share. */
public final class Reductions {
    private static final int BLOCK_FLOATS = 4096;

    private Reductions() {
    }

    /** {@code out[j] += sum_i m[i][j]} over a row-major {@code rows x cols} block: a bias gradient. */
    public static void columnSums(FloatBuffer m, int off, int rows, int cols, FloatBuffer out, int outOff) {
        float[] sums = Scratch.get(2, cols);
        java.util.Arrays.fill(sums, 0, cols, 0f);
        // a block of rows at a time, bulk-copied to the heap where the loop compiles well
        int block = Math.max(1, BLOCK_FLOATS / cols);
        float[] values = Scratch.get(0, block * cols);
        for (int first = 0; first < rows; first += block) {
            int count = Math.min(block, rows - first);
            m.get(off + first * cols, values, 0, count * cols);
            for (int i = 0, at = 0; i < count; i++, at += cols) {
                for (int j = 0; j < cols; j++) {
                    sums[j] += values[at + j];
                }
            }
        }
        for (int j = 0; j < cols; j++) {
            out.put(outOff + j, out.get(outOff + j) + sums[j]);
        }
    }
}
