package dev.lamina.runtime.kernels;

import java.nio.FloatBuffer;

/** Nearest-neighbour upsampling of channels-last images by an integer scale, and its gradient. */
public final class Upsampling {
    private Upsampling() {
    }

    /** Each input position repeated over a {@code scale x scale} block, with the sizes of {@code g}. */
    public static void forward(UpsampleGeometry g, FloatBuffer a, int in, int n, int out) {
        forward(a, in, n, g.height(), g.width(), g.channels(), g.scale(), out);
    }

    /** The gradient of {@link #forward(UpsampleGeometry, FloatBuffer, int, int, int)}. */
    public static void backward(UpsampleGeometry g, FloatBuffer a, int dOut, int n, int dIn) {
        backward(a, dOut, n, g.height(), g.width(), g.channels(), g.scale(), dIn);
    }

    private static void forward(FloatBuffer a, int in, int n, int h, int w, int c, int scale, int out) {
        int ow = w * scale;
        float[] row = Scratch.get(0, w * c);
        float[] wide = Scratch.get(1, ow * c);
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < h; y++) {
                a.get(in + (b * h + y) * w * c, row, 0, w * c);
                for (int x = 0; x < w; x++) {
                    for (int s = 0; s < scale; s++) {
                        System.arraycopy(row, x * c, wide, (x * scale + s) * c, c);
                    }
                }
                for (int s = 0; s < scale; s++) {
                    a.put(out + ((b * h + y) * scale + s) * ow * c, wide, 0, ow * c);
                }
            }
        }
    }

    /** Each input position's gradient: the sum over its {@code scale x scale} block. */
    private static void backward(FloatBuffer a, int dOut, int n, int h, int w, int c, int scale, int dIn) {
        int ow = w * scale;
        float[] wide = Scratch.get(0, ow * c);
        float[] row = Scratch.get(1, w * c);
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < h; y++) {
                java.util.Arrays.fill(row, 0, w * c, 0f);
                for (int s = 0; s < scale; s++) {
                    a.get(dOut + ((b * h + y) * scale + s) * ow * c, wide, 0, ow * c);
                    for (int x = 0; x < w; x++) {
                        for (int t = 0; t < scale; t++) {
                            for (int ch = 0; ch < c; ch++) {
                                row[x * c + ch] += wide[(x * scale + t) * c + ch];
                            }
                        }
                    }
                }
                a.put(dIn + (b * h + y) * w * c, row, 0, w * c);
            }
        }
    }
}
