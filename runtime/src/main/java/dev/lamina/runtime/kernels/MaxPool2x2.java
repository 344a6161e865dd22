package dev.lamina.runtime.kernels;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Max pooling with 2x2 windows and stride 2 over channels-last images, the common case, written so that the JIT
 * vectorises it and so that it needs no argmax indices.
 *
 * <p>The JIT of Java 17 vectorises a loop only when every array access in it uses the same index, so the kernel
 * works a whole image at a time in arrays of its own: the even input rows in one, the odd rows in another, their
 * maximum {@code v} in a third; the horizontal neighbour of each column is then {@code v} shifted by one column
 * (an array copy), and the window maximum sits at each even column. Only compacting those into the output is a
 * scalar pass. Nothing records the winners: the backward pass finds them again from the input values, which
 * every caller still holds, with {@link #winner}, a branch-free test that vectorises too. Ties go to the top
 * row, then to the left column.
 */
public final class MaxPool2x2 {
    /** {@code 2^100}: twice applied, it lifts the smallest positive float difference above 1. */
    private static final float HUGE = 0x1p100f;

    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    private MaxPool2x2() {
    }

    /**
     * {@code [n, h, w, c] -> [n, h / 2, w / 2, c]} with the sizes of {@code g} (whose window and stride are 2); an
     * odd last row or column is left out, as in every framework.
     */
    public static void forward(PoolGeometry g, FloatBuffer in, int inOff, int n, FloatBuffer out, int outOff) {
        forward(in, inOff, n, g.height(), g.width(), g.channels(), g.rowLength(), out, outOff);
    }

    /**
     * Routes {@code dOut} (at the pooled outputs) to the window winners in {@code dIn}, every other input getting
     * zero; as {@link #backward(FloatBuffer, int, FloatBuffer, int, int, int, int, int, int, FloatBuffer, int)} with
     * the sizes of {@code g}.
     */
    public static void backward(PoolGeometry g, FloatBuffer values, int valuesOff, FloatBuffer dOut, int dOutOff,
                                int n, FloatBuffer dIn, int dInOff) {
        backward(values, valuesOff, dOut, dOutOff, n, g.height(), g.width(), g.channels(), g.rowLength(), dIn,
                dInOff);
    }

    /** {@code [n, h, w, c] -> [n, h / 2, w / 2, c]}, rows {@code w c} floats apart. */
    static void forward(FloatBuffer in, int inOff, int n, int h, int w, int c, FloatBuffer out, int outOff) {
        forward(in, inOff, n, h, w, c, w * c, out, outOff);
    }

    /**
     * As {@link #forward(FloatBuffer, int, int, int, int, int, FloatBuffer, int)} over images whose rows are
     * {@code rowLength >= w c} floats apart, the floats past {@code w c} being no part of the image (a
     * convolution's {@link ConvGeometry#wide wide} output rows).
     */
    static void forward(FloatBuffer in, int inOff, int n, int h, int w, int c, int rowLength, FloatBuffer out,
                        int outOff) {
        int oh = h / 2;
        int ow = w / 2;
        int pooledSize = oh * ow * c;
        Work work = WORK.get().fit(oh * rowLength);
        for (int b = 0; b < n; b++) {
            int image = inOff + b * h * rowLength;
            windowMaxima(work, in, image, oh, rowLength, c);
            compact(work.horizontal, work.pooled, oh, ow, rowLength, c);
            out.put(outOff + b * pooledSize, work.pooled, 0, pooledSize);
        }
    }

    /**
     * Routes {@code dOut} (at the pooled outputs) to the window winners in {@code dIn}, every other input getting
     * zero. {@code values} is the forward pass's input; {@code dIn} may be the same region: the gradient then
     * replaces the values, an image at a time, after they are read.
     */
    static void backward(FloatBuffer values, int valuesOff, FloatBuffer dOut, int dOutOff, int n, int h,
                         int w, int c, FloatBuffer dIn, int dInOff) {
        backward(values, valuesOff, dOut, dOutOff, n, h, w, c, w * c, dIn, dInOff);
    }

    /** The backward pass over rows {@code rowLength} floats apart; what lies past {@code w c} gets zero. */
    static void backward(FloatBuffer values, int valuesOff, FloatBuffer dOut, int dOutOff, int n, int h,
                         int w, int c, int rowLength, FloatBuffer dIn, int dInOff) {
        int oh = h / 2;
        int ow = w / 2;
        int pooledSize = oh * ow * c;
        int span = oh * rowLength;
        Work work = WORK.get().fit(span);
        float[] top = work.top;
        float[] bottom = work.bottom;
        float[] vertical = work.vertical;
        float[] horizontal = work.horizontal;
        float[] shifted = work.shifted;
        float[] spread = work.spread;
        for (int b = 0; b < n; b++) {
            int image = b * h * rowLength;
            windowMaxima(work, values, valuesOff + image, oh, rowLength, c);
            dOut.get(dOutOff + b * pooledSize, work.pooled, 0, pooledSize);
            // each window's gradient at its left column: the left one keeps its share, the rest moves right
            spread(work.pooled, spread, oh, ow, rowLength, c);
            for (int j = 0; j < span; j++) {
                float left = spread[j] * winner(vertical[j], horizontal[j]);
                horizontal[j] = left;
                spread[j] = spread[j] - left;
            }
            System.arraycopy(spread, 0, shifted, c, span - c);
            Arrays.fill(shifted, 0, c, 0f);
            // then between the two rows of each column
            for (int j = 0; j < span; j++) {
                float g = horizontal[j] + shifted[j];
                float up = g * winner(top[j], vertical[j]);
                top[j] = up;
                bottom[j] = g - up;
            }
            for (int oy = 0; oy < oh; oy++) {
                int row = dInOff + image + 2 * oy * rowLength;
                dIn.put(row, top, oy * rowLength, rowLength);
                dIn.put(row + rowLength, bottom, oy * rowLength, rowLength);
            }
            if (h % 2 == 1) {
                // an odd last row belongs to no window
                Arrays.fill(shifted, 0, rowLength, 0f);
                dIn.put(dInOff + image + (h - 1) * rowLength, shifted, 0, rowLength);
            }
        }
    }

    /**
     * Reads an image's row pairs into {@code top} and {@code bottom}; leaves their maximum in {@code vertical},
     * and in {@code horizontal} the maximum of each column and the next, so each window's maximum at its left
     * column.
     */
    private static void windowMaxima(Work work, FloatBuffer in, int image, int oh, int rowLength, int c) {
        int span = oh * rowLength;
        float[] top = work.top;
        float[] bottom = work.bottom;
        float[] vertical = work.vertical;
        float[] shifted = work.shifted;
        float[] horizontal = work.horizontal;
        for (int oy = 0; oy < oh; oy++) {
            int row = image + 2 * oy * rowLength;
            in.get(row, top, oy * rowLength, rowLength);
            in.get(row + rowLength, bottom, oy * rowLength, rowLength);
        }
        for (int j = 0; j < span; j++) {
            vertical[j] = Math.max(top[j], bottom[j]);
        }
        // the next column; past a row's end it is the next row's first, read only by odd or unused columns
        System.arraycopy(vertical, c, shifted, 0, span - c);
        Arrays.fill(shifted, span - c, span, 0f);
        for (int j = 0; j < span; j++) {
            horizontal[j] = Math.max(vertical[j], shifted[j]);
        }
    }

    /** The window maxima, at the even columns of rows {@code rowLength} long, side by side. */
    private static void compact(float[] rows, float[] pooled, int oh, int ow, int rowLength, int c) {
        for (int oy = 0, to = 0; oy < oh; oy++) {
            for (int ox = 0, from = oy * rowLength; ox < ow; ox++, from += 2 * c, to += c) {
                for (int ch = 0; ch < c; ch++) {
                    pooled[to + ch] = rows[from + ch];
                }
            }
        }
    }

    /** The inverse of {@link #compact}: each window's value at its even column, zero everywhere else. */
    private static void spread(float[] pooled, float[] rows, int oh, int ow, int rowLength, int c) {
        Arrays.fill(rows, 0, oh * rowLength, 0f);
        for (int oy = 0, from = 0; oy < oh; oy++) {
            for (int ox = 0, to = oy * rowLength; ox < ow; ox++, to += 2 * c, from += c) {
                for (int ch = 0; ch < c; ch++) {
                    rows[to + ch] = pooled[from + ch];
                }
            }
        }
    }

    /**
     * 1 when {@code value} is the maximum {@code max} (which is at least {@code value}), else 0, without a
     * branch: the difference is exactly zero only for equal floats, and any other difference, scaled by
     * {@code 2^200}, is at least 1.
     */
    static float winner(float value, float max) {
        return 1f - Math.min(1f, (max - value) * HUGE * HUGE);
    }

    /** One thread's arrays, each as long as an image's row pairs, grown to the largest image seen. */
    private static final class Work {
        float[] top = new float[0];
        float[] bottom = top;
        float[] vertical = top;
        float[] shifted = top;
        float[] horizontal = top;
        float[] spread = top;
        float[] pooled = top;

        Work fit(int span) {
            if (top.length < span) {
                top = new float[span];
                bottom = new float[span];
                vertical = new float[span];
                shifted = new float[span];
                horizontal = new float[span];
                spread = new float[span];
                pooled = new float[span];
            }
            return this;
        }
    }
}
