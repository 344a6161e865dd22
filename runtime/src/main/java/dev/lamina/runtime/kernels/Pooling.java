package dev.lamina.runtime.kernels;

import java.nio.FloatBuffer;
import java.util.Arrays;

/** Max, average and global average pooling over channels-last images, and their backward passes. */
public final class Pooling {
    private Pooling() {
    }

    /**
     * Max pooling with the sizes of {@code g} (padding counts as minus infinity); {@code argmax} receives, per
     * output, the input position (relative to {@code inOff}).
     */
    public static void maxForward(PoolGeometry g, FloatBuffer in, int inOff, int n, FloatBuffer out, int outOff,
                                  int[] argmax, int argOff) {
        maxForward(in, inOff, n, g.height(), g.width(), g.channels(), g.kernel(), g.stride(), g.padding(),
                g.outHeight(), g.outWidth(), out, outOff, argmax, argOff);
    }

    /** Average pooling with the sizes of {@code g}. */
    public static void averageForward(PoolGeometry g, FloatBuffer in, int inOff, int n, FloatBuffer out,
                                      int outOff) {
        averageForward(in, inOff, n, g.height(), g.width(), g.channels(), g.kernel(), g.stride(), g.outHeight(),
                g.outWidth(), out, outOff);
    }

    /** The gradient of {@link #averageForward(PoolGeometry, FloatBuffer, int, int, FloatBuffer, int)}. */
    public static void averageBackward(PoolGeometry g, FloatBuffer dOut, int dOutOff, int n, FloatBuffer dIn,
                                       int dInOff) {
        averageBackward(dOut, dOutOff, n, g.height(), g.width(), g.channels(), g.kernel(), g.stride(),
                g.outHeight(), g.outWidth(), dIn, dInOff);
    }

    /** Max pooling; {@code argmax} receives, per output, the input position (relative to {@code inOff}). */
    static void maxForward(FloatBuffer in, int inOff, int n, int h, int w, int c, int k, int stride,
                           int oh, int ow, FloatBuffer out, int outOff, int[] argmax, int argOff) {
        maxForward(in, inOff, n, h, w, c, k, stride, 0, oh, ow, out, outOff, argmax, argOff);
    }

    /**
     * Max pooling with {@code padding} on each side: a window takes the maximum of the inputs it covers (padding
     * counts as minus infinity).
     */
    static void maxForward(FloatBuffer in, int inOff, int n, int h, int w, int c, int k, int stride,
                           int padding, int oh, int ow, FloatBuffer out, int outOff, int[] argmax,
                           int argOff) {
        int imageSize = h * w * c;
        int outSize = oh * ow * c;
        float[] image = Scratch.get(0, imageSize);
        float[] result = Scratch.get(1, outSize);
        int[] winner = Scratch.ints(outSize);
        for (int b = 0; b < n; b++) {
            in.get(inOff + b * imageSize, image, 0, imageSize);
            if (k == 2 && padding == 0) {
                maxWindows2x2(image, w, c, stride, oh, ow, result, winner);
            } else {
                maxWindows(image, h, w, c, k, stride, padding, oh, ow, result, winner);
            }
            out.put(outOff + b * outSize, result, 0, outSize);
            int base = b * imageSize;
            int args = argOff + b * outSize;
            for (int o = 0; o < outSize; o++) {
                argmax[args + o] = base + winner[o];
            }
        }
    }

