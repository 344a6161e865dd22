package dev.lamina.runtime.kernels;

import dev.lamina.runtime.Memory;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Unfolds channels-last images into the column matrix of a convolution GEMM and folds gradients back, in one of
 * two layouts:
 * <ul>
 *   <li>position-major ({@link #unfold}): row {@code (b, oy, ox)} holds the receptive field in {@code (ky, kx, c)}
 *       order, so {@code out[rows x filters] = cols W^T}. Each kernel row of a field is {@code k c} floats that
 *       are contiguous in the image, so the copies are long when there are channels to copy;</li>
 *   <li>field-major ({@link #unfoldFieldMajor}), the transpose: row {@code (ky, kx)} holds that tap's input for
 *       every output position. For one-channel images with stride 1 (a network's first layer) each output row is
 *       then one contiguous run of the image, where the position-major layout would copy one float at a time.</li>
 * </ul>
 * Both work one image at a time in heap scratch arrays (see {@link Scratch}) and bulk-copy to and from the
 * off-heap columns.
 */
public final class Im2col {
    /** Per thread, one padded input row per kernel tap, for {@link #foldRowsByTaps}. */
    private static final ThreadLocal<float[][]> TAP_ROWS = ThreadLocal.withInitial(() -> new float[1][0]);
    private Im2col() {
    }

    /** Field-major columns suit one-channel, stride-1 convolutions. */
    public static boolean prefersFieldMajor(ConvGeometry g) {
        return g.channels() == 1 && g.stride() == 1;
    }

    /** Unfolds {@code n} images starting at {@code inOff} into {@code n * positions} rows at {@code colsOff}. */
    public static void unfold(FloatBuffer in, int inOff, int n, ConvGeometry g, FloatBuffer cols, int colsOff) {
        int run = g.kernel() * g.channels();
        int colsPerImage = g.positions() * g.fieldSize();
        float[] image = Scratch.get(0, g.inputSize());
        float[] out = Scratch.get(1, colsPerImage);
        for (int b = 0; b < n; b++) {
            in.get(inOff + b * g.inputSize(), image, 0, g.inputSize());
            int dst = 0;
            for (int oy = 0; oy < g.outHeight(); oy++) {
                for (int ox = 0; ox < g.outWidth(); ox++) {
                    int x0 = ox * g.stride() - g.padding();
                    for (int ky = 0; ky < g.kernel(); ky++, dst += run) {
                        copyKernelRow(image, g, oy * g.stride() - g.padding() + ky * g.dilation(), x0, out, dst);
                    }
                }
            }
            cols.put(colsOff + b * colsPerImage, out, 0, colsPerImage);
        }
    }

    /** The transpose of {@link #unfold}: sums every column entry back into the input position it came from. */
    public static void fold(FloatBuffer cols, int colsOff, int n, ConvGeometry g, FloatBuffer in, int inOff) {
        fold(cols, colsOff, n, g, in, inOff, false);
    }

    /** {@link #fold}, adding to what {@code in} holds when {@code accumulate}. */
    public static void fold(FloatBuffer cols, int colsOff, int n, ConvGeometry g, FloatBuffer in, int inOff,
                            boolean accumulate) {
        int run = g.kernel() * g.channels();
        int colsPerImage = g.positions() * g.fieldSize();
        float[] image = Scratch.get(0, g.inputSize());
        float[] src = Scratch.get(1, colsPerImage);
        for (int b = 0; b < n; b++) {
            cols.get(colsOff + b * colsPerImage, src, 0, colsPerImage);
            Arrays.fill(image, 0, g.inputSize(), 0f);
            int at = 0;
            for (int oy = 0; oy < g.outHeight(); oy++) {
                for (int ox = 0; ox < g.outWidth(); ox++) {
                    int x0 = ox * g.stride() - g.padding();
                    for (int ky = 0; ky < g.kernel(); ky++, at += run) {
                        addKernelRow(src, at, g, oy * g.stride() - g.padding() + ky * g.dilation(), x0, image);
                    }
                }
            }
            store(in, inOff + b * g.inputSize(), image, 0, g.inputSize(), accumulate);
        }
    }

    /**
     * Unfolds {@code n} one-channel images into field-major columns: tap {@code t}'s row starts at
     * {@code colsOff + t * ld}, image {@code b}'s positions at {@code b * positions} within it ({@code ld >= n *
     * positions}).
     */
    public static void unfoldFieldMajor(FloatBuffer in, int inOff, int n, ConvGeometry g, FloatBuffer cols,
                                        int colsOff, int ld) {
        requireFieldMajor(g);
        int k = g.kernel();
        int ow = g.outWidth();
        int positions = g.positions();
        float[] image = Scratch.get(0, g.inputSize());
        float[] row = Scratch.get(1, positions);
        for (int b = 0; b < n; b++) {
            in.get(inOff + b * g.inputSize(), image, 0, g.inputSize());
            for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++) {
                    int dx = kx * g.dilation() - g.padding();
                    int ox0 = Math.max(0, -dx);
                    int ox1 = Math.max(ox0, Math.min(ow, g.width() - dx));
                    for (int oy = 0; oy < g.outHeight(); oy++) {
                        int iy = oy - g.padding() + ky * g.dilation();
                        int dst = oy * ow;
                        if (iy < 0 || iy >= g.height()) {
                            Arrays.fill(row, dst, dst + ow, 0f);
                            continue;
                        }
                        for (int ox = 0; ox < ox0; ox++) {
                            row[dst + ox] = 0f;
                        }
                        System.arraycopy(image, iy * g.width() + ox0 + dx, row, dst + ox0, ox1 - ox0);
                        for (int ox = ox1; ox < ow; ox++) {
                            row[dst + ox] = 0f;
                        }
                    }
                    cols.put(colsOff + (ky * k + kx) * ld + b * positions, row, 0, positions);
                }
            }
        }
    }

    /** The transpose of {@link #unfoldFieldMajor}. */
    public static void foldFieldMajor(FloatBuffer cols, int colsOff, int ld, int n, ConvGeometry g, FloatBuffer in,
                                      int inOff, boolean accumulate) {
        requireFieldMajor(g);
        int k = g.kernel();
        int ow = g.outWidth();
        int positions = g.positions();
        float[] image = Scratch.get(0, g.inputSize());
        float[] row = Scratch.get(1, positions);
        for (int b = 0; b < n; b++) {
            Arrays.fill(image, 0, g.inputSize(), 0f);
            for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++) {
                    cols.get(colsOff + (ky * k + kx) * ld + b * positions, row, 0, positions);
                    int dx = kx * g.dilation() - g.padding();
                    int ox0 = Math.max(0, -dx);
                    int ox1 = Math.min(ow, g.width() - dx);
                    for (int oy = 0; oy < g.outHeight(); oy++) {
                        int iy = oy - g.padding() + ky * g.dilation();
                        if (iy < 0 || iy >= g.height()) {
                            continue;
                        }
                        int to = iy * g.width() + dx;
                        int from = oy * ow;
                        for (int ox = ox0; ox < ox1; ox++) {
                            image[to + ox] += row[from + ox];
                        }
                    }
                }
            }
            store(in, inOff + b * g.inputSize(), image, 0, g.inputSize(), accumulate);
        }
    }

    /**
     * Whether a convolution unfolds one kernel row at a time ({@link #unfoldRows}): several channels, and either
     * stride 1, or a larger stride without dilation whose kernel is at least as wide as the stride (so that every
     * padded input row is some kernel row's input; a 1x1 stride-2 convolution would unfold every other row for
     * nothing).
     */
    public static boolean prefersKernelRows(ConvGeometry g) {
        boolean strideFits = g.stride() == 1 || (g.dilation() == 1 && g.kernel() >= g.stride());
        return strideFits && !prefersFieldMajor(g) && !g.wide() && g.needsColumns();
    }

    /** Rows of one image's kernel-row columns: one per padded input row and output column. */
    public static int kernelRowCount(ConvGeometry g) {
        return (g.height() + 2 * g.padding()) * g.outWidth();
    }

    /**
     * Where padded input row {@code y}'s block of {@code outWidth} kernel rows sits in an image's kernel-row
     * columns, in blocks. With stride {@code s} the rows are stored phase by phase: first the padded rows
     * {@code 0, s, 2s, ...}, then {@code 1, s + 1, ...}, and so on. Kernel row {@code ky} of output row {@code oy}
     * reads padded row {@code s oy + ky}, so for every {@code ky} the outputs' rows are consecutive blocks of one
     * phase, starting at {@link #kernelRowBlock}{@code (ky)}: one GEMM per kernel row, as with stride 1 (where
     * the order is simply {@code y}).
     */
    public static int kernelRowBlock(ConvGeometry g, int y) {
        int s = g.stride();
        int paddedRows = g.height() + 2 * g.padding();
        int phase = y % s;
        int before = 0;
        for (int r = 0; r < phase; r++) {
            before += (paddedRows - r + s - 1) / s;
        }
        return before + y / s;
    }

    /**
     * Unfolds along x only: row {@code (y, ox)} of an image's block holds the {@code kernel x channels} inputs
     * that kernel row meets at padded input row {@code y} and output column {@code ox}. Kernel row {@code ky}'s
     * columns for output {@code (oy, ox)} are then row {@code (stride oy + ky dilation, ox)}: for every {@code ky}
     * the same block read from a further row (in the order of {@link #kernelRowBlock}), one GEMM per kernel row
     * with a {@code kernel}-times smaller unfold.
     */
    public static void unfoldRows(FloatBuffer in, int inOff, int n, ConvGeometry g, FloatBuffer rows, int rowsOff) {
        if (g.dilation() == 1) {
            unfoldRowsFromPaddedRows(in, inOff, n, g, rows, rowsOff);
            return;
        }
        requireStrideOne(g);
        int run = g.kernel() * g.channels();
        int perImage = kernelRowCount(g) * run;
        float[] image = Scratch.get(0, g.inputSize());
        float[] out = Scratch.get(1, perImage);
        for (int b = 0; b < n; b++) {
            in.get(inOff + b * g.inputSize(), image, 0, g.inputSize());
            int dst = 0;
            for (int y = -g.padding(); y < g.height() + g.padding(); y++) {
                for (int ox = 0; ox < g.outWidth(); ox++, dst += run) {
                    copyKernelRow(image, g, y, ox - g.padding(), out, dst);
                }
            }
            rows.put(rowsOff + b * perImage, out, 0, perImage);
        }
    }

    /**
     * {@link #unfoldRows} without dilation: each input row is read into a row with {@code padding} zero columns on
     * either side, where position {@code ox}'s taps are the one window {@code [ox c, (ox + k) c)}, so every kernel
     * row is one array copy with no bounds to work out.
     */
    private static void unfoldRowsFromPaddedRows(FloatBuffer in, int inOff, int n, ConvGeometry g, FloatBuffer rows,
                                                 int rowsOff) {
        int c = g.channels();
        int run = g.kernel() * c;
        int rowRuns = g.outWidth() * run;
        int perImage = kernelRowCount(g) * run;
        int rowFloats = g.width() * c;
        float[] padded = Scratch.get(0, (g.width() + 2 * g.padding()) * c);
        float[] out = Scratch.get(1, perImage);
        // the zero columns stay zero: only the interior is written, row after row
        Arrays.fill(padded, 0, (g.width() + 2 * g.padding()) * c, 0f);
        int step = g.stride() * c;
        for (int b = 0; b < n; b++) {
            int image = inOff + b * g.inputSize();
            for (int y = -g.padding(); y < g.height() + g.padding(); y++) {
                int dst = kernelRowBlock(g, y + g.padding()) * rowRuns;
                if (y < 0 || y >= g.height()) {
                    Arrays.fill(out, dst, dst + rowRuns, 0f);
                    continue;
                }
                in.get(image + y * rowFloats, padded, g.padding() * c, rowFloats);
                for (int ox = 0, at = dst; ox < g.outWidth(); ox++, at += run) {
                    System.arraycopy(padded, ox * step, out, at, run);
                }
            }
            rows.put(rowsOff + b * perImage, out, 0, perImage);
        }
    }

    /**
     * Whether a kernel-row convolution runs its forward pass on tap planes: without dilation, and with at least 16
     * channels, the depth at which {@code k^2} GEMMs of depth {@code c} cost no more than {@code k} of depth
     * {@code k c} (LeNet's 6-channel layer ran 35% slower on taps).
     */
    public static boolean prefersTaps(ConvGeometry g) {
        return prefersKernelRows(g) && g.stride() == 1 && g.dilation() == 1 && g.channels() >= 16;
    }

    /** Floats of one image's tap planes ({@link #unfoldTaps}). */
    public static int tapPlanesSize(ConvGeometry g) {
        return g.kernel() * (g.height() + 2 * g.padding()) * g.outWidth() * g.channels();
    }

    /**
     * Tap planes for a stride-1 convolution without dilation, {@code [k][h + 2p][ow][c]} per image: plane
     * {@code kx} holds, for every padded input row and output column {@code ox}, the input at column
     * {@code ox + kx - p} (zero outside the image). Tap {@code (ky, kx)}'s columns for all outputs are then plane
     * {@code kx} read from row {@code ky} on, a matrix of {@code oh ow} rows of {@code c} floats: the convolution
     * is {@code k^2} GEMMs over views, and each plane row is one bulk copy from the input, off-heap to off-heap.
     */
    public static void unfoldTaps(FloatBuffer in, int inOff, int n, ConvGeometry g, Memory taps, int tapsOff) {
        if (g.stride() != 1 || g.dilation() != 1) {
            throw new IllegalArgumentException("tap planes need stride 1 and no dilation, got " + g);
        }
        int c = g.channels();
        int p = g.padding();
        int ow = g.outWidth();
        int paddedRows = g.height() + 2 * p;
        int rowFloats = ow * c;
        for (int b = 0; b < n; b++) {
            int image = inOff + b * g.inputSize();
            int planes = tapsOff + b * tapPlanesSize(g);
            for (int kx = 0; kx < g.kernel(); kx++) {
                // output columns whose input column ox + kx - p lies inside the image
                int ox0 = Math.max(0, p - kx);
                int ox1 = Math.max(ox0, Math.min(ow, g.width() + p - kx));
                for (int yp = 0; yp < paddedRows; yp++) {
                    int dst = planes + (kx * paddedRows + yp) * rowFloats;
                    int y = yp - p;
                    if (y < 0 || y >= g.height()) {
                        taps.clear(dst, rowFloats);
                        continue;
                    }
                    taps.clear(dst, ox0 * c);
                    taps.floats().put(dst + ox0 * c, in, image + (y * g.width() + ox0 + kx - p) * c, (ox1 - ox0) * c);
                    taps.clear(dst + ox1 * c, (ow - ox1) * c);
                }
            }
        }
    }

    /** The transpose of {@link #unfoldRows}: sums each entry back into the input position it came from. */
    public static void foldRows(FloatBuffer rows, int rowsOff, int n, ConvGeometry g, FloatBuffer in, int inOff,
                                boolean accumulate) {
        if (g.dilation() == 1) {
            foldRowsByTaps(rows, rowsOff, n, g, in, inOff, accumulate);
            return;
        }
        requireStrideOne(g);
        int run = g.kernel() * g.channels();
        int perImage = kernelRowCount(g) * run;
        float[] image = Scratch.get(0, g.inputSize());
        float[] src = Scratch.get(1, perImage);
        for (int b = 0; b < n; b++) {
            rows.get(rowsOff + b * perImage, src, 0, perImage);
            Arrays.fill(image, 0, g.inputSize(), 0f);
            // the padding rows hold only zeros' gradients: start at the first real input row
            int at = g.padding() * g.outWidth() * run;
            for (int y = 0; y < g.height(); y++) {
                for (int ox = 0; ox < g.outWidth(); ox++, at += run) {
                    addKernelRow(src, at, g, y, ox - g.padding(), image);
                }
            }
            store(in, inOff + b * g.inputSize(), image, 0, g.inputSize(), accumulate);
        }
    }

    /**
     * {@link #foldRows} without dilation. Row by row, tap {@code kx}'s gradients (one {@code channels} run per
     * position, {@code stride channels} apart) are copied into a padded row of their own, shifted by the tap, and
     * the taps' rows are then summed index by index: loops C2 vectorises, where adding each run in place at its
     * shifted offset stays scalar.
     */
    private static void foldRowsByTaps(FloatBuffer rows, int rowsOff, int n, ConvGeometry g, FloatBuffer in,
                                       int inOff, boolean accumulate) {
        int c = g.channels();
        int k = g.kernel();
        int run = k * c;
        int ow = g.outWidth();
        int paddedRow = (g.width() + 2 * g.padding()) * c;
        int rowFloats = g.width() * c;
        int perImage = kernelRowCount(g) * run;
        float[] src = Scratch.get(1, perImage);
        float[][] taps = TAP_ROWS.get();
        if (taps.length < k || taps[0].length < paddedRow) {
            taps = new float[Math.max(k, taps.length)][Math.max(paddedRow, taps[0].length)];
            TAP_ROWS.set(taps);
        }
        // tap kx fills columns [kx, kx + ow) of its row; the others stay zero
        for (int kx = 0; kx < k; kx++) {
            Arrays.fill(taps[kx], 0, paddedRow, 0f);
        }
        float[] sum = taps[0];
        int step = g.stride() * c;
        for (int b = 0; b < n; b++) {
            rows.get(rowsOff + b * perImage, src, 0, perImage);
            int image = inOff + b * g.inputSize();
            for (int y = 0; y < g.height(); y++) {
                // the padding rows hold only zeros' gradients: only the real input rows' blocks are read
                int base = kernelRowBlock(g, y + g.padding()) * ow * run;
                // tap 0's row doubles as the sum: clear what the last row's sum left outside tap 0's runs (past
                // them with stride 1; with a larger stride also between them)
                Arrays.fill(sum, g.stride() == 1 ? ow * c : 0, paddedRow, 0f);
                for (int kx = 0; kx < k; kx++) {
                    float[] tap = taps[kx];
                    for (int ox = 0, from = base + kx * c, to = kx * c; ox < ow; ox++, from += run, to += step) {
                        System.arraycopy(src, from, tap, to, c);
                    }
                }
                for (int kx = 1; kx < k; kx++) {
                    Reductions.addInto(sum, taps[kx], paddedRow);
                }
                store(in, image + y * rowFloats, sum, g.padding() * c, rowFloats, accumulate);
            }
        }
    }

    /**
     * {@code length} floats of {@code src} from {@code from} into {@code dst} at {@code at}: written, or added to
     * what is there when {@code accumulate} (a gradient's second contribution, without a pass of its own).
     */
    private static void store(FloatBuffer dst, int at, float[] src, int from, int length, boolean accumulate) {
        if (!accumulate) {
            dst.put(at, src, from, length);
            return;
        }
        float[] sum = Scratch.get(2, length);
        float[] old = Scratch.get(3, length);
        System.arraycopy(src, from, sum, 0, length);
        dst.get(at, old, 0, length);
        Reductions.addInto(sum, old, length);
        dst.put(at, sum, 0, length);
    }

    /**
     * One kernel row's {@code kernel x channels} inputs for an output whose window starts at column {@code x0} of
     * input row {@code iy}, into {@code out[dst, dst + kernel channels)}, zeros where the window leaves the image.
     */
    private static void copyKernelRow(float[] image, ConvGeometry g, int iy, int x0, float[] out, int dst) {
        int k = g.kernel();
        int c = g.channels();
        int kx0 = firstTap(x0, g.dilation());
        int kx1 = endTap(x0, g.dilation(), k, g.width());
        if (iy < 0 || iy >= g.height() || kx0 >= kx1) {
            Arrays.fill(out, dst, dst + k * c, 0f);
            return;
        }
        // most windows lie inside the image: no call at all then (the zero-length fills showed in profiles)
        if (kx0 > 0) {
            Arrays.fill(out, dst, dst + kx0 * c, 0f);
        }
        int src = (iy * g.width() + x0) * c;
        if (g.dilation() == 1) {
            // the taps inside the image are one contiguous run
            System.arraycopy(image, src + kx0 * c, out, dst + kx0 * c, (kx1 - kx0) * c);
        } else {
            for (int kx = kx0; kx < kx1; kx++) {
                System.arraycopy(image, src + kx * g.dilation() * c, out, dst + kx * c, c);
            }
        }
        if (kx1 < k) {
            Arrays.fill(out, dst + kx1 * c, dst + k * c, 0f);
        }
    }

    /** The transpose of {@link #copyKernelRow}: adds {@code src[from, from + kernel channels)} back into the image. */
    private static void addKernelRow(float[] src, int from, ConvGeometry g, int iy, int x0, float[] image) {
        if (iy < 0 || iy >= g.height()) {
            return;
        }
        int k = g.kernel();
        int c = g.channels();
        int kx0 = firstTap(x0, g.dilation());
        int kx1 = endTap(x0, g.dilation(), k, g.width());
        int row = (iy * g.width() + x0) * c;
        if (g.dilation() == 1) {
            int to = row + kx0 * c;
            int at = from + kx0 * c;
            for (int i = 0, count = (kx1 - kx0) * c; i < count; i++) {
                image[to + i] += src[at + i];
            }
        } else {
            for (int kx = kx0; kx < kx1; kx++) {
                int to = row + kx * g.dilation() * c;
                int at = from + kx * c;
                for (int ch = 0; ch < c; ch++) {
                    image[to + ch] += src[at + ch];
                }
            }
        }
    }

    /**
     * Field-major columns for {@link ConvGeometry#wide wide} output rows: each output row spans the padded input's
     * whole width, so a tap's row of columns is one contiguous run of the zero-padded image, copied from the heap
     * straight into the columns. The price is a few output positions per row that are not part of the result.
     */
    public static void unfoldWide(FloatBuffer in, int inOff, int n, ConvGeometry g, FloatBuffer cols, int colsOff,
                                  int ld) {
        requireWide(g);
        int k = g.kernel();
        int positions = g.positions();
        float[] padded = Scratch.get(0, paddedSize(g));
        // the border stays zero: only the interior is written, image after image
        Arrays.fill(padded, 0, paddedSize(g), 0f);
        for (int b = 0; b < n; b++) {
            readPadded(in, inOff + b * g.inputSize(), g, padded);
            for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++) {
                    int shift = (ky * g.gridWidth() + kx) * g.dilation();
                    cols.put(colsOff + (ky * k + kx) * ld + b * positions, padded, shift, positions);
                }
            }
        }
    }

    /** The transpose of {@link #unfoldWide}; columns of positions outside the result must hold zeros. */
    public static void foldWide(FloatBuffer cols, int colsOff, int ld, int n, ConvGeometry g, FloatBuffer in,
                                int inOff, boolean accumulate) {
        requireWide(g);
        int k = g.kernel();
        int positions = g.positions();
        float[] padded = Scratch.get(0, paddedSize(g));
        float[] row = Scratch.get(1, positions);
        for (int b = 0; b < n; b++) {
            Arrays.fill(padded, 0, paddedSize(g), 0f);
            for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++) {
                    cols.get(colsOff + (ky * k + kx) * ld + b * positions, row, 0, positions);
                    int shift = (ky * g.gridWidth() + kx) * g.dilation();
                    for (int p = 0; p < positions; p++) {
                        padded[shift + p] += row[p];
                    }
                }
            }
            int image = inOff + b * g.inputSize();
            for (int y = 0; y < g.height(); y++) {
                store(in, image + y * g.width(), padded, (y + g.padding()) * g.gridWidth() + g.padding(), g.width(),
                        accumulate);
            }
        }
    }

    /** The zero-padded image, plus room for the last tap's reads past its end (positions outside the result). */
    private static int paddedSize(ConvGeometry g) {
        return (g.height() + 2 * g.padding()) * g.gridWidth() + (g.kernel() - 1) * g.dilation();
    }

    private static void readPadded(FloatBuffer in, int image, ConvGeometry g, float[] padded) {
        for (int y = 0; y < g.height(); y++) {
            in.get(image + y * g.width(), padded, (y + g.padding()) * g.gridWidth() + g.padding(), g.width());
        }
    }

    private static void requireStrideOne(ConvGeometry g) {
        if (g.stride() != 1) {
            throw new IllegalArgumentException("dilated kernel rows need stride 1, got " + g);
        }
    }

    private static void requireWide(ConvGeometry g) {
        if (!g.wide()) {
            throw new IllegalArgumentException("wide columns need a geometry with wide output rows, got " + g);
        }
    }

    private static void requireFieldMajor(ConvGeometry g) {
        if (!prefersFieldMajor(g)) {
            throw new IllegalArgumentException("field-major columns need one channel and stride 1, got " + g);
        }
    }

    /** The first kernel column whose input column {@code x0 + kx * dilation} is inside the image. */
    private static int firstTap(int x0, int dilation) {
        return x0 >= 0 ? 0 : (-x0 + dilation - 1) / dilation;
    }

    /** One past the last kernel column inside an image of width {@code width}. */
    private static int endTap(int x0, int dilation, int k, int width) {
        if (x0 >= width) {
            return 0;
        }
        return Math.min(k, (width - 1 - x0) / dilation + 1);
    }
}
