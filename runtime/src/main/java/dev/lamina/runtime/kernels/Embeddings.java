package dev.lamina.runtime.kernels;

import java.nio.FloatBuffer;

/** Token ids (stored as floats) to rows of an embedding table, and the table's gradient back. */
public final class Embeddings {
    private Embeddings() {
    }

    /** {@code out[i] = table[id[i]]} for {@code count} ids; an id outside {@code [0, tokens)} is an error. */
    public static void forward(FloatBuffer a, int ids, int count, FloatBuffer params, int table, int tokens, int dim,
                               FloatBuffer out, int outOff) {
        float[] row = Scratch.get(0, dim);
        for (int i = 0; i < count; i++) {
            int id = id(a, ids, i, tokens);
            params.get(table + id * dim, row, 0, dim);
            out.put(outOff + i * dim, row, 0, dim);
        }
    }

    /** Adds each position's gradient {@code delta[i]} to its token's row of the table's gradient. */
    public static void backward(FloatBuffer a, int ids, int count, FloatBuffer delta, int deltaOff, FloatBuffer grads,
                                int table, int dim) {
        float[] g = Scratch.get(0, dim);
        float[] sum = Scratch.get(1, dim);
        for (int i = 0; i < count; i++) {
            int id = (int) a.get(ids + i);
            delta.get(deltaOff + i * dim, g, 0, dim);
            grads.get(table + id * dim, sum, 0, dim);
            for (int j = 0; j < dim; j++) {
                sum[j] += g[j];
            }
            grads.put(table + id * dim, sum, 0, dim);
        }
    }

    private static int id(FloatBuffer a, int ids, int i, int tokens) {
        float value = a.get(ids + i);
        int id = (int) value;
        if (id != value || id < 0 || id >= tokens) {
            throw new IllegalArgumentException("token id " + value + " at position " + i + " of the batch is outside"
                    + " the vocabulary [0, " + tokens + ")");
        }
        return id;
    }
}
