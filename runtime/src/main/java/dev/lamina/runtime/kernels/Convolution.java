package dev.lamina.runtime.kernels;

import dev.lamina.runtime.Blas;
import dev.lamina.runtime.Memory;
import dev.lamina.runtime.Worker;

/**
 * 2D convolution as im2col + GEMM over a worker's slice of the batch, a few images at a time. The columns of a
 * chunk live in the worker's own scratch and are sized to stay in its core's cache, so each GEMM reads them from
 * cache right after im2col wrote them; the backward pass unfolds each chunk again rather than keeping every
 * image's columns (five to twenty times the image) in the arena.
 */
public final class Convolution {
    /** Target size of one chunk's columns, in floats: 256 KiB, well inside a core's L2. */
    static final int CHUNK_FLOATS = 64 * 1024;

    private Convolution() {
    }

    /** Images per chunk for this geometry (at least one). */
    static int chunk(ConvGeometry g) {
        return Math.max(1, CHUNK_FLOATS / (g.positions() * g.fieldSize()));
    }

    /**
     * {@code out = conv(in, w)} for {@code images} images, before bias and activation (the generated epilogue
     * adds those).
     */
    public static void forward(ConvGeometry g, Memory in, int inOff, int images, Memory w, int wOff, Memory out,
                               int outOff, Worker worker) {
        int f = g.filters();
        int field = g.fieldSize();
        if (!g.needsColumns()) {
            Blas.forward(images * g.positions(), f, field, in, inOff, w, wOff, out, outOff);
            return;
        }
        if (Im2col.prefersKernelRows(g)) {
            if (Im2col.prefersTaps(g)) {
                forwardByTaps(g, in, inOff, images, transposed(g, w, wOff, worker), out, outOff, false, worker);
            } else {
                forwardByKernelRows(g, in, inOff, images, transposed(g, w, wOff, worker), out, outOff, false, worker);
            }
            return;
        }
        int chunk = chunk(g);
        Memory columns = worker.scratch(0, chunk * g.positions() * field);
        boolean fieldMajor = g.wide() || Im2col.prefersFieldMajor(g);
        Memory wt = fieldMajor ? null : transposed(g, w, wOff, worker);
        for (int b = 0; b < images; b += chunk) {
            int count = Math.min(chunk, images - b);
            int rows = count * g.positions();
            int o = outOff + b * g.outputSize();
            if (fieldMajor) {
                // out[rows x f] = (cols^T)^T W^T, reading the field-major columns transposed
                unfoldFieldMajor(g, in, inOff + b * g.inputSize(), count, columns, rows);
                Blas.gemm(true, true, rows, f, field, 1f, columns, 0, rows, w, wOff, field, 0f, out, o, f);
            } else {
                Im2col.unfold(in.floats(), inOff + b * g.inputSize(), count, g, columns.floats(), 0);
                Blas.gemm(false, false, rows, f, field, 1f, columns, 0, field, wt, 0, f, 0f, out, o, f);
            }
        }
    }

    /**
     * The gradient with respect to the input alone, {@code dx = conv^T(delta, w)}: a transposed convolution's
     * forward pass ({@code in} is not read).
     */
    public static void dataGradient(ConvGeometry g, int images, Memory delta, int deltaOff, Memory w, int wOff,
                                    Memory dx, int dxOff, Worker worker) {
        backward(g, null, 0, images, delta, deltaOff, w, wOff, null, 0, dx, dxOff, false, worker);
    }

    /**
     * Adds the weight gradient of {@code images} images to {@code dw} when it is not null, and, when {@code dx} is
     * not null, writes the gradient with respect to the input to {@code dx}. {@code delta} is the gradient at the convolution's
     * output (after the activation's derivative).
     */
    public static void backward(ConvGeometry g, Memory in, int inOff, int images, Memory delta, int deltaOff,
                                Memory w, int wOff, Memory dw, int dwOff, Memory dx, int dxOff, Worker worker) {
        backward(g, in, inOff, images, delta, deltaOff, w, wOff, dw, dwOff, dx, dxOff, false, worker);
    }

