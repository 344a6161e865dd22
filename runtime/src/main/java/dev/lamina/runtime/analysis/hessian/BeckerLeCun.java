package dev.lamina.runtime.analysis.hessian;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.Loss;
import dev.lamina.runtime.Layer;
import dev.lamina.runtime.LayerOutput;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The diagonal approximation of the Hessian of Becker and LeCun (1989) for a chain of Dense layers: the second
 * derivatives with respect to each unit's pre-activation {@code a_j} are backpropagated with the off-diagonal
 * terms dropped,
 * <pre>
 *   d2E/da_j^2 = h'(a_j)^2 sum_k w_kj^2 d2E/da_k^2 + h''(a_j) sum_k w_kj dE/da_k,
 * </pre>
 * and then {@code d2E/dw_ji^2 = d2E/da_j^2 z_i^2} ({@code z_i} the unit's input) and {@code d2E/db_j^2 =
 * d2E/da_j^2}, per sample, averaged over the batch like the loss. At the output, the loss's own diagonal: the
 * squared error {@code h'^2 + (y - t) h''}, the sigmoid cross-entropy {@code p (1 - p)}, the softmax
 * cross-entropy {@code p (1 - p)} (times the targets' sum). Exact for one layer of weights; elsewhere an
 * approximation (it ignores how the units of a layer interact). One forward pass, in inference mode, reading every
 * layer's output ({@link Layer#output()}) and the activations' {@code h'} and {@code h''} from them.
 *
 * <p>The runtime does not know a layer's activation, so the caller names them, one per Dense layer in
 * declaration order, as the network declares them. Other layer kinds are refused (Flatten only as the first
 * layer of a vector or one-channel input, where it only reshapes it).
 */
public final class BeckerLeCun {
    private BeckerLeCun() {
    }

    /**
     * {@return the diagonal approximation on the {@code n} samples of {@code inputs} and {@code targets}, flattened
     * in {@link Model#parameterTensors()} order} Activation parameters take their defaults.
     *
     * @param model a chain of Dense layers
     * @param inputs {@code n x inputSize} values
     * @param targets {@code n x outputSize} values
     * @param n the number of samples
     * @param activations the Dense layers' activations, in declaration order
     * @throws IllegalArgumentException for another layer kind, a branch, or activations that do not match
     */
    public static double[] diagonal(Model model, float[] inputs, float[] targets, int n, Activation... activations) {
        double[] alphas = new double[activations.length];
        java.util.Arrays.fill(alphas, Double.NaN);
        return diagonal(model, inputs, targets, n, activations, alphas);
    }

    /**
     * {@return the diagonal approximation as {@link #diagonal(Model, float[], float[], int, Activation...)}, with
     * each activation's parameter ({@code alpha} of the Dense annotation; NaN for its default)}
     *
     * @param model a chain of Dense layers
     * @param inputs {@code n x inputSize} values
     * @param targets {@code n x outputSize} values
     * @param n the number of samples
     * @param activations the Dense layers' activations, in declaration order
     * @param alphas their parameters, NaN for the default
     */
    public static double[] diagonal(Model model, float[] inputs, float[] targets, int n, Activation[] activations,
                                    double[] alphas) {
        List<Layer> dense = denseChain(model, activations, alphas);
        ModelBatch batch = new ModelBatch(model, inputs, targets, n);
        List<ActivationDerivatives> h = new ArrayList<>();
        for (int l = 0; l < activations.length; l++) {
            h.add(new ActivationDerivatives(activations[l], alphas[l]));
        }
        if (model.lossKind() != Loss.MEAN_SQUARED_ERROR && activations[activations.length - 1]
                != Activation.IDENTITY) {
            throw new IllegalArgumentException("expected the identity on the output layer for " + model.lossKind()
                    + " (the loss applies its own function), found " + activations[activations.length - 1]);
        }
        return batch.holding(false, () -> {
            batch.forwardLoss();
            double[] diagonal = new double[batch.flat.size()];
            accumulate(batch, dense, h, diagonal);
            Vectors.scale(diagonal, 1.0 / n);
            return diagonal;
        });
    }

    /** Adds every sample's diagonal into {@code diagonal}. */
    private static void accumulate(ModelBatch batch, List<Layer> dense, List<ActivationDerivatives> h,
                                   double[] diagonal) {
        Model model = batch.model;
        int layers = dense.size();
        List<LayerOutput> outputs = new ArrayList<>();
        for (int l = 0; l < layers - 1; l++) {
            outputs.add(dense.get(l).output());
        }
        List<float[]> weights = new ArrayList<>();
        int[] weightBase = new int[layers];
        int[] biasBase = new int[layers];
        for (int l = 0; l < layers; l++) {
            Layer layer = dense.get(l);
            weights.add(layer.weights().toArray());
            weightBase[l] = batch.flat.indexOf(layer.weights(), 0);
            biasBase[l] = hasBias(layer) ? batch.flat.indexOf(layer.bias(), 0) : -1;
        }
        int in = model.inputSize();
        int out = model.outputSize();
        float[] x = batch.inputs();
        float[] t = batch.targets();
        for (int r = 0; r < batch.n; r++) {
            double[][] z = new double[layers + 1][];
            z[0] = new double[in];
            for (int i = 0; i < in; i++) {
                z[0][i] = x[r * in + i];
            }
            for (int l = 0; l < layers - 1; l++) {
                LayerOutput o = outputs.get(l);
                z[l + 1] = new double[o.size()];
                for (int i = 0; i < o.size(); i++) {
                    z[l + 1][i] = o.get(r, i);
                }
            }
            z[layers] = new double[out];
            for (int k = 0; k < out; k++) {
                z[layers][k] = model.output(r, k);
            }
            double[] first = new double[out];
            double[] second = new double[out];
            outputDerivatives(model.lossKind(), h.get(layers - 1), z[layers], t, r * out, first, second);
            for (int l = layers - 1; l >= 0; l--) {
                int units = z[l + 1].length;
                int inputs = z[l].length;
                float[] w = weights.get(l);
                for (int k = 0; k < units; k++) {
                    for (int i = 0; i < inputs; i++) {
                        diagonal[weightBase[l] + k * inputs + i] += second[k] * z[l][i] * z[l][i];
                    }
                    if (biasBase[l] >= 0) {
                        diagonal[biasBase[l] + k] += second[k];
                    }
                }
                if (l == 0) {
                    break;
                }
                ActivationDerivatives act = h.get(l - 1);
                double[] nextFirst = new double[inputs];
                double[] nextSecond = new double[inputs];
                for (int i = 0; i < inputs; i++) {
                    double sumFirst = 0;
                    double sumSecond = 0;
                    for (int k = 0; k < units; k++) {
                        double wki = w[k * inputs + i];
                        sumFirst += wki * first[k];
                        sumSecond += wki * wki * second[k];
                    }
                    double d1 = act.first(z[l][i]);
                    nextFirst[i] = d1 * sumFirst;
                    nextSecond[i] = d1 * d1 * sumSecond + act.second(z[l][i]) * sumFirst;
                }
                first = nextFirst;
                second = nextSecond;
            }
        }
    }

    /** The per-sample loss's first and (diagonal) second derivatives with respect to the output pre-activations. */
    private static void outputDerivatives(Loss loss, ActivationDerivatives h, double[] y, float[] t, int at,
                                          double[] first, double[] second) {
        int out = y.length;
        switch (loss) {
            case MEAN_SQUARED_ERROR -> {
                for (int k = 0; k < out; k++) {
                    double residual = y[k] - t[at + k];
                    double d1 = h.first(y[k]);
                    first[k] = residual * d1;
                    second[k] = d1 * d1 + residual * h.second(y[k]);
                }
            }
            case SIGMOID_CROSS_ENTROPY -> {
                for (int k = 0; k < out; k++) {
                    double p = 1 / (1 + Math.exp(-y[k]));
                    first[k] = p - t[at + k];
                    second[k] = p * (1 - p);
                }
            }
            case SOFTMAX_CROSS_ENTROPY -> {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : y) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                double targetSum = 0;
                double[] p = new double[out];
                for (int k = 0; k < out; k++) {
                    p[k] = Math.exp(y[k] - max);
                    sum += p[k];
                    targetSum += t[at + k];
                }
                for (int k = 0; k < out; k++) {
                    p[k] /= sum;
                    first[k] = targetSum * p[k] - t[at + k];
                    second[k] = targetSum * p[k] * (1 - p[k]);
                }
            }
            default -> throw new IllegalArgumentException("expected a known loss, found " + loss);
        }
    }

    /** The Dense layers, checked to form a chain from the input to the output with one activation each. */
    private static List<Layer> denseChain(Model model, Activation[] activations, double[] alphas) {
        List<Layer> dense = new ArrayList<>();
        List<Layer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (layer.kind().equals("Dense")) {
                dense.add(layer);
            } else if (layer.kind().equals("Flatten") && i == 0) {
                int[] shape = model.inputShape();
                if (shape.length == 3 && shape[0] > 1) {
                    // the arena stores such an input channels last, the order the first Dense layer's weights see
                    throw new IllegalArgumentException("expected a vector or one-channel input before Flatten for"
                            + " the Becker-LeCun diagonal, found input " + java.util.Arrays.toString(shape) + " in "
                            + model.name());
                }
            } else {
                throw new IllegalArgumentException("expected a chain of Dense layers for the Becker-LeCun diagonal,"
                        + " found layer '" + layer.name() + "' (" + layer.kind() + ") in " + model.name()
                        + "; for other layers use HessianMatrix.of(hvp).diagonal() or Hutchinson's products");
            }
        }
        if (dense.isEmpty()) {
            throw new IllegalArgumentException("expected Dense layers in " + model.name() + ", found none");
        }
        if (activations.length != dense.size() || alphas.length != dense.size()) {
            throw new IllegalArgumentException("expected one activation (and one alpha) per Dense layer of "
                    + model.name() + " (" + dense.size() + ": " + dense.stream().map(Layer::name).toList()
                    + "), found " + activations.length + " activations and " + alphas.length + " alphas");
        }
        int size = model.inputSize();
        for (Layer layer : dense) {
            int[] shape = layer.weights().shape();
            if (shape.length != 2 || shape[1] != size) {
                throw new IllegalArgumentException("expected layer '" + layer.name() + "' to read the " + size
                        + " values of the layer before it (a chain), found weights " + java.util.Arrays.toString(
                        shape));
            }
            size = shape[0];
        }
        if (size != model.outputSize()) {
            throw new IllegalArgumentException("expected the last Dense layer to be the output (" + model
                    .outputSize() + " values), found " + size + " units");
        }
        int parameters = 0;
        for (Layer layer : dense) {
            parameters += layer.parameters().stream().mapToInt(Tensor::length).sum();
        }
        if (parameters != model.parameterCount()) {
            throw new IllegalArgumentException("expected every parameter of " + model.name() + " in its Dense"
                    + " layers, found " + parameters + " of " + model.parameterCount());
        }
        return dense;
    }

    private static boolean hasBias(Layer layer) {
        return layer.parameters().stream().anyMatch(p -> p.name().endsWith(".bias"));
    }
}
