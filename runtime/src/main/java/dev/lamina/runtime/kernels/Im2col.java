package dev.lamina.runtime.kernels;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Unfolds channels-last images into the rows of a convolution GEMM and folds gradients back.
 * Row {@code (b, oy, ox)} of the column matrix holds the receptive field in {@code (ky, kx, c)} order, so the
 * convolution is {@code out[rows x filters] = cols[rows x k k c] W[filters x k k c]^T}, the batch folded into rows.
 * Works one image at a time in heap scratch arrays (see {@link Scratch}).
 */
public final class Im2col {
    private Im2col() {
    }

    public static void unfold(FloatBuffer in, int inOff, int n, int h, int w, int c, int k, int stride, int pad,
                              int dilation, int oh, int ow, FloatBuffer cols, int colsOff) {
        int imageSize = h * w * c;
        int rowLength = k * k * c;
        int colsPerImage = oh * ow * rowLength;
        float[] image = Scratch.get(0, imageSize);
        float[] out = Scratch.get(1, colsPerImage);
        for (int b = 0; b < n; b++) {
            in.get(inOff + b * imageSize, image, 0, imageSize);
            int dst = 0;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    for (int ky = 0; ky < k; ky++) {
                        int iy = oy * stride - pad + ky * dilation;
                        if (iy < 0 || iy >= h) {
                            Arrays.fill(out, dst, dst + k * c, 0f);
                            dst += k * c;
                            continue;
                        }
                        for (int kx = 0; kx < k; kx++) {
                            int ix = ox * stride - pad + kx * dilation;
                            if (ix >= 0 && ix < w) {
                                System.arraycopy(image, (iy * w + ix) * c, out, dst, c);
                            } else {
                                Arrays.fill(out, dst, dst + c, 0f);
                            }
                            dst += c;
                        }
                    }
                }
            }
            cols.put(colsOff + b * colsPerImage, out, 0, colsPerImage);
        }
    }

    /** The transpose of {@link #unfold}: sums every column entry back into the input position it came from. */
    public static void fold(FloatBuffer cols, int colsOff, int n, int h, int w, int c, int k, int stride, int pad,
                            int dilation, int oh, int ow, FloatBuffer in, int inOff) {
        int imageSize = h * w * c;
        int rowLength = k * k * c;
        int colsPerImage = oh * ow * rowLength;
        float[] image = Scratch.get(0, imageSize);
        float[] src = Scratch.get(1, colsPerImage);
        for (int b = 0; b < n; b++) {
            cols.get(colsOff + b * colsPerImage, src, 0, colsPerImage);
            Arrays.fill(image, 0, imageSize, 0f);
            int at = 0;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    for (int ky = 0; ky < k; ky++) {
                        int iy = oy * stride - pad + ky * dilation;
                        if (iy < 0 || iy >= h) {
                            at += k * c;
                            continue;
                        }
                        for (int kx = 0; kx < k; kx++) {
                            int ix = ox * stride - pad + kx * dilation;
                            if (ix >= 0 && ix < w) {
                                int to = (iy * w + ix) * c;
                                for (int ch = 0; ch < c; ch++) {
                                    image[to + ch] += src[at + ch];
                                }
                            }
                            at += c;
                        }
                    }
                }
            }
            in.put(inOff + b * imageSize, image, 0, imageSize);
        }
    }
}