    /**
     * {@link #backward}; with {@code accumulate} the input gradient is added to what {@code dx} holds (the
     * gradient another reader of the input already wrote) instead of replacing it, saving a pass of its own.
     */
    public static void backward(ConvGeometry g, Memory in, int inOff, int images, Memory delta, int deltaOff,
                                Memory w, int wOff, Memory dw, int dwOff, Memory dx, int dxOff, boolean accumulate,
                                Worker worker) {
        int f = g.filters();
        int field = g.fieldSize();
        if (!g.needsColumns()) {
            if (dw != null) {
                Blas.weightGradient(images * g.positions(), f, field, delta, deltaOff, in, inOff, dw, dwOff);
            }
            if (dx != null) {
                Blas.gemm(false, false, images * g.positions(), field, f, 1f, delta, deltaOff, f, w, wOff, field,
                        accumulate ? 1f : 0f, dx, dxOff, field);
            }
            return;
        }
        if (Im2col.prefersKernelRows(g)) {
            backwardByKernelRows(g, in, inOff, images, delta, deltaOff, w, wOff, dw, dwOff, dx, dxOff, accumulate,
                    worker);
            return;
        }
        int chunk = chunk(g);
        Memory columns = worker.scratch(0, chunk * g.positions() * field);
        Memory columnGradient = dx == null ? null : worker.scratch(1, chunk * g.positions() * field);
        boolean fieldMajor = g.wide() || Im2col.prefersFieldMajor(g);
        for (int b = 0; b < images; b += chunk) {
            int count = Math.min(chunk, images - b);
            int rows = count * g.positions();
            int d = deltaOff + b * g.outputSize();
            int x = inOff + b * g.inputSize();
            if (fieldMajor) {
                // dW[f x field] += delta^T (cols^T)^T; dCols^T[field x rows] = W^T delta^T
                if (dw != null) {
                    unfoldFieldMajor(g, in, x, count, columns, rows);
                    Blas.gemm(true, true, f, field, rows, 1f, delta, d, f, columns, 0, rows, 1f, dw, dwOff, field);
                }
                if (dx != null) {
                    Blas.gemm(true, true, field, rows, f, 1f, w, wOff, field, delta, d, f, 0f, columnGradient, 0,
                            rows);
                    if (g.wide()) {
                        Im2col.foldWide(columnGradient.floats(), 0, rows, count, g, dx.floats(),
                                dxOff + b * g.inputSize(), accumulate);
                    } else {
                        Im2col.foldFieldMajor(columnGradient.floats(), 0, rows, count, g, dx.floats(),
                                dxOff + b * g.inputSize(), accumulate);
                    }
                }
            } else {
                if (dw != null) {
                    Im2col.unfold(in.floats(), x, count, g, columns.floats(), 0);
                    Blas.weightGradient(rows, f, field, delta, d, columns, 0, dw, dwOff);
                }
                if (dx != null) {
                    Blas.inputGradient(rows, f, field, delta, d, w, wOff, columnGradient, 0);
                    Im2col.fold(columnGradient.floats(), 0, count, g, dx.floats(), dxOff + b * g.inputSize(),
                            accumulate);
                }
            }
        }
    }

    private static void unfoldFieldMajor(ConvGeometry g, Memory in, int inOff, int count, Memory columns, int ld) {
        if (g.wide()) {
            Im2col.unfoldWide(in.floats(), inOff, count, g, columns.floats(), 0, ld);
        } else {
            Im2col.unfoldFieldMajor(in.floats(), inOff, count, g, columns.floats(), 0, ld);
        }
    }

    /** Images per chunk of kernel-row columns (at least one). */
    private static int kernelRowChunk(ConvGeometry g) {
        return Math.max(1, CHUNK_FLOATS / (Im2col.kernelRowCount(g) * g.kernel() * g.channels()));
    }

    /**
     * The weights {@code [filters, field]} transposed to {@code [field, filters]} in the worker's scratch, for the
     * forward GEMMs: OpenBLAS multiplies {@code columns x W^T} with few filters (16 to 64) on its small-matrix
     * kernel when the weights come untransposed, and otherwise packs the whole column block on every call
     * (measured for 784 x 16 x 48: 9.3 us against 13 to 37 us).
     */
    private static Memory transposed(ConvGeometry g, Memory w, int wOff, Worker worker) {
        int f = g.filters();
        int field = g.fieldSize();
        float[] weights = Scratch.get(0, f * field);
        float[] t = Scratch.get(1, f * field);
        w.floats().get(wOff, weights, 0, f * field);
        for (int i = 0; i < f; i++) {
            for (int j = 0; j < field; j++) {
                t[j * f + i] = weights[i * field + j];
            }
        }
        return weightScratch(t, f * field, worker);
    }

