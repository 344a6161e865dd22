package dev.lamina.runtime.kernels;

import java.nio.FloatBuffer;

/**
 * Joins channels-last tensors along their last axis: position {@code p} of the output holds each part's
 * {@code channels} values side by side, {@code total} in all. The generated code places every part in turn and,
 * backward, takes each part's slice of the gradient back out; both work a block of positions at a time on the heap.
 */
public final class Concatenation {
    private static final int BLOCK_FLOATS = 4096;

    private Concatenation() {
    }

    /** Writes a part ({@code channels} per position, at {@code from}) into channels {@code [offset, offset + channels)}. */
    public static void place(FloatBuffer a, int from, int positions, int channels, int to, int total, int offset) {
        int block = Math.max(1, BLOCK_FLOATS / total);
        float[] part = Scratch.get(0, block * channels);
        float[] joined = Scratch.get(1, block * total);
        for (int first = 0; first < positions; first += block) {
            int count = Math.min(block, positions - first);
            a.get(to + first * total, joined, 0, count * total);
            a.get(from + first * channels, part, 0, count * channels);
            for (int p = 0; p < count; p++) {
                System.arraycopy(part, p * channels, joined, p * total + offset, channels);
            }
            a.put(to + first * total, joined, 0, count * total);
        }
    }

    /** Reads channels {@code [offset, offset + channels)} of every position of {@code from} into {@code to}. */
    public static void take(FloatBuffer a, int from, int positions, int total, int offset, int channels, int to) {
        int block = Math.max(1, BLOCK_FLOATS / total);
        float[] part = Scratch.get(0, block * channels);
        float[] joined = Scratch.get(1, block * total);
        for (int first = 0; first < positions; first += block) {
            int count = Math.min(block, positions - first);
            a.get(from + first * total, joined, 0, count * total);
            for (int p = 0; p < count; p++) {
                System.arraycopy(joined, p * total + offset, part, p * channels, channels);
            }
            a.put(to + first * channels, part, 0, count * channels);
        }
    }
}
