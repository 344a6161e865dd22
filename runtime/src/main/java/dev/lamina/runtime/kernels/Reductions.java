package dev.lamina.runtime.kernels;

import java.nio.FloatBuffer;

/** Small reductions and elementwise passes the generated code shares, a block at a time on the heap. */
public final class Reductions {
    private static final int BLOCK_FLOATS = 4096;

    private Reductions() {
    }

    /** {@code out[j] += sum_i m[i][j]} over a row-major {@code rows x cols} block: a bias gradient. */
    public static void columnSums(FloatBuffer m, int off, int rows, int cols, FloatBuffer out, int outOff) {
        // whole rows a block at a time, bulk-copied to the heap and added into a row-tiled accumulator over one
        // flat index (a loop the JIT vectorises), then folded into one sum per column
        int block = Math.max(1, BLOCK_FLOATS / cols);
        float[] values = Scratch.get(0, block * cols);
        float[] tiled = Scratch.get(1, block * cols);
        java.util.Arrays.fill(tiled, 0, block * cols, 0f);
        for (int first = 0; first < rows; first += block) {
            int length = Math.min(block, rows - first) * cols;
            m.get(off + first * cols, values, 0, length);
            addInto(tiled, values, length);
        }
        float[] sums = Scratch.get(2, cols);
        java.util.Arrays.fill(sums, 0, cols, 0f);
        for (int i = 0, at = 0; i < block; i++, at += cols) {
            for (int j = 0; j < cols; j++) {
                sums[j] += tiled[at + j];
            }
        }
        for (int j = 0; j < cols; j++) {
            out.put(outOff + j, out.get(outOff + j) + sums[j]);
        }
    }

    /** {@code to[i] = from[i]} for {@code count} floats of one buffer (regions must not overlap). */
    public static void copy(FloatBuffer m, int from, int to, int count) {
        m.put(to, m, from, count);
    }

    /** {@code to[i] += from[i]} for {@code count} floats of one buffer: a gradient's second contribution. */
    public static void accumulate(FloatBuffer m, int from, int to, int count) {
        float[] values = Scratch.get(0, Math.min(count, BLOCK_FLOATS));
        float[] sums = Scratch.get(1, Math.min(count, BLOCK_FLOATS));
        for (int i = 0; i < count; i += BLOCK_FLOATS) {
            int length = Math.min(BLOCK_FLOATS, count - i);
            m.get(from + i, values, 0, length);
            m.get(to + i, sums, 0, length);
            addInto(sums, values, length);
            m.put(to + i, sums, 0, length);
        }
    }

    /**
     * {@code sums[i] += values[i]}: a loop of its own, which C2 vectorises (inline in a larger method it may not);
     * one index for both arrays, the form it needs.
     */
    static void addInto(float[] sums, float[] values, int length) {
        for (int i = 0; i < length; i++) {
            sums[i] += values[i];
        }
    }
}
