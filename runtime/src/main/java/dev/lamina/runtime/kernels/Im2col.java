package dev.lamina.runtime.kernels;

import java.nio.FloatBuffer;

/**
 * Unfolds channels-last images into the rows of a convolution GEMM and folds gradients back.
 * Row {@code (b, oy, ox)} of the column matrix holds the receptive field in {@code (ky, kx, c)} order, so the
 * convolution is {@code out[rows x filters] = cols[rows x k k c] W[filters x k k c]^T}, the batch folded into rows.
 */
public final class Im2col {
    private Im2col() {
    }

    public static void unfold(FloatBuffer in, int inOff, int n, int h, int w, int c, int k, int stride, int pad,
                              int dilation, int oh, int ow, FloatBuffer cols, int colsOff) {
        int rowLength = k * k * c;
        int row = colsOff;
        for (int b = 0; b < n; b++) {
            int image = inOff + b * h * w * c;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int dst = row;
                    for (int ky = 0; ky < k; ky++) {
                        int iy = oy * stride - pad + ky * dilation;
                        boolean rowInside = iy >= 0 && iy < h;
                        for (int kx = 0; kx < k; kx++) {
                            int ix = ox * stride - pad + kx * dilation;
                            if (rowInside && ix >= 0 && ix < w) {
                                int src = image + (iy * w + ix) * c;
                                for (int ch = 0; ch < c; ch++) {
                                    cols.put(dst + ch, in.get(src + ch));
                                }
                            } else {
                                for (int ch = 0; ch < c; ch++) {
                                    cols.put(dst + ch, 0f);
                                }
                            }
                            dst += c;
                        }
                    }
                    row += rowLength;
                }
            }
        }
    }

    /** The transpose of {@link #unfold}: sums every column entry back into the input position it came from. */
    public static void fold(FloatBuffer cols, int colsOff, int n, int h, int w, int c, int k, int stride, int pad,
                            int dilation, int oh, int ow, FloatBuffer in, int inOff) {
        int size = n * h * w * c;
        for (int i = 0; i < size; i++) {
            in.put(inOff + i, 0f);
        }
        int rowLength = k * k * c;
        int row = colsOff;
        for (int b = 0; b < n; b++) {
            int image = inOff + b * h * w * c;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int src = row;
                    for (int ky = 0; ky < k; ky++) {
                        int iy = oy * stride - pad + ky * dilation;
                        boolean rowInside = iy >= 0 && iy < h;
                        for (int kx = 0; kx < k; kx++) {
                            int ix = ox * stride - pad + kx * dilation;
                            if (rowInside && ix >= 0 && ix < w) {
                                int dst = image + (iy * w + ix) * c;
                                for (int ch = 0; ch < c; ch++) {
                                    in.put(dst + ch, in.get(dst + ch) + cols.get(src + ch));
                                }
                            }
                            src += c;
                        }
                    }
                    row += rowLength;
                }
            }
        }
    }
}