    /** The common 2x2 window, unrolled: four candidates per output, compared without branches. */
    private static void maxWindows2x2(float[] image, int w, int c, int stride, int oh, int ow, float[] result,
                                      int[] winner) {
        int rowStride = w * c;
        for (int oy = 0, o = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++, o += c) {
                int p0 = oy * stride * rowStride + ox * stride * c;
                int p2 = p0 + rowStride;
                for (int ch = 0; ch < c; ch++) {
                    int i0 = p0 + ch;
                    int i1 = i0 + c;
                    int i2 = p2 + ch;
                    int i3 = i2 + c;
                    float v0 = image[i0];
                    float v1 = image[i1];
                    float v2 = image[i2];
                    float v3 = image[i3];
                    int top = v1 > v0 ? i1 : i0;
                    float topMax = Math.max(v0, v1);
                    int bottom = v3 > v2 ? i3 : i2;
                    float bottomMax = Math.max(v2, v3);
                    winner[o + ch] = bottomMax > topMax ? bottom : top;
                    result[o + ch] = Math.max(topMax, bottomMax);
                }
            }
        }
    }

    private static void maxWindows(float[] image, int h, int w, int c, int k, int stride, int padding, int oh,
                                   int ow, float[] result, int[] winner) {
        for (int oy = 0, o = 0; oy < oh; oy++) {
            int y0 = Math.max(0, oy * stride - padding);
            int y1 = Math.min(h, oy * stride - padding + k);
            for (int ox = 0; ox < ow; ox++, o += c) {
                int x0 = Math.max(0, ox * stride - padding);
                int x1 = Math.min(w, ox * stride - padding + k);
                // the window's first input inside the image starts the search
                int first = (y0 * w + x0) * c;
                for (int ch = 0; ch < c; ch++) {
                    result[o + ch] = image[first + ch];
                    winner[o + ch] = first + ch;
                }
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        int at = (y * w + x) * c;
                        for (int ch = 0; ch < c; ch++) {
                            float v = image[at + ch];
                            boolean larger = v > result[o + ch];
                            result[o + ch] = larger ? v : result[o + ch];
                            winner[o + ch] = larger ? at + ch : winner[o + ch];
                        }
                    }
                }
            }
        }
    }

    /** Routes each output gradient to the input position that won the max. */
    public static void maxBackward(FloatBuffer dOut, int dOutOff, int outputs, int[] argmax, int argOff,
                                   FloatBuffer dIn, int dInOff, int inputs) {
        float[] grad = Scratch.get(0, inputs);
        float[] upstream = Scratch.get(1, outputs);
        Arrays.fill(grad, 0, inputs, 0f);
        dOut.get(dOutOff, upstream, 0, outputs);
        for (int o = 0; o < outputs; o++) {
            grad[argmax[argOff + o]] += upstream[o];
        }
        dIn.put(dInOff, grad, 0, inputs);
    }

    /**
     * Max-unpooling: each of {@code count} pooled values back at its pool's winner, zeros elsewhere ({@code inputs}
     * values). Where overlapping windows won the same input, the value is placed once, the last such window's in
     * raster order (as PyTorch's {@code MaxUnpool2d} on the CPU), not summed.
     */
    public static void unpool(FloatBuffer in, int inOff, int count, int[] argmax, int argOff, FloatBuffer out,
                              int outOff, int inputs) {
        float[] placed = Scratch.get(0, inputs);
        float[] values = Scratch.get(1, count);
        Arrays.fill(placed, 0, inputs, 0f);
        in.get(inOff, values, 0, count);
        for (int o = 0; o < count; o++) {
            placed[argmax[argOff + o]] = values[o];
        }
        out.put(outOff, placed, 0, inputs);
    }

    /**
     * The exact adjoint of {@link #unpool}: a pooled value gets the gradient at its winner when it is the value
     * placed there (the last window in raster order that won it), and 0 when a later window's value replaced it.
     */
    public static void unpoolBackward(FloatBuffer dOut, int dOutOff, int[] argmax, int argOff, int count,
                                      FloatBuffer dIn, int dInOff, int inputs) {
        int[] placedBy = Scratch.ints(inputs);
        for (int o = 0; o < count; o++) {
            placedBy[argmax[argOff + o]] = o;
        }
        float[] result = Scratch.get(1, count);
        for (int o = 0; o < count; o++) {
            int winner = argmax[argOff + o];
            result[o] = placedBy[winner] == o ? dOut.get(dOutOff + winner) : 0f;
        }
        dIn.put(dInOff, result, 0, count);
    }

    private static void averageForward(FloatBuffer in, int inOff, int n, int h, int w, int c, int k, int stride,
                                       int oh, int ow, FloatBuffer out, int outOff) {
        float scale = 1f / (k * k);
        int o = outOff;
        for (int b = 0; b < n; b++) {
            int image = inOff + b * h * w * c;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    for (int ch = 0; ch < c; ch++) {
                        float sum = 0f;
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                sum += in.get(image + ((oy * stride + ky) * w + ox * stride + kx) * c + ch);
                            }
                        }
                        out.put(o + ch, sum * scale);
                    }
                    o += c;
                }
            }
        }
    }

    private static void averageBackward(FloatBuffer dOut, int dOutOff, int n, int h, int w, int c, int k,
                                        int stride, int oh, int ow, FloatBuffer dIn, int dInOff) {
        int inputs = n * h * w * c;
        for (int i = 0; i < inputs; i++) {
            dIn.put(dInOff + i, 0f);
        }
        float scale = 1f / (k * k);
        int o = dOutOff;
        for (int b = 0; b < n; b++) {
            int image = dInOff + b * h * w * c;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    for (int ch = 0; ch < c; ch++) {
                        float g = dOut.get(o + ch) * scale;
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                int at = image + ((oy * stride + ky) * w + ox * stride + kx) * c + ch;
                                dIn.put(at, dIn.get(at) + g);
                            }
                        }
                    }
                    o += c;
                }
            }
        }
    }

    /**
     * Mean over all {@code hw} positions of each channel: {@code [n, hw, c] -> [n, c]}. Each image is copied to
     * the heap whole (a get and a put per element of a direct buffer cost twice as much), and the sums run over
     * the positions in order.
     */
    public static void globalAverageForward(FloatBuffer in, int inOff, int n, int hw, int c,
                                            FloatBuffer out, int outOff) {
        float scale = 1f / hw;
        float[] image = Scratch.get(0, hw * c);
        float[] sums = Scratch.get(1, c);
        for (int b = 0; b < n; b++) {
            in.get(inOff + b * hw * c, image, 0, hw * c);
            Arrays.fill(sums, 0, c, 0f);
            for (int p = 0; p < hw; p++) {
                addRow(image, p * c, sums, c);
            }
            for (int ch = 0; ch < c; ch++) {
                sums[ch] *= scale;
            }
            out.put(outOff + b * c, sums, 0, c);
        }
    }

    private static void addRow(float[] from, int fromOff, float[] to, int length) {
        for (int i = 0; i < length; i++) {
            to[i] += from[fromOff + i];
        }
    }

    /** Spreads each channel's gradient, divided by {@code hw}, over the image's positions. */
    public static void globalAverageBackward(FloatBuffer dOut, int dOutOff, int n, int hw, int c,
                                             FloatBuffer dIn, int dInOff) {
        float scale = 1f / hw;
        float[] image = Scratch.get(0, hw * c);
        float[] gradient = Scratch.get(1, c);
        for (int b = 0; b < n; b++) {
            dOut.get(dOutOff + b * c, gradient, 0, c);
            for (int ch = 0; ch < c; ch++) {
                gradient[ch] *= scale;
            }
            for (int p = 0; p < hw; p++) {
                System.arraycopy(gradient, 0, image, p * c, c);
            }
            dIn.put(dInOff + b * hw * c, image, 0, hw * c);
        }
    }
}
