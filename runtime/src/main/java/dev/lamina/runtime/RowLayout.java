package dev.lamina.runtime;

import java.nio.FloatBuffer;

/**
 * How one row of values of a given shape lies in the arena: a multi-channel image {@code [c, h, w]} channels last,
 * at {@code (y * w + x) * c + channel}; anything else (vectors, sequences {@code [steps, features]}, one-channel
 * images) in the order given. Callers index channels first, as inputs are given (as PyTorch does).
 */
final class RowLayout {
    private final int size;
    /** Channels of a multi-channel image, else 0: storage order is the order given. */
    private final int channels;
    private final int spatial;

    private RowLayout(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n = Math.multiplyExact(n, d);
        }
        this.size = n;
        boolean image = shape.length == 3 && shape[0] > 1;
        this.channels = image ? shape[0] : 0;
        this.spatial = image ? shape[1] * shape[2] : 0;
    }

    static RowLayout of(int[] shape) {
        return new RowLayout(shape);
    }

    /** Values per row. */
    int size() {
        return size;
    }

    /** Where value {@code index} (channels first) lies in a row as stored. */
    int stored(int index) {
        if (channels == 0) {
            return index;
        }
        int c = index / spatial;
        return (index - c * spatial) * channels + c;
    }

    /** Adds one row given channels first, {@code from[offset, offset + size())}, into the stored row at {@code at}. */
    void addInto(float[] from, int offset, FloatBuffer to, int at) {
        for (int i = 0; i < size; i++) {
            int k = at + stored(i);
            to.put(k, to.get(k) + from[offset + i]);
        }
    }

    /** Copies the stored row at {@code at} into {@code to[offset, offset + size())}, channels first. */
    void copyOut(FloatBuffer from, int at, float[] to, int offset) {
        for (int i = 0; i < size; i++) {
            to[offset + i] = from.get(at + stored(i));
        }
    }
}
