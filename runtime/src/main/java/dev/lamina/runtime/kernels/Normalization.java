package dev.lamina.runtime.kernels;

import dev.lamina.runtime.Worker;
import java.nio.FloatBuffer;

/**
 * Batch-norm statistics over {@code rows x channels} (channels last: a dense layer's features, or a convolution's
 * channels over batch, height and width). The affine transform and the activation are generated and fused; these
 * kernels compute the normalised values and the gradient through the statistics. Each worker passes its own
 * rows; the per-channel sums are combined over the workers ({@link Worker#allReduce}) so the statistics are the
 * whole batch's.
 */
public final class Normalization {
    private Normalization() {
    }

    /**
     * Training mode: normalises this worker's {@code rows} with the statistics of all {@code totalRows}, writes
     * {@code xhat}, and on worker 0 keeps {@code 1/sqrt(var + eps)} per channel in {@code invStd} for the backward
     * pass and moves the running statistics (unbiased variance) by {@code momentum}.
     */
    public static void normalizeTraining(FloatBuffer x, int xOff, int rows, int totalRows, int channels,
                                         float epsilon, float momentum, FloatBuffer xhat, int xhatOff,
                                         float[] invStd, FloatBuffer running, int meanOff, int varOff,
                                         Worker worker) {
        double[] sums = worker.doubles(2 * channels);
        for (int r = 0; r < rows; r++) {
            int base = xOff + r * channels;
            for (int ch = 0; ch < channels; ch++) {
                double v = x.get(base + ch);
                sums[ch] += v;
                sums[channels + ch] += v * v;
            }
        }
        worker.allReduce(sums, 2 * channels);
        float[] mean = Scratch.get(0, channels);
        float[] inv = Scratch.get(1, channels);
        for (int ch = 0; ch < channels; ch++) {
            double m = sums[ch] / totalRows;
            double biased = Math.max(sums[channels + ch] / totalRows - m * m, 0.0);
            mean[ch] = (float) m;
            inv[ch] = (float) (1.0 / Math.sqrt(biased + epsilon));
            if (worker.index() == 0) {
                invStd[ch] = inv[ch];
                double unbiased = totalRows > 1 ? biased * totalRows / (totalRows - 1) : biased;
                running.put(meanOff + ch, (float) ((1 - momentum) * running.get(meanOff + ch) + momentum * m));
                running.put(varOff + ch, (float) ((1 - momentum) * running.get(varOff + ch) + momentum * unbiased));
            }
        }
        for (int r = 0; r < rows; r++) {
            int base = r * channels;
            for (int ch = 0; ch < channels; ch++) {
                xhat.put(xhatOff + base + ch, (x.get(xOff + base + ch) - mean[ch]) * inv[ch]);
            }
        }
    }

    /** Inference mode: normalises with the running statistics. */
    public static void normalizeInference(FloatBuffer x, int xOff, int rows, int channels, float epsilon,
                                          FloatBuffer xhat, int xhatOff, FloatBuffer running, int meanOff,
                                          int varOff) {
        float[] inv = Scratch.get(1, channels);
        for (int ch = 0; ch < channels; ch++) {
            inv[ch] = (float) (1.0 / Math.sqrt(running.get(varOff + ch) + epsilon));
        }
        for (int r = 0; r < rows; r++) {
            int base = r * channels;
            for (int ch = 0; ch < channels; ch++) {
                xhat.put(xhatOff + base + ch, (x.get(xOff + base + ch) - running.get(meanOff + ch)) * inv[ch]);
            }
        }
    }

    /**
     * Given {@code dy} (the gradient at the affine output, activation already applied) for this worker's rows, adds
     * their part of the gamma and beta gradients to {@code grads} and writes
     * {@code dx = gamma invStd / m (m dy - sum dy - xhat sum(dy xhat))}, the sums over all {@code totalRows}.
     */
    public static void backward(FloatBuffer dy, int dyOff, FloatBuffer xhat, int xhatOff, int rows, int totalRows,
                                int channels, FloatBuffer params, int gammaOff, float[] invStd, FloatBuffer grads,
                                int dGammaOff, int dBetaOff, FloatBuffer dx, int dxOff, Worker worker) {
        double[] sums = worker.doubles(2 * channels);
        for (int r = 0; r < rows; r++) {
            int base = r * channels;
            for (int ch = 0; ch < channels; ch++) {
                float g = dy.get(dyOff + base + ch);
                sums[ch] += g;
                sums[channels + ch] += g * xhat.get(xhatOff + base + ch);
            }
        }
        for (int ch = 0; ch < channels; ch++) {
            grads.put(dBetaOff + ch, grads.get(dBetaOff + ch) + (float) sums[ch]);
            grads.put(dGammaOff + ch, grads.get(dGammaOff + ch) + (float) sums[channels + ch]);
        }
        worker.allReduce(sums, 2 * channels);
        float[] scale = Scratch.get(0, channels);
        float[] meanDy = Scratch.get(1, channels);
        float[] meanDyXhat = Scratch.get(2, channels);
        for (int ch = 0; ch < channels; ch++) {
            scale[ch] = params.get(gammaOff + ch) * invStd[ch];
            meanDy[ch] = (float) (sums[ch] / totalRows);
            meanDyXhat[ch] = (float) (sums[channels + ch] / totalRows);
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
