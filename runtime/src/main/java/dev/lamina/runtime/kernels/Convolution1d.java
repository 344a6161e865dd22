package dev.lamina.runtime.kernels;

import dev.lamina.runtime.Blas;
import dev.lamina.runtime.Memory;
import dev.lamina.runtime.Worker;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A 1D convolution along the steps of sequences {@code [steps, features]} (step-major), as im2col + GEMM a chunk
 * of sequences at a time in the worker's scratch. An output step's receptive field is {@code kernel} consecutive
 * input steps, which lie next to each other, so without dilation each column row is one copy.
 */
public final class Convolution1d {
    private Convolution1d() {
    }

    /** The sizes of one 1D convolution, baked into the generated code. */
    public record Geometry(int steps, int features, int kernel, int stride, int padding, int dilation,
                           int outSteps, int filters) {
        int field() {
            return kernel * features;
        }

        int columnsPerSequence() {
            return outSteps * field();
        }

        int chunk() {
            return Math.max(1, Convolution.CHUNK_FLOATS / columnsPerSequence());
        }
    }

    /** {@code out = conv(in, w)} for {@code count} sequences, before bias and activation. */
    public static void forward(Geometry g, Memory in, int inOff, int count, Memory w, int wOff, Memory out,
                               int outOff, Worker worker) {
        int chunk = g.chunk();
        Memory columns = worker.scratch(0, chunk * g.columnsPerSequence());
        for (int b = 0; b < count; b += chunk) {
            int n = Math.min(chunk, count - b);
            unfold(g, in.floats(), inOff + b * g.steps() * g.features(), n, columns.floats());
            Blas.forward(n * g.outSteps(), g.filters(), g.field(), columns, 0, w, wOff, out,
                    outOff + b * g.outSteps() * g.filters());
        }
    }

    /** Adds the weight gradient to {@code dw} and, when {@code dx} is not null, writes the input's gradient. */
    public static void backward(Geometry g, Memory in, int inOff, int count, Memory delta, int deltaOff, Memory w,
                                int wOff, Memory dw, int dwOff, Memory dx, int dxOff, Worker worker) {
        int chunk = g.chunk();
        Memory columns = worker.scratch(0, chunk * g.columnsPerSequence());
        Memory columnGradient = dx == null ? null : worker.scratch(1, chunk * g.columnsPerSequence());
        for (int b = 0; b < count; b += chunk) {
            int n = Math.min(chunk, count - b);
            int rows = n * g.outSteps();
            int d = deltaOff + b * g.outSteps() * g.filters();
            unfold(g, in.floats(), inOff + b * g.steps() * g.features(), n, columns.floats());
            Blas.weightGradient(rows, g.filters(), g.field(), delta, d, columns, 0, dw, dwOff);
            if (dx != null) {
                Blas.inputGradient(rows, g.filters(), g.field(), delta, d, w, wOff, columnGradient, 0);
                fold(g, columnGradient.floats(), n, dx.floats(), dxOff + b * g.steps() * g.features());
            }
        }
    }

    /** Row {@code t'} of a sequence's columns: the {@code kernel} input steps it reads, zeros past either end. */
    static void unfold(Geometry g, FloatBuffer in, int inOff, int n, FloatBuffer columns) {
        int f = g.features();
        int sequence = g.steps() * f;
        float[] x = Scratch.get(0, sequence);
        float[] out = Scratch.get(1, g.columnsPerSequence());
        for (int b = 0; b < n; b++) {
            in.get(inOff + b * sequence, x, 0, sequence);
            Arrays.fill(out, 0, g.columnsPerSequence(), 0f);
            for (int t = 0; t < g.outSteps(); t++) {
                int first = t * g.stride() - g.padding();
                for (int k = 0; k < g.kernel(); k++) {
                    int step = first + k * g.dilation();
                    if (step >= 0 && step < g.steps()) {
                        System.arraycopy(x, step * f, out, (t * g.kernel() + k) * f, f);
                    }
                }
            }
            columns.put(b * g.columnsPerSequence(), out, 0, g.columnsPerSequence());
        }
    }

    /** The transpose of {@link #unfold}: each column entry added back to the input it came from. */
    static void fold(Geometry g, FloatBuffer columns, int n, FloatBuffer in, int inOff) {
        int f = g.features();
        int sequence = g.steps() * f;
        float[] x = Scratch.get(0, sequence);
        float[] src = Scratch.get(1, g.columnsPerSequence());
        for (int b = 0; b < n; b++) {
            columns.get(b * g.columnsPerSequence(), src, 0, g.columnsPerSequence());
            Arrays.fill(x, 0, sequence, 0f);
            for (int t = 0; t < g.outSteps(); t++) {
                int first = t * g.stride() - g.padding();
                for (int k = 0; k < g.kernel(); k++) {
                    int step = first + k * g.dilation();
                    if (step >= 0 && step < g.steps()) {
                        int to = step * f;
                        int from = (t * g.kernel() + k) * f;
                        for (int j = 0; j < f; j++) {
                            x[to + j] += src[from + j];
                        }
                    }
                }
            }
            in.put(inOff + b * sequence, x, 0, sequence);
        }
    }
}
