package dev.lamina.runtime.kernels;

import java.nio.FloatBuffer;

/**
 * Batch-norm statistics over {@code rows x channels} (channels last: a dense layer's features, or a convolution's
 * channels over batch, height and width). The affine transform and the activation are generated and fused; these
 * kernels compute the normalised values and the gradient through the statistics.
 */
public final class Normalization {
    private Normalization() {
    }

    /**
     * Training mode: normalises with the batch statistics, writes {@code xhat}, keeps {@code 1/sqrt(var + eps)} per
     * channel in {@code invStd}, and moves the running statistics (unbiased variance) by {@code momentum}.
     */
    public static void normalizeTraining(FloatBuffer x, int xOff, int rows, int channels, float epsilon,
                                         float momentum, FloatBuffer xhat, int xhatOff, float[] invStd,
                                         FloatBuffer running, int meanOff, int varOff) {
        double[] mean = new double[channels];
        double[] var = new double[channels];
        for (int r = 0; r < rows; r++) {
            int base = xOff + r * channels;
            for (int ch = 0; ch < channels; ch++) {
                mean[ch] += x.get(base + ch);
            }
        }
        for (int ch = 0; ch < channels; ch++) {
            mean[ch] /= rows;
        }
        for (int r = 0; r < rows; r++) {
            int base = xOff + r * channels;
            for (int ch = 0; ch < channels; ch++) {
                double d = x.get(base + ch) - mean[ch];
                var[ch] += d * d;
            }
        }
        for (int ch = 0; ch < channels; ch++) {
            double biased = var[ch] / rows;
            invStd[ch] = (float) (1.0 / Math.sqrt(biased + epsilon));
            double unbiased = rows > 1 ? var[ch] / (rows - 1) : biased;
            running.put(meanOff + ch, (float) ((1 - momentum) * running.get(meanOff + ch) + momentum * mean[ch]));
            running.put(varOff + ch, (float) ((1 - momentum) * running.get(varOff + ch) + momentum * unbiased));
        }
        float[] m = new float[channels];
        for (int ch = 0; ch < channels; ch++) {
            m[ch] = (float) mean[ch];
        }
        for (int r = 0; r < rows; r++) {
            int base = r * channels;
            for (int ch = 0; ch < channels; ch++) {
                xhat.put(xhatOff + base + ch, (x.get(xOff + base + ch) - m[ch]) * invStd[ch]);
            }
        }
    }

    /** Inference mode: normalises with the running statistics. */
    public static void normalizeInference(FloatBuffer x, int xOff, int rows, int channels, float epsilon,
                                          FloatBuffer xhat, int xhatOff, FloatBuffer running, int meanOff,
                                          int varOff) {
        for (int r = 0; r < rows; r++) {
            int base = r * channels;
            for (int ch = 0; ch < channels; ch++) {
                float inv = (float) (1.0 / Math.sqrt(running.get(varOff + ch) + epsilon));
                xhat.put(xhatOff + base + ch, (x.get(xOff + base + ch) - running.get(meanOff + ch)) * inv);
            }
        }
    }

    /**
     * Given {@code dy} (the gradient at the affine output, activation already applied), writes the gamma and beta
     * gradients and {@code dx = gamma invStd / m (m dy - sum dy - xhat sum(dy xhat))}.
     */
    public static void backward(FloatBuffer dy, int dyOff, FloatBuffer xhat, int xhatOff, int rows, int channels,
                                FloatBuffer params, int gammaOff, float[] invStd, FloatBuffer grads,
                                int dGammaOff, int dBetaOff, FloatBuffer dx, int dxOff) {
        double[] dGamma = new double[channels];
        double[] dBeta = new double[channels];
        for (int r = 0; r < rows; r++) {
            int base = r * channels;
            for (int ch = 0; ch < channels; ch++) {
                float g = dy.get(dyOff + base + ch);
                dBeta[ch] += g;
                dGamma[ch] += g * xhat.get(xhatOff + base + ch);
            }
        }
        float[] scale = new float[channels];
        float[] meanDy = new float[channels];
        float[] meanDyXhat = new float[channels];
        for (int ch = 0; ch < channels; ch++) {
            grads.put(dGammaOff + ch, (float) dGamma[ch]);
            grads.put(dBetaOff + ch, (float) dBeta[ch]);
            scale[ch] = params.get(gammaOff + ch) * invStd[ch];
            meanDy[ch] = (float) (dBeta[ch] / rows);
            meanDyXhat[ch] = (float) (dGamma[ch] / rows);
        }
        for (int r = 0; r < rows; r++) {
            int base = r * channels;
            for (int ch = 0; ch < channels; ch++) {
                float g = dy.get(dyOff + base + ch) - meanDy[ch] - xhat.get(xhatOff + base + ch) * meanDyXhat[ch];
                dx.put(dxOff + base + ch, scale[ch] * g);
            }
        }
    }
}
