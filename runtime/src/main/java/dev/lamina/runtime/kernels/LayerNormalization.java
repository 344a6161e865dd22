package dev.lamina.runtime.kernels;

import java.nio.FloatBuffer;

/**
 * Layer normalisation of {@code rows x features} (a row: one sample's features, one step's, or one position's
 * channels): {@code y = gamma (x - mean) / sqrt(var + eps) + beta} with each row's own mean and biased variance.
 * The forward pass keeps each row's mean and {@code 1/sqrt(var + eps)} ({@code stats}, two floats a row) for the
 * backward pass, which recomputes the normalised values from the input.
 */
public final class LayerNormalization {
    private LayerNormalization() {
    }

    public static void forward(FloatBuffer a, int x, int rows, int features, float epsilon, FloatBuffer params,
                               int gamma, int beta, int stats, int out) {
        float[] v = Scratch.get(0, features);
        float[] g = Scratch.get(1, features);
        float[] b = Scratch.get(2, features);
        params.get(gamma, g, 0, features);
        params.get(beta, b, 0, features);
        for (int r = 0; r < rows; r++) {
            a.get(x + r * features, v, 0, features);
            double sum = 0;
            for (int j = 0; j < features; j++) {
                sum += v[j];
            }
            float mean = (float) (sum / features);
            double squares = 0;
            for (int j = 0; j < features; j++) {
                float d = v[j] - mean;
                squares += d * d;
            }
            float inv = (float) (1.0 / Math.sqrt(squares / features + epsilon));
            for (int j = 0; j < features; j++) {
                v[j] = g[j] * ((v[j] - mean) * inv) + b[j];
            }
            a.put(out + r * features, v, 0, features);
            a.put(stats + 2 * r, mean);
            a.put(stats + 2 * r + 1, inv);
        }
    }

    /**
     * From {@code dy} (at the affine output, after the activation's derivative): adds the gamma and beta gradients
     * to {@code grads} and writes {@code dx = inv (dxhat - mean(dxhat) - xhat mean(dxhat xhat))}, where
     * {@code dxhat = gamma dy}.
     */
    public static void backward(FloatBuffer a, int dy, int x, int rows, int features, FloatBuffer params, int gamma,
                                int stats, FloatBuffer grads, int dGamma, int dBeta, int dx) {
        float[] g = Scratch.get(0, features);
        float[] h = Scratch.get(1, features);
        float[] gam = Scratch.get(2, features);
        float[] sumGamma = Scratch.get(3, features);
        float[] sumBeta = Scratch.get(4, features);
        params.get(gamma, gam, 0, features);
        java.util.Arrays.fill(sumGamma, 0, features, 0f);
        java.util.Arrays.fill(sumBeta, 0, features, 0f);
        for (int r = 0; r < rows; r++) {
            a.get(dy + r * features, g, 0, features);
            a.get(x + r * features, h, 0, features);
            float mean = a.get(stats + 2 * r);
            float inv = a.get(stats + 2 * r + 1);
            double meanDxhat = 0;
            double meanDxhatXhat = 0;
            for (int j = 0; j < features; j++) {
                float xhat = (h[j] - mean) * inv;
                h[j] = xhat;
                sumGamma[j] += g[j] * xhat;
                sumBeta[j] += g[j];
                float dxhat = g[j] * gam[j];
                meanDxhat += dxhat;
                meanDxhatXhat += dxhat * xhat;
            }
            float m1 = (float) (meanDxhat / features);
            float m2 = (float) (meanDxhatXhat / features);
            for (int j = 0; j < features; j++) {
                g[j] = inv * (g[j] * gam[j] - m1 - h[j] * m2);
            }
            if (dx >= 0) {
                a.put(dx + r * features, g, 0, features);
            }
        }
        for (int j = 0; j < features; j++) {
            grads.put(dGamma + j, grads.get(dGamma + j) + sumGamma[j]);
            grads.put(dBeta + j, grads.get(dBeta + j) + sumBeta[j]);
        }
    }
}
