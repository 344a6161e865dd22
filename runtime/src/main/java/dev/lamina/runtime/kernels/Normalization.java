package dev.lamina.runtime.kernels;

import dev.lamina.runtime.Worker;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Batch-norm statistics over {@code rows x channels} (channels last: a dense layer's features, or a convolution's
 * channels over batch, height and width). The affine transform and the activation are generated and fused; these
 * kernels compute the normalised values and the gradient through the statistics. Each worker passes its own
 * rows; the per-channel sums are combined over the workers ({@link Worker#allReduce}) so the statistics are the
 * whole batch's.
 *
 * <p>Every pass works on blocks of whole rows copied to the heap, with the per-channel values tiled across the
 * block, so that each loop runs over one flat index (the form the JIT vectorises). Sums accumulate per position
 * of the block in floats and are folded into doubles per channel at the end. They are taken around the running
 * mean, which keeps the variance {@code E[(x-s)^2] - E[x-s]^2} free of cancellation once the running mean has
 * moved near the batch mean.
 */
public final class Normalization {
    private static final int BLOCK_FLOATS = 4096;

    private Normalization() {
    }

    /** Rows per block for {@code channels}: at least one. */
    private static int blockRows(int channels) {
        return Math.max(1, BLOCK_FLOATS / channels);
    }

    /** {@code values[0, channels)} repeated over {@code rows} rows of {@code tiled}. */
    private static void tile(float[] values, int channels, float[] tiled, int rows) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(values, 0, tiled, r * channels, channels);
        }
    }

    /** Adds each column of a row-tiled accumulator into {@code sums[offset + ch]}. */
    private static void fold(float[] tiled, int rows, int channels, double[] sums, int offset) {
        for (int r = 0; r < rows; r++) {
            for (int ch = 0; ch < channels; ch++) {
                sums[offset + ch] += tiled[r * channels + ch];
            }
        }
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
        int block = blockRows(channels);
        int span = block * channels;
        float[] v = Scratch.get(0, span);
        float[] shift = Scratch.get(1, span);
        float[] sum = Scratch.get(2, span);
        float[] squares = Scratch.get(3, span);
        float[] shiftOne = Scratch.get(4, channels);
        running.get(meanOff, shiftOne, 0, channels);
        tile(shiftOne, channels, shift, block);
        Arrays.fill(sum, 0, span, 0f);
        Arrays.fill(squares, 0, span, 0f);
        for (int first = 0; first < rows; first += block) {
            int length = Math.min(block, rows - first) * channels;
            x.get(xOff + first * channels, v, 0, length);
            for (int i = 0; i < length; i++) {
                float d = v[i] - shift[i];
                sum[i] += d;
                squares[i] += d * d;
            }
        }
        double[] sums = worker.doubles(2 * channels);
        fold(sum, block, channels, sums, 0);
        fold(squares, block, channels, sums, channels);
        worker.allReduce(sums, 2 * channels);
        float[] mean = Scratch.get(5, channels);
        float[] inv = shiftOne;
        for (int ch = 0; ch < channels; ch++) {
            double shifted = sums[ch] / totalRows;
            double m = shiftOne[ch] + shifted;
            double biased = Math.max(sums[channels + ch] / totalRows - shifted * shifted, 0.0);
            mean[ch] = (float) m;
            inv[ch] = (float) (1.0 / Math.sqrt(biased + epsilon));
            if (worker.index() == 0) {
                invStd[ch] = inv[ch];
                double unbiased = totalRows > 1 ? biased * totalRows / (totalRows - 1) : biased;
                running.put(meanOff + ch, (float) ((1 - momentum) * running.get(meanOff + ch) + momentum * m));
                running.put(varOff + ch, (float) ((1 - momentum) * running.get(varOff + ch) + momentum * unbiased));
            }
        }
        normalize(x, xOff, rows, channels, xhat, xhatOff, mean, inv);
    }

    /** {@code xhat = (x - mean) inv}, a block of rows at a time. */
    private static void normalize(FloatBuffer x, int xOff, int rows, int channels, FloatBuffer xhat, int xhatOff,
                                  float[] mean, float[] inv) {
        int block = blockRows(channels);
        int span = block * channels;
        float[] v = Scratch.get(0, span);
        float[] meanTiled = Scratch.get(1, span);
        float[] invTiled = Scratch.get(2, span);
        tile(mean, channels, meanTiled, block);
        tile(inv, channels, invTiled, block);
        for (int first = 0; first < rows; first += block) {
            int length = Math.min(block, rows - first) * channels;
            x.get(xOff + first * channels, v, 0, length);
            for (int i = 0; i < length; i++) {
                v[i] = (v[i] - meanTiled[i]) * invTiled[i];
            }
            xhat.put(xhatOff + first * channels, v, 0, length);
        }
    }

    /** Inference mode: normalises with the running statistics. */
    public static void normalizeInference(FloatBuffer x, int xOff, int rows, int channels, float epsilon,
                                          FloatBuffer xhat, int xhatOff, FloatBuffer running, int meanOff,
                                          int varOff) {
        float[] mean = Scratch.get(4, channels);
        float[] inv = Scratch.get(5, channels);
        running.get(meanOff, mean, 0, channels);
        for (int ch = 0; ch < channels; ch++) {
            inv[ch] = (float) (1.0 / Math.sqrt(running.get(varOff + ch) + epsilon));
        }
        normalize(x, xOff, rows, channels, xhat, xhatOff, mean, inv);
    }

    /**
     * Given {@code dy} (the gradient at the affine output, activation already applied) for this worker's rows, adds
     * their part of the gamma and beta gradients to {@code grads} and writes
     * {@code dx = gamma invStd / m (m dy - sum dy - xhat sum(dy xhat))}, the sums over all {@code totalRows}.
     */
    public static void backward(FloatBuffer dy, int dyOff, FloatBuffer xhat, int xhatOff, int rows, int totalRows,
                                int channels, FloatBuffer params, int gammaOff, float[] invStd, FloatBuffer grads,
                                int dGammaOff, int dBetaOff, FloatBuffer dx, int dxOff, Worker worker) {
        int block = blockRows(channels);
        int span = block * channels;
        float[] g = Scratch.get(0, span);
        float[] h = Scratch.get(1, span);
        float[] sum = Scratch.get(2, span);
        float[] products = Scratch.get(3, span);
        Arrays.fill(sum, 0, span, 0f);
        Arrays.fill(products, 0, span, 0f);
        for (int first = 0; first < rows; first += block) {
            int length = Math.min(block, rows - first) * channels;
            dy.get(dyOff + first * channels, g, 0, length);
            xhat.get(xhatOff + first * channels, h, 0, length);
            for (int i = 0; i < length; i++) {
                sum[i] += g[i];
                products[i] += g[i] * h[i];
            }
        }
        double[] sums = worker.doubles(2 * channels);
        fold(sum, block, channels, sums, 0);
        fold(products, block, channels, sums, channels);
        for (int ch = 0; ch < channels; ch++) {
            grads.put(dBetaOff + ch, grads.get(dBetaOff + ch) + (float) sums[ch]);
            grads.put(dGammaOff + ch, grads.get(dGammaOff + ch) + (float) sums[channels + ch]);
        }
        worker.allReduce(sums, 2 * channels);
        float[] scale = Scratch.get(4, channels);
        float[] meanDy = Scratch.get(5, channels);
        for (int ch = 0; ch < channels; ch++) {
            scale[ch] = params.get(gammaOff + ch) * invStd[ch];
            meanDy[ch] = (float) (sums[ch] / totalRows);
        }
        // the tiles reuse the accumulators' arrays, and scale's once it is tiled
        float[] scaleTiled = sum;
        float[] meanDyTiled = products;
        tile(scale, channels, scaleTiled, block);
        tile(meanDy, channels, meanDyTiled, block);
        float[] meanDyXhatTiled = Scratch.get(4, span);
        for (int r = 0; r < block; r++) {
            for (int ch = 0; ch < channels; ch++) {
                meanDyXhatTiled[r * channels + ch] = (float) (sums[channels + ch] / totalRows);
            }
        }
        for (int first = 0; first < rows; first += block) {
            int length = Math.min(block, rows - first) * channels;
            dy.get(dyOff + first * channels, g, 0, length);
            xhat.get(xhatOff + first * channels, h, 0, length);
            for (int i = 0; i < length; i++) {
                g[i] = scaleTiled[i] * (g[i] - meanDyTiled[i] - h[i] * meanDyXhatTiled[i]);
            }
            dx.put(dxOff + first * channels, g, 0, length);
        }
    }
}
