package dev.lamina.runtime.kernels;

import dev.lamina.runtime.Worker;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Batch-norm statistics over {@code rows x channels} (channels last: a dense layer's features, or a convolution's
 * channels over batch, height and width). These kernels fold the statistics and gamma, beta into one
 * {@code scale x + shift} per channel, which the generated epilogue applies together with the activation in one
 * pass over the input: the normalised values are never stored, and the backward pass computes them again from the
 * input, with the gradient through the statistics. Each worker passes its own
 * rows; the per-channel sums are combined over the workers ({@link Worker#allReduce}) so the statistics are the
 * whole batch's.
 *
 * <p>Every pass works on blocks of whole rows copied to the heap, with the per-channel values tiled across the
 * block, so that each loop runs over one flat index (the form the JIT vectorises), and each loop is a small
 * method of its own: C2 left the same loops scalar inside the larger kernel methods. Sums accumulate per position
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
     * Training mode: the statistics of all {@code totalRows} (each worker passes its own {@code rows}), folded
     * with gamma and beta into {@code y = scale x + shift} per channel. Worker 0 writes {@code mean},
     * {@code invStd} ({@code 1/sqrt(var + eps)}, for the backward pass), {@code scale} and {@code shift}, and
     * moves the running statistics (unbiased variance) by {@code momentum}; every worker returns after they are
     * written. The generated epilogue then applies the transform and the activation in one pass over {@code x}.
     */
    public static void training(BatchNormGeometry g, FloatBuffer x, int xOff, int rows, int n, FloatBuffer params,
                                int gammaOff, int betaOff, float[] mean, float[] invStd, float[] scale,
                                float[] shift, FloatBuffer running, int meanOff, int varOff, Worker worker) {
        training(x, xOff, rows * g.positions(), n * g.positions(), g.channels(), g.epsilon(), g.momentum(), params,
                gammaOff, betaOff, mean, invStd, scale, shift, running, meanOff, varOff, worker);
    }

    /** {@link #training(BatchNormGeometry, FloatBuffer, int, int, int, FloatBuffer, int, int, float[], float[],
     * float[], float[], FloatBuffer, int, int, Worker)} over {@code rows} of {@code totalRows} positions. */
    private static void training(FloatBuffer x, int xOff, int rows, int totalRows, int channels, float epsilon,
                                 float momentum, FloatBuffer params, int gammaOff, int betaOff, float[] mean,
                                 float[] invStd, float[] scale, float[] shift, FloatBuffer running, int meanOff,
                                 int varOff, Worker worker) {
        int block = blockRows(channels);
        int span = block * channels;
        float[] v = Scratch.get(0, span);
        float[] shiftTiled = Scratch.get(1, span);
        float[] sum = Scratch.get(2, span);
        float[] squares = Scratch.get(3, span);
        float[] around = Scratch.get(4, channels);
        running.get(meanOff, around, 0, channels);
        tile(around, channels, shiftTiled, block);
        Arrays.fill(sum, 0, span, 0f);
        Arrays.fill(squares, 0, span, 0f);
        for (int first = 0; first < rows; first += block) {
            int length = Math.min(block, rows - first) * channels;
            x.get(xOff + first * channels, v, 0, length);
            accumulateMoments(v, shiftTiled, sum, squares, length);
        }
        double[] sums = worker.doubles(2 * channels);
        fold(sum, block, channels, sums, 0);
        fold(squares, block, channels, sums, channels);
        worker.allReduce(sums, 2 * channels);
        if (worker.index() == 0) {
            for (int ch = 0; ch < channels; ch++) {
                double shifted = sums[ch] / totalRows;
                double m = around[ch] + shifted;
                double biased = Math.max(sums[channels + ch] / totalRows - shifted * shifted, 0.0);
                mean[ch] = (float) m;
                invStd[ch] = (float) (1.0 / Math.sqrt(biased + epsilon));
                scale[ch] = params.get(gammaOff + ch) * invStd[ch];
                shift[ch] = params.get(betaOff + ch) - mean[ch] * scale[ch];
                double unbiased = totalRows > 1 ? biased * totalRows / (totalRows - 1) : biased;
                running.put(meanOff + ch, (float) ((1 - momentum) * running.get(meanOff + ch) + momentum * m));
                running.put(varOff + ch, (float) ((1 - momentum) * running.get(varOff + ch) + momentum * unbiased));
            }
        }
        worker.barrier();
    }

    /**
     * Inference mode: {@code scale} and {@code shift} from the running statistics, and the {@code mean} and
     * {@code invStd} they use, for a backward pass in inference mode (worker 0 writes them).
     */
    public static void inference(BatchNormGeometry g, FloatBuffer params, int gammaOff, int betaOff, float[] mean,
                                 float[] invStd, float[] scale, float[] shift, FloatBuffer running, int meanOff,
                                 int varOff, Worker worker) {
        inference(params, gammaOff, betaOff, g.channels(), g.epsilon(), mean, invStd, scale, shift, running, meanOff,
                varOff, worker);
    }

    private static void inference(FloatBuffer params, int gammaOff, int betaOff, int channels, float epsilon,
                                  float[] mean, float[] invStd, float[] scale, float[] shift, FloatBuffer running,
                                  int meanOff, int varOff, Worker worker) {
        if (worker.index() == 0) {
            for (int ch = 0; ch < channels; ch++) {
                double std = Math.sqrt(running.get(varOff + ch) + epsilon);
                mean[ch] = running.get(meanOff + ch);
                invStd[ch] = (float) (1 / std);
                scale[ch] = (float) (params.get(gammaOff + ch) / std);
                shift[ch] = params.get(betaOff + ch) - running.get(meanOff + ch) * scale[ch];
            }
        }
        worker.barrier();
    }

    /**
     * Given {@code dy} (the gradient at the affine output, activation already applied) for this worker's rows, adds
     * their part of the gamma and beta gradients to {@code grads} and writes {@code dx}. With {@code
     * batchStatistics} (training mode) {@code mean} and {@code invStd} are the batch's, functions of every row:
     * {@code dx = gamma invStd / m (m dy - sum dy - xhat sum(dy xhat))}, the sums over all {@code totalRows}.
     * Without (inference mode) they are the running statistics, constants: the layer is an affine map and
     * {@code dx = gamma invStd dy}.
     */
    public static void backward(BatchNormGeometry g, FloatBuffer dy, int dyOff, FloatBuffer x, int xOff, int rows,
                                int n, FloatBuffer params, int gammaOff, float[] mean, float[] invStd,
                                boolean batchStatistics, FloatBuffer grads, int dGammaOff, int dBetaOff,
                                FloatBuffer dx, int dxOff, Worker worker) {
        backward(dy, dyOff, x, xOff, rows * g.positions(), n * g.positions(), g.channels(), params, gammaOff, mean,
                invStd, batchStatistics, grads, dGammaOff, dBetaOff, dx, dxOff, worker);
    }

    private static void backward(FloatBuffer dy, int dyOff, FloatBuffer x, int xOff, int rows, int totalRows,
                                 int channels, FloatBuffer params, int gammaOff, float[] mean, float[] invStd,
                                 boolean batchStatistics, FloatBuffer grads, int dGammaOff, int dBetaOff,
                                 FloatBuffer dx, int dxOff, Worker worker) {
        Blocks b = Blocks.start(channels, mean, invStd);
        for (int first = 0; first < rows; first += b.rows) {
            int length = Math.min(b.rows, rows - first) * channels;
            dy.get(dyOff + first * channels, b.g, 0, length);
            x.get(xOff + first * channels, b.h, 0, length);
            accumulateGradientSums(b.g, b.h, b.meanTiled, b.invTiled, b.sum, b.products, length);
        }
        finishBackward(b, dy, dyOff, x, xOff, rows, totalRows, channels, params, gammaOff, invStd, batchStatistics,
                grads, dGammaOff, dBetaOff, dx, dxOff, worker);
    }

    /**
     * {@link #backward} for a batch norm whose ReLU ran in the same forward epilogue, {@code y = max(scale x +
     * shift, 0)}: {@code dy} is the gradient at {@code y}, and ReLU's derivative is applied to each block as the
     * first pass reads it, from {@code x} and the forward pass's {@code scale} and {@code shift} (the same float
     * arithmetic, so the same zeros). That saves a pass over the output and the gradient. The first pass also
     * stores the masked gradient in {@code dx}, where the second reads it back: one store instead of the derivative
     * computed again (2% faster training of the peers' ResNet); so {@code dx} may be {@code dy} but must not
     * overlap {@code x}, which the second pass reads again. A first pass of its own rather than a flag of
     * {@link #backward}: one method holding both loops' variants took C2 a second to compile, twice over.
     */
    public static void backwardThroughRelu(BatchNormGeometry g, FloatBuffer dy, int dyOff, FloatBuffer x, int xOff,
                                           int rows, int n, FloatBuffer params, int gammaOff, float[] mean,
                                           float[] invStd, float[] scale, float[] shift, boolean batchStatistics,
                                           FloatBuffer grads, int dGammaOff, int dBetaOff, FloatBuffer dx,
                                           int dxOff, Worker worker) {
        backwardThroughRelu(dy, dyOff, x, xOff, rows * g.positions(), n * g.positions(), g.channels(), params,
                gammaOff, mean, invStd, scale, shift, batchStatistics, grads, dGammaOff, dBetaOff, dx, dxOff, worker);
    }

    private static void backwardThroughRelu(FloatBuffer dy, int dyOff, FloatBuffer x, int xOff, int rows,
                                            int totalRows, int channels, FloatBuffer params, int gammaOff,
                                            float[] mean, float[] invStd, float[] scale, float[] shift,
                                            boolean batchStatistics, FloatBuffer grads, int dGammaOff,
                                            int dBetaOff, FloatBuffer dx, int dxOff, Worker worker) {
        Blocks b = Blocks.start(channels, mean, invStd);
        int span = b.rows * channels;
        float[] scaleTiled = Scratch.get(8, span);
        float[] shiftTiled = Scratch.get(9, span);
        tile(scale, channels, scaleTiled, b.rows);
        tile(shift, channels, shiftTiled, b.rows);
        for (int first = 0; first < rows; first += b.rows) {
            int length = Math.min(b.rows, rows - first) * channels;
            dy.get(dyOff + first * channels, b.g, 0, length);
            x.get(xOff + first * channels, b.h, 0, length);
            reluGradient(b.g, b.h, scaleTiled, shiftTiled, length);
            accumulateGradientSums(b.g, b.h, b.meanTiled, b.invTiled, b.sum, b.products, length);
            dx.put(dxOff + first * channels, b.g, 0, length);
        }
        finishBackward(b, dx, dxOff, x, xOff, rows, totalRows, channels, params, gammaOff, invStd, batchStatistics,
                grads, dGammaOff, dBetaOff, dx, dxOff, worker);
    }

    /**
     * A backward pass's heap blocks of {@code rows} rows: the gradient and input blocks, the two per-position
     * accumulators, and {@code mean} and {@code invStd} tiled over a block. Both variants' first passes fill the
     * accumulators; {@link #finishBackward} does the rest. One per thread, refilled by {@link #start}, so that a
     * training step allocates nothing.
     */
    private static final class Blocks {
        private static final ThreadLocal<Blocks> OWN = ThreadLocal.withInitial(Blocks::new);

        int rows;
        float[] g;
        float[] h;
        float[] sum;
        float[] products;
        float[] meanTiled;
        float[] invTiled;

        /** This thread's blocks for {@code channels}, with the statistics tiled and the accumulators cleared. */
        static Blocks start(int channels, float[] mean, float[] invStd) {
            Blocks b = OWN.get();
            b.rows = blockRows(channels);
            int span = b.rows * channels;
            b.g = Scratch.get(0, span);
            b.h = Scratch.get(1, span);
            b.sum = Scratch.get(2, span);
            b.products = Scratch.get(3, span);
            b.meanTiled = Scratch.get(4, span);
            b.invTiled = Scratch.get(5, span);
            tile(mean, channels, b.meanTiled, b.rows);
            tile(invStd, channels, b.invTiled, b.rows);
            Arrays.fill(b.sum, 0, span, 0f);
            Arrays.fill(b.products, 0, span, 0f);
            return b;
        }
    }

    /**
     * The second half of a backward pass, once the first has accumulated its sums: reduces them over the workers,
     * then writes {@code dx} from {@code gradient} (the gradient at the affine output: {@code dy}, or the masked
     * copy {@link #backwardThroughRelu} left in {@code dx}) and {@code x}, block by block.
     */
    private static void finishBackward(Blocks b, FloatBuffer gradient, int gradientOff, FloatBuffer x, int xOff,
                                       int rows, int totalRows, int channels, FloatBuffer params, int gammaOff,
                                       float[] invStd, boolean batchStatistics, FloatBuffer grads, int dGammaOff,
                                       int dBetaOff, FloatBuffer dx, int dxOff, Worker worker) {
        float[] meanDyXhatTiled = Scratch.get(7, b.rows * channels);
        reduceGradientSums(b.rows, channels, totalRows, params, gammaOff, invStd, batchStatistics, grads, dGammaOff,
                dBetaOff, b.sum, b.products, meanDyXhatTiled, worker);
        for (int first = 0; first < rows; first += b.rows) {
            int length = Math.min(b.rows, rows - first) * channels;
            gradient.get(gradientOff + first * channels, b.g, 0, length);
            x.get(xOff + first * channels, b.h, 0, length);
            inputGradient(b.g, b.h, b.meanTiled, b.invTiled, b.sum, b.products, meanDyXhatTiled, length);
            dx.put(dxOff + first * channels, b.g, 0, length);
        }
    }

    /**
     * Folds the per-position sums of {@code dy} ({@code sum}) and {@code dy xhat} ({@code products}) into
     * per-channel ones, adds this worker's part to the beta and gamma gradients, sums them over the workers, and
     * tiles what the input gradient needs over the block: {@code gamma invStd} into {@code sum}, the mean of
     * {@code dy} into {@code products}, the mean of {@code dy xhat} into {@code meanDyXhatTiled}. Without
     * {@code batchStatistics} the two means are zeros: constant statistics take no part of the gradient.
     */
    private static void reduceGradientSums(int block, int channels, int totalRows, FloatBuffer params, int gammaOff,
                                           float[] invStd, boolean batchStatistics, FloatBuffer grads,
                                           int dGammaOff, int dBetaOff, float[] sum, float[] products,
                                           float[] meanDyXhatTiled, Worker worker) {
        double[] sums = worker.doubles(2 * channels);
        fold(sum, block, channels, sums, 0);
        fold(products, block, channels, sums, channels);
        for (int ch = 0; ch < channels; ch++) {
            grads.put(dBetaOff + ch, grads.get(dBetaOff + ch) + (float) sums[ch]);
            grads.put(dGammaOff + ch, grads.get(dGammaOff + ch) + (float) sums[channels + ch]);
        }
        worker.allReduce(sums, 2 * channels);
        float[] perChannel = Scratch.get(6, 3 * channels);
        for (int ch = 0; ch < channels; ch++) {
            perChannel[ch] = params.get(gammaOff + ch) * invStd[ch];
            perChannel[channels + ch] = batchStatistics ? (float) (sums[ch] / totalRows) : 0f;
            perChannel[2 * channels + ch] = batchStatistics ? (float) (sums[channels + ch] / totalRows) : 0f;
        }
        for (int r = 0; r < block; r++) {
            System.arraycopy(perChannel, 0, sum, r * channels, channels);
            System.arraycopy(perChannel, channels, products, r * channels, channels);
            System.arraycopy(perChannel, 2 * channels, meanDyXhatTiled, r * channels, channels);
        }
    }

    /** Per position of the block: the sums of {@code x - s} and of its square, around the running mean {@code s}. */
    private static void accumulateMoments(float[] v, float[] around, float[] sum, float[] squares, int length) {
        for (int i = 0; i < length; i++) {
            float d = v[i] - around[i];
            sum[i] += d;
            squares[i] += d * d;
        }
    }

    /** Per position of the block: the sums of {@code dy} and of {@code dy xhat} ({@code xhat} again from x). */
    private static void accumulateGradientSums(float[] g, float[] h, float[] meanTiled, float[] invTiled,
                                               float[] sum, float[] products, int length) {
        for (int i = 0; i < length; i++) {
            float xhat = (h[i] - meanTiled[i]) * invTiled[i];
            sum[i] += g[i];
            products[i] += g[i] * xhat;
        }
    }

    /**
     * {@code g *= relu'(u)} with {@code u = scale x + shift} as the forward epilogue computed it; branch-free (so
     * that it vectorises): {@code max(u, 0) 2^200} reaches 1 for every positive u and stays 0 otherwise. A loop of
     * its own: fused into the sums' loop, C2 left that loop scalar (the bench's ResNet trained 20% slower).
     */
    private static void reluGradient(float[] g, float[] x, float[] scale, float[] shift, int length) {
        for (int i = 0; i < length; i++) {
            float y = Math.max(scale[i] * x[i] + shift[i], 0f);
            g[i] = g[i] * Math.min(y * 0x1p100f * 0x1p100f, 1f);
        }
    }

    /** {@code g = gamma invStd (dy - mean(dy) - xhat mean(dy xhat))}, in place over one block. */
    private static void inputGradient(float[] g, float[] h, float[] meanTiled, float[] invTiled, float[] scaleTiled,
                                      float[] meanDyTiled, float[] meanDyXhatTiled, int length) {
        for (int i = 0; i < length; i++) {
            float xhat = (h[i] - meanTiled[i]) * invTiled[i];
            g[i] = scaleTiled[i] * (g[i] - meanDyTiled[i] - xhat * meanDyXhatTiled[i]);
        }
    }
}