    /**
     * For a stride-1 convolution, the convolution whose forward pass is its input gradient: over the output
     * gradient ({@code filters} channels) with padding {@code k - 1 - p}, giving {@code channels} channels of the
     * input's size, with the kernel flipped and its channels swapped ({@link #adjointWeights}).
     */
    static ConvGeometry adjoint(ConvGeometry g) {
        return new ConvGeometry(g.outHeight(), g.outWidth(), g.filters(), g.kernel(), 1,
                g.kernel() - 1 - g.padding(), 1, g.height(), g.width(), g.channels());
    }

    /**
     * The adjoint convolution's weights, already transposed for {@link #forwardByKernelRows}: row
     * {@code (ky' k + kx') filters + f}, column {@code c} holds {@code W[f][k-1-ky'][k-1-kx'][c]}.
     */
    private static Memory adjointWeights(ConvGeometry g, Memory w, int wOff, Worker worker) {
        int f = g.filters();
        int c = g.channels();
        int k = g.kernel();
        int field = g.fieldSize();
        float[] weights = Scratch.get(0, f * field);
        float[] t = Scratch.get(1, f * field);
        w.floats().get(wOff, weights, 0, f * field);
        for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
                int tap = ((k - 1 - ky) * k + (k - 1 - kx)) * c;
                for (int filter = 0; filter < f; filter++) {
                    System.arraycopy(weights, filter * field + tap, t, ((ky * k + kx) * f + filter) * c, c);
                }
            }
        }
        return weightScratch(t, f * field, worker);
    }

    /** {@code floats} floats of {@code t} in the worker's weight scratch (slot 2), for a GEMM to read. */
    private static Memory weightScratch(float[] t, int floats, Worker worker) {
        Memory wt = worker.scratch(2, floats);
        wt.floats().put(0, t, 0, floats);
        return wt;
    }

    /**
     * The forward pass on tap planes ({@link Im2col#unfoldTaps}), for stride 1 without dilation: per image one GEMM
     * per tap, {@code out += planes_kx[from row ky] Wt_(ky,kx)}, each {@code (oh ow) x c} times {@code c x filters}.
     * With as few channels as a small ResNet's, {@code k^2} GEMMs of depth {@code c} cost what {@code k} of depth
     * {@code k c} do, and the planes are bulk copies where kernel rows are one small copy per position.
     */
    private static void forwardByTaps(ConvGeometry g, Memory in, int inOff, int images, Memory wt, Memory out,
                                      int outOff, boolean accumulate, Worker worker) {
        int c = g.channels();
        int f = g.filters();
        int k = g.kernel();
        int perImage = Im2col.tapPlanesSize(g);
        int plane = (g.height() + 2 * g.padding()) * g.outWidth() * c;
        int rowStep = g.outWidth() * c;
        int chunk = Math.max(1, CHUNK_FLOATS / perImage);
        Memory taps = worker.scratch(0, chunk * perImage);
        for (int b = 0; b < images; b += chunk) {
            int count = Math.min(chunk, images - b);
            Im2col.unfoldTaps(in.floats(), inOff + b * g.inputSize(), count, g, taps, 0);
            for (int i = 0; i < count; i++) {
                int o = outOff + (b + i) * g.outputSize();
                for (int ky = 0; ky < k; ky++) {
                    for (int kx = 0; kx < k; kx++) {
                        boolean first = ky == 0 && kx == 0;
                        Blas.gemm(false, false, g.positions(), f, c, 1f, taps, i * perImage + kx * plane + ky * rowStep,
                                c, wt, (ky * k + kx) * c * f, f, first && !accumulate ? 0f : 1f, out, o, f);
                    }
                }
            }
        }
    }

    /**
     * The forward pass on kernel-row columns ({@link Im2col#unfoldRows}): per image, one GEMM per kernel row
     * {@code ky}, {@code out += rows_ky W_ky^T}, where {@code rows_ky} starts {@code ky dilation} input rows
     * into the image's block and {@code W_ky^T} is that kernel row's block of the transposed weights.
     */
    private static void forwardByKernelRows(ConvGeometry g, Memory in, int inOff, int images, Memory wt,
                                            Memory out, int outOff, boolean accumulate, Worker worker) {
        int run = g.kernel() * g.channels();
        int perImage = Im2col.kernelRowCount(g) * run;
        int chunk = kernelRowChunk(g);
        Memory rows = worker.scratch(0, chunk * perImage);
        for (int b = 0; b < images; b += chunk) {
            int count = Math.min(chunk, images - b);
            Im2col.unfoldRows(in.floats(), inOff + b * g.inputSize(), count, g, rows.floats(), 0);
            for (int i = 0; i < count; i++) {
                int o = outOff + (b + i) * g.outputSize();
                for (int ky = 0; ky < g.kernel(); ky++) {
                    Blas.gemm(false, false, g.positions(), g.filters(), run, 1f, rows,
                            i * perImage + kernelRowStart(g, ky), run, wt, ky * run * g.filters(), g.filters(),
                            ky == 0 && !accumulate ? 0f : 1f, out, o, g.filters());
                }
            }
        }
    }

    /**
     * Where kernel row {@code ky}'s columns for the first output start in an image's kernel-row columns: the block
     * of padded row {@code ky dilation} ({@link Im2col#kernelRowBlock}); the other outputs' rows follow it.
     */
    private static int kernelRowStart(ConvGeometry g, int ky) {
        return Im2col.kernelRowBlock(g, ky * g.dilation()) * g.outWidth() * g.kernel() * g.channels();
    }

    /**
     * The backward pass on kernel-row columns: the transpose of each forward GEMM, then one fold. Kernel rows
     * overlap (with stride 2 and a 3x3 kernel, kernel rows 0 and 2 of neighbouring outputs read the same input
     * row), so their gradients accumulate in place.
     */
    private static void backwardByKernelRows(ConvGeometry g, Memory in, int inOff, int images, Memory delta,
                                             int deltaOff, Memory w, int wOff, Memory dw, int dwOff, Memory dx,
                                             int dxOff, boolean accumulate, Worker worker) {
        if (dx != null && g.stride() == 1 && g.dilation() == 1 && g.padding() <= g.kernel() - 1
                && g.channels() >= 16) {
            // the input gradient as the adjoint convolution's forward pass: written straight into dx, no fold. Its
            // GEMMs have one column per input channel; with fewer than 16 (LeNet's 6), they cost more than the
            // fold they save (LeNet trained 40% slower)
            if (dw != null) {
                backwardByKernelRows(g, in, inOff, images, delta, deltaOff, w, wOff, dw, dwOff, null, 0, false,
                        worker);
            }
            ConvGeometry adjoint = adjoint(g);
            Memory weights = adjointWeights(g, w, wOff, worker);
            if (Im2col.prefersTaps(adjoint)) {
                forwardByTaps(adjoint, delta, deltaOff, images, weights, dx, dxOff, accumulate, worker);
            } else {
                forwardByKernelRows(adjoint, delta, deltaOff, images, weights, dx, dxOff, accumulate, worker);
            }
            return;
        }
        int run = g.kernel() * g.channels();
        int perImage = Im2col.kernelRowCount(g) * run;
        int chunk = kernelRowChunk(g);
        Memory rows = worker.scratch(0, chunk * perImage);
        Memory rowGradient = dx == null ? null : worker.scratch(1, chunk * perImage);
        for (int b = 0; b < images; b += chunk) {
            int count = Math.min(chunk, images - b);
            if (dw != null) {
                Im2col.unfoldRows(in.floats(), inOff + b * g.inputSize(), count, g, rows.floats(), 0);
            }
            for (int i = 0; i < count; i++) {
                int d = deltaOff + (b + i) * g.outputSize();
                if (dx != null) {
                    // kernel row 0's GEMM overwrites the block's first rows; only the rows after them start at zero
                    int covered = g.positions() * run;
                    rowGradient.clear(i * perImage + covered, perImage - covered);
                }
                for (int ky = 0; ky < g.kernel(); ky++) {
                    // dW_ky[f x run] += delta^T rows_ky; dRows_ky += delta W_ky (kernel rows overlap: accumulate)
                    int start = i * perImage + kernelRowStart(g, ky);
                    if (dw != null) {
                        Blas.gemm(true, false, g.filters(), run, g.positions(), 1f, delta, d, g.filters(), rows,
                                start, run, 1f, dw, dwOff + ky * run, g.fieldSize());
                    }
                    if (dx != null) {
                        Blas.gemm(false, false, g.positions(), run, g.filters(), 1f, delta, d, g.filters(), w,
                                wOff + ky * run, g.fieldSize(), ky == 0 ? 0f : 1f, rowGradient, start, run);
                    }
                }
            }
            if (dx != null) {
                Im2col.foldRows(rowGradient.floats(), 0, count, g, dx.floats(), dxOff + b * g.inputSize(),
                        accumulate);
            }
        }
    }
}
