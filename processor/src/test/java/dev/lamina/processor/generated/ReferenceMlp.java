package dev.lamina.processor.generated;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.Loss;
import java.util.List;

/**
 * A chain of Dense layers in double, independent of the generated code: the mean loss, its gradient by
 * backpropagation, and {@code H v} by central differences of that gradient with a step of 1e-5 (truncation near
 * 1e-10, rounding near 1e-11 of the gradient's scale): the double-precision reference the R-passes are checked
 * against. Parameters are flat as the toolbox lays them out: per layer its weight {@code [units][features]}, then
 * its bias. Activations use the runtime's constants (float literals).
 */
final class ReferenceMlp {
    /** One Dense layer. */
    record Layer(int units, Activation activation, boolean bias) {
    }

    private static final double SELU_LAMBDA = 1.0507009873554805f;
    private static final double SELU_LAMBDA_ALPHA = 1.7580993408473766f;

    private final int inputs;
    private final List<Layer> layers;
    private final Loss loss;
    private final double labelSmoothing;
    /** Rows per sample: the steps of a sequence, each a row of every layer (1 for vectors). */
    private final int steps;

    ReferenceMlp(int inputs, List<Layer> layers, Loss loss, double labelSmoothing) {
        this(inputs, layers, loss, labelSmoothing, 1);
    }

    /** The same layers applied to each of {@code steps} steps of a sequence. */
    ReferenceMlp(int inputs, List<Layer> layers, Loss loss, double labelSmoothing, int steps) {
        this.inputs = inputs;
        this.layers = layers;
        this.loss = loss;
        this.labelSmoothing = labelSmoothing;
        this.steps = steps;
    }

    /** {@code H v} at {@code w} on the batch. */
    double[] hvp(double[] w, double[] v, float[] x, float[] t, int n) {
        double largest = 0;
        for (double d : v) {
            largest = Math.max(largest, Math.abs(d));
        }
        double e = 1e-5 / largest;
        double[] plus = gradient(shifted(w, e, v), x, t, n);
        double[] minus = gradient(shifted(w, -e, v), x, t, n);
        double[] out = new double[w.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = (plus[k] - minus[k]) / (2 * e);
        }
        return out;
    }

    private static double[] shifted(double[] w, double e, double[] v) {
        double[] s = w.clone();
        for (int k = 0; k < s.length; k++) {
            s[k] += e * v[k];
        }
        return s;
    }

    /**
     * The gradient of the mean loss at {@code w}: over samples, and over steps too for the softmax cross-entropy
     * (which a sequence output takes at every step).
     */
    double[] gradient(double[] w, float[] x, float[] t, int samples) {
        int n = samples * steps;
        int depth = layers.size();
        double[][] z = new double[depth + 1][];
        double[][] pre = new double[depth][];
        int[] offset = new int[depth];
        int[] fanIn = new int[depth];
        z[0] = new double[n * inputs];
        for (int i = 0; i < z[0].length; i++) {
            z[0][i] = x[i];
        }
        int at = 0;
        int features = inputs;
        for (int l = 0; l < depth; l++) {
            Layer layer = layers.get(l);
            offset[l] = at;
            fanIn[l] = features;
            int u = layer.units();
            pre[l] = new double[n * u];
            z[l + 1] = new double[n * u];
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < u; j++) {
                    double s = layer.bias() ? w[at + u * features + j] : 0;
                    for (int f = 0; f < features; f++) {
                        s += w[at + j * features + f] * z[l][r * features + f];
                    }
                    pre[l][r * u + j] = s;
                    z[l + 1][r * u + j] = apply(layer.activation(), s);
                }
            }
            at += u * features + (layer.bias() ? u : 0);
            features = u;
        }
        double[] g = new double[w.length];
        double[] delta = outputGradient(z[depth], t, n, features);
        if (loss != Loss.SOFTMAX_CROSS_ENTROPY) {
            for (int i = 0; i < delta.length; i++) {
                delta[i] *= steps; // the mean over samples, not over steps
            }
        }
        for (int l = depth - 1; l >= 0; l--) {
            Layer layer = layers.get(l);
            int u = layer.units();
            int f0 = fanIn[l];
            double[] below = new double[n * f0];
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < u; j++) {
                    double da = delta[r * u + j] * derivative(layer.activation(), pre[l][r * u + j]);
                    if (layer.bias()) {
                        g[offset[l] + u * f0 + j] += da;
                    }
                    for (int f = 0; f < f0; f++) {
                        g[offset[l] + j * f0 + f] += da * z[l][r * f0 + f];
                        below[r * f0 + f] += w[offset[l] + j * f0 + f] * da;
                    }
                }
            }
            delta = below;
        }
        return g;
    }

    /** The mean loss's gradient at the outputs {@code y}, {@code k} a row. */
    private double[] outputGradient(double[] y, float[] t, int n, int k) {
        double[] d = new double[n * k];
        for (int r = 0; r < n; r++) {
            if (loss == Loss.SOFTMAX_CROSS_ENTROPY) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    max = Math.max(max, y[r * k + j]);
                }
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    sum += Math.exp(y[r * k + j] - max);
                }
                double targets = 0;
                double[] target = new double[k];
                for (int j = 0; j < k; j++) {
                    target[j] = t[r * k + j] * (1 - labelSmoothing) + (1 - t[r * k + j]) * labelSmoothing / (k - 1);
                    targets += target[j];
                }
                for (int j = 0; j < k; j++) {
                    d[r * k + j] = (Math.exp(y[r * k + j] - max) / sum * targets - target[j]) / n;
                }
            } else {
                for (int j = 0; j < k; j++) {
                    int i = r * k + j;
                    d[i] = (loss == Loss.MEAN_SQUARED_ERROR ? y[i] : 1 / (1 + Math.exp(-y[i]))) - t[i];
                    d[i] /= n;
                }
            }
        }
        return d;
    }

    private static double apply(Activation act, double u) {
        return switch (act) {
            case IDENTITY -> u;
            case SIGMOID -> 1 / (1 + Math.exp(-u));
            case TANH -> Math.tanh(u);
            case RELU -> Math.max(u, 0);
            case LEAKY_RELU -> u > 0 ? u : (double) 0.01f * u;
            case ELU -> u >= 0 ? u : Math.expm1(u);
            case SELU -> u > 0 ? SELU_LAMBDA * u : SELU_LAMBDA_ALPHA * Math.expm1(u);
            case SOFTPLUS -> u > 20 ? u : Math.log1p(Math.exp(u));
            case RELU6 -> Math.min(Math.max(u, 0), 6);
            case STEP -> u >= 0 ? 1 : 0;
        };
    }

    private static double derivative(Activation act, double u) {
        return switch (act) {
            case IDENTITY -> 1;
            case SIGMOID -> apply(act, u) * (1 - apply(act, u));
            case TANH -> 1 - Math.tanh(u) * Math.tanh(u);
            case RELU -> u > 0 ? 1 : 0;
            case LEAKY_RELU -> u > 0 ? 1 : (double) 0.01f;
            case ELU -> u > 0 ? 1 : Math.exp(u);
            case SELU -> u > 0 ? SELU_LAMBDA : SELU_LAMBDA_ALPHA * Math.exp(u);
            case SOFTPLUS -> u > 20 ? 1 : 1 / (1 + Math.exp(-u));
            case RELU6 -> u > 0 && u < 6 ? 1 : 0;
            case STEP -> 0;
        };
    }
}
