package dev.lamina.runtime;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A layer's output for the rows of one forward pass, read in place from the model's arena: nothing is copied until
 * {@link #copy()}. Values are indexed as inputs are given (channels first, like PyTorch): for an image
 * {@code [channels, height, width]}, {@code index = c * h * w + y * w + x}, which the arena stores channels last at
 * {@code (y * w + x) * channels + c}; a vector as stored; a sequence {@code [steps, features]} step-major as stored
 * ({@code index = step * features + f}). Taken by {@link Layer#output()}; every read checks that no forward pass
 * has run since (the arena's regions are laid out per batch: region {@code R} of a pass over {@code n} rows starts
 * at {@code R * n}, row {@code r} at {@code + r * size}), and throws {@link IllegalStateException} otherwise.
 */
public final class LayerOutput {
    private final NetworkState state;
    private final Layer layer;
    private final Memory arena;
    private final int base;
    private final int size;
    private final int rows;
    private final long forward;
    private final int[] shape;
    /** Channels of a multi-channel image (storage permuted), else 0 (storage order is the order given). */
    private final int channels;
    private final int spatial;

    LayerOutput(NetworkState state, Layer layer, Memory arena, int region, int size, int rows, long forward) {
        this.state = state;
        this.layer = layer;
        this.arena = arena;
        this.base = Math.multiplyExact(region, rows);
        this.size = size;
        this.rows = rows;
        this.forward = forward;
        this.shape = layer.outputShape();
        boolean image = shape.length == 3 && shape[0] > 1;
        this.channels = image ? shape[0] : 0;
        this.spatial = image ? shape[1] * shape[2] : 0;
    }

    /** {@return the layer whose output this is} */
    public Layer layer() {
        return layer;
    }

    /** {@return rows of the forward pass this view shows} */
    public int rows() {
        return rows;
    }

    /**
     * {@return one row's shape, as {@link Layer#outputShape()}: {@code {features}}, {@code {c, h, w}} or {@code {steps,
     * f}}}
     */
    public int[] shape() {
        return shape.clone();
    }

    /** {@return values per row} */
    public int size() {
        return size;
    }

    /**
     * Value {@code index} (channels first) of row {@code row}.
     *
     * @param row the row of the forward pass, from 0
     * @param index the value's index within the row, channels first
     * @return the value
     */
    public float get(int row, int index) {
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException("row " + row + " of layer '" + layer.name() + "''s output, which has "
                    + rows + " rows");
        }
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " of layer '" + layer.name() + "''s output "
                    + Arrays.toString(shape) + ", which has " + size + " values per row");
        }
        state.checkOutput(layer, forward);
        return arena.floats().get(base + row * size + stored(index));
    }

    /** {@return every row, channels first, one row after another ({@code rows() * size()} floats)} */
    public float[] copy() {
        state.checkOutput(layer, forward);
        FloatBuffer a = arena.floats();
        float[] out = new float[Math.multiplyExact(rows, size)];
        if (channels == 0) {
            a.get(base, out, 0, out.length);
            return out;
        }
        for (int r = 0; r < rows; r++) {
            int from = base + r * size;
            int to = r * size;
            for (int p = 0; p < spatial; p++) {
                for (int c = 0; c < channels; c++) {
                    out[to + c * spatial + p] = a.get(from + p * channels + c);
                }
            }
        }
        return out;
    }

    /** Where value {@code index} (channels first) lies in a row as stored (channels last). */
    private int stored(int index) {
        if (channels == 0) {
            return index;
        }
        int c = index / spatial;
        int p = index - c * spatial;
        return p * channels + c;
    }

    @Override
    public String toString() {
        return layer.name() + " output: " + rows + " rows of " + Arrays.toString(shape);
    }
}
