package dev.lamina.runtime.analysis.hessian;

import dev.lamina.dsl.Loss;
import dev.lamina.runtime.Model;
import java.util.ArrayList;
import java.util.List;

/**
 * The outer-product (Gauss-Newton, Levenberg-Marquardt) approximation of the mean loss's Hessian: the second
 * derivatives of the network's outputs are dropped, what is left is {@code (1/N) sum_n J_n^T L_n J_n} with
 * {@code J_n} sample {@code n}'s output Jacobian with respect to the parameters and {@code L_n} the loss's Hessian
 * with respect to the outputs. Kept as the vectors {@code b} of {@code sum b b^T}, {@code b = J_n^T c / sqrt(N)}
 * for a factorisation {@code L_n = sum c c^T}: for the squared error {@code c = e_k} (so {@code sum_n J_n^T J_n /
 * N}), for the sigmoid cross-entropy {@code c = sqrt(p_k (1 - p_k)) e_k}, for the softmax cross-entropy
 * {@code c = sqrt(p_k) (e_k - p)} ({@code diag(p) - p p^T = sum_k p_k (e_k - p)(e_k - p)^T}, as targets sum to 1).
 * Each {@code J_n^T c} is one backward pass from output gradient {@code c} ({@link Model#backward(int, float[])})
 * on a one-row batch, in inference mode: {@code N x outputSize} forward and backward passes. It equals the
 * Hessian where the residuals vanish (targets equal to the outputs).
 */
public final class GaussNewton {
    private final int size;
    private final List<double[]> vectors;

    private GaussNewton(int size, List<double[]> vectors) {
        this.size = size;
        this.vectors = vectors;
    }

    /**
     * {@return the approximation on the {@code n} samples of {@code inputs} (one after another, as {@link
     * Model#setInput} takes them), vectors flattened in {@link Model#parameterTensors()} order}
     *
     * @param model the network (its mode and parameters are left as they were)
     * @param inputs {@code n x inputSize} values
     * @param n the number of samples
     * @throws IllegalArgumentException when the output is scored at several steps (a sequence)
     */
    public static GaussNewton of(Model model, float[] inputs, int n) {
        if (model.state().outputSteps() > 1) {
            throw new IllegalArgumentException("expected one output per sample, found " + model.name()
                    + " scoring " + model.state().outputSteps() + " steps; the outer-product approximation here"
                    + " covers networks with one output row per sample");
        }
        int out = model.outputSize();
        int in = model.inputSize();
        ModelBatch batch = new ModelBatch(model, inputs, new float[n * out], n);
        List<double[]> vectors = new ArrayList<>();
        batch.holding(false, () -> {
            double scale = 1 / Math.sqrt(n);
            float[] seed = new float[out];
            for (int r = 0; r < n; r++) {
                model.reserve(1);
                model.setInput(0, inputs, r * in);
                model.forward(1);
                double[] p = probabilities(model, out);
                for (int k = 0; k < out; k++) {
                    double weight = factor(model.lossKind(), p, k, seed);
                    if (weight == 0) {
                        continue;
                    }
                    model.forward(1);
                    model.backward(1, seed);
                    double[] b = batch.flat.gradient();
                    Vectors.scale(b, scale);
                    vectors.add(b);
                }
            }
            return null;
        });
        return new GaussNewton(batch.flat.size(), List.copyOf(vectors));
    }

    /** The loss's output probabilities for the cross-entropies (the outputs themselves for the squared error). */
    private static double[] probabilities(Model model, int out) {
        double[] y = new double[out];
        for (int k = 0; k < out; k++) {
            y[k] = model.output(0, k);
        }
        if (model.lossKind() == Loss.SIGMOID_CROSS_ENTROPY) {
            for (int k = 0; k < out; k++) {
                y[k] = 1 / (1 + Math.exp(-y[k]));
            }
        } else if (model.lossKind() == Loss.SOFTMAX_CROSS_ENTROPY) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : y) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (int k = 0; k < out; k++) {
                y[k] = Math.exp(y[k] - max);
                sum += y[k];
            }
            Vectors.scale(y, 1 / sum);
        }
        return y;
    }

    /** Writes factor {@code c_k} of the output Hessian into {@code seed}; returns its size (0: nothing to add). */
    private static double factor(Loss loss, double[] p, int k, float[] seed) {
        java.util.Arrays.fill(seed, 0);
        switch (loss) {
            case MEAN_SQUARED_ERROR -> {
                seed[k] = 1;
                return 1;
            }
            case SIGMOID_CROSS_ENTROPY -> {
                double s = Math.sqrt(p[k] * (1 - p[k]));
                seed[k] = (float) s;
                return s;
            }
            case SOFTMAX_CROSS_ENTROPY -> {
                double s = Math.sqrt(p[k]);
                for (int j = 0; j < p.length; j++) {
                    seed[j] = (float) (s * ((j == k ? 1 : 0) - p[j]));
                }
                return s;
            }
            default -> throw new IllegalArgumentException("expected a known loss, found " + loss);
        }
    }

    /** {@return the number of parameters W} */
    public int size() {
        return size;
    }

    /** {@return the vectors {@code b} of {@code sum b b^T}, each {@link #size()} values (not copied: do not change)} */
    public List<double[]> vectors() {
        return vectors;
    }

    /** {@return {@code sum b b^T}, {@code W x W} row-major} */
    public double[] matrix() {
        double[] m = new double[size * size];
        for (double[] b : vectors) {
            for (int i = 0; i < size; i++) {
                double bi = b[i];
                if (bi != 0) {
                    for (int j = 0; j < size; j++) {
                        m[i * size + j] += bi * b[j];
                    }
                }
            }
        }
        return m;
    }

    /**
     * {@return {@code (alpha I + sum b b^T)^-1} by {@link ShermanMorrison}, starting from {@code (alpha I)^-1}}
     *
     * @param alpha the damping, positive
     */
    public double[] inverse(double alpha) {
        return ShermanMorrison.inverse(size, alpha, vectors);
    }
}
