package dev.lamina.runtime.kernels;

import java.nio.FloatBuffer;

/**
 * Local response normalisation over channels-last positions: {@code b_c = a_c s_c^-beta} with
 * {@code s_c = k + alpha / size * sum_{j in window(c)} a_j^2}, the window the {@code size} channels centred on c:
 * {@code [c - size/2, c + (size-1)/2]}, as PyTorch's {@code LocalResponseNorm} (for an even size the extra channel
 * is the one before c), clipped at the first and the last channel.
 * The forward pass keeps {@code s} for the backward pass.
 */
public final class ResponseNormalization {
    private ResponseNormalization() {
    }

    /** {@code n} samples of {@code g}'s sizes; keeps each position's {@code s} at {@code scales}. */
    public static void forward(ResponseNormGeometry g, FloatBuffer a, int x, int n, int scales, int out) {
        forward(a, x, n * g.positions(), g.channels(), g.size(), g.alpha(), g.beta(), g.k(), scales, out);
    }

    /** The gradient of {@link #forward(ResponseNormGeometry, FloatBuffer, int, int, int, int)}. */
    public static void backward(ResponseNormGeometry g, FloatBuffer a, int dy, int x, int n, int scales, int dx) {
        backward(a, dy, x, n * g.positions(), g.channels(), g.size(), g.alpha(), g.beta(), scales, dx);
    }

    static void forward(FloatBuffer a, int x, int positions, int channels, int size, float alpha, float beta,
                        float k, int scales, int out) {
        float[] v = Scratch.get(0, channels);
        float[] s = Scratch.get(1, channels);
        float[] b = Scratch.get(2, channels);
        int before = size / 2;
        int after = size - 1 - before;
        for (int p = 0; p < positions; p++) {
            a.get(x + p * channels, v, 0, channels);
            for (int c = 0; c < channels; c++) {
                float sum = 0f;
                for (int j = Math.max(0, c - before); j <= Math.min(channels - 1, c + after); j++) {
                    sum += v[j] * v[j];
                }
                s[c] = k + alpha / size * sum;
                b[c] = v[c] * (float) Math.pow(s[c], -beta);
            }
            a.put(scales + p * channels, s, 0, channels);
            a.put(out + p * channels, b, 0, channels);
        }
    }

    /**
     * {@code da_i = g_i s_i^-beta - 2 alpha beta / size * a_i * sum_{j: i in window(j)} g_j a_j s_j^(-beta-1)}.
     */
    static void backward(FloatBuffer a, int dy, int x, int positions, int channels, int size, float alpha,
                         float beta, int scales, int dx) {
        float[] v = Scratch.get(0, channels);
        float[] s = Scratch.get(1, channels);
        float[] g = Scratch.get(2, channels);
        float[] t = Scratch.get(3, channels);
        float[] d = Scratch.get(4, channels);
        int before = size / 2;
        int after = size - 1 - before;
        for (int p = 0; p < positions; p++) {
            a.get(x + p * channels, v, 0, channels);
            a.get(scales + p * channels, s, 0, channels);
            a.get(dy + p * channels, g, 0, channels);
            for (int j = 0; j < channels; j++) {
                t[j] = g[j] * v[j] * (float) Math.pow(s[j], -beta - 1);
            }
            for (int i = 0; i < channels; i++) {
                // j's window holds i when j - before <= i <= j + after
                float sum = 0f;
                for (int j = Math.max(0, i - after); j <= Math.min(channels - 1, i + before); j++) {
                    sum += t[j];
                }
                d[i] = g[i] * (float) Math.pow(s[i], -beta) - 2f * alpha * beta / size * v[i] * sum;
            }
            a.put(dx + p * channels, d, 0, channels);
        }
    }
}
