package dev.lamina.runtime.train;

import dev.lamina.runtime.Layer;
import dev.lamina.runtime.Model;
import dev.lamina.runtime.Tensor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A constraint on the weights, applied by {@link Trainer} after every optimizer step ({@link
 * Trainer#constraint}). The one kind is the max-norm constraint: each unit's incoming weight vector is renormalised
 * to a Euclidean norm of at most {@code c} ({@code w <- w c / ||w||} when {@code ||w|| > c}; a vector already
 * within the bound is left bit for bit as it was).
 *
 * <p>A unit's incoming vector is one slice of a weight tensor along its unit axis ({@link Tensor}'s layouts):
 * <ul>
 *   <li>the first axis for Dense {@code [units, features]}, Conv {@code [filters, kh, kw, channels]} (grouped ones
 *       too: a filter sees its group's channels), Conv1d {@code [filters, k, features]}, the recurrent layers'
 *       {@code weight_ih} {@code [gates x units, features]} and {@code weight_hh} {@code [gates x units, units]}
 *       (each gate unit's row), and Embedding {@code [tokens, dim]} (each token's vector, as PyTorch's
 *       {@code Embedding(max_norm=...)});</li>
 *   <li>the last axis for ConvTranspose, whose weights are {@code [input channels, kh, kw, filters]}: an output
 *       channel's incoming weights are {@code W[.., .., .., f]}.</li>
 * </ul>
 * Only tensors of kind {@link Tensor.Kind#WEIGHT} are constrained (never biases, batch-norm or layer-norm scales and
 * shifts), and not an LSTM's peephole weights {@code [gates, units]}: those are per-unit gains on the unit's own
 * cell state, not an incoming vector.
 *
 * <p>Norms are summed in double; a renormalised vector is written as {@code (float) (w c / ||w||)}, so its norm is
 * {@code c} to float rounding (relative 2^-24 per element). The loop runs on the calling thread, over the
 * constrained tensors only. A device-resident model ({@link Optimizer.DeviceResident}, the GPU path) has no kernel
 * for it yet: {@link #apply} and {@link Trainer#fit} refuse one with an {@link UnsupportedOperationException}.
 */
public final class Constraint {
    private final double maxNorm;
    /** The layers named at construction; empty: every weight tensor of the model it is applied to. */
    private final List<Layer> layers;
    /** What the last model it was applied to resolved to (cached: a step allocates nothing). */
    private Model resolvedFor;
    private List<Slices> resolved;
    private float[] scratch = new float[0];

    private Constraint(double maxNorm, List<Layer> layers) {
        this.maxNorm = maxNorm;
        this.layers = layers;
    }

    /**
     * {@return a max-norm constraint: every unit's incoming weight vector in {@code layers} (every weight tensor of the
     * model when none is given) renormalised to a norm of at most {@code c} after each step}
     *
     * @param c the bound, finite and positive
     * @param layers the layers to constrain; each must have weights (a Dense, Conv, Conv1d, ConvTranspose, recurrent or
     *     Embedding layer)
     * @throws IllegalArgumentException for a bound that is not finite and positive, or a layer without weights
     */
    public static Constraint maxNorm(double c, Layer... layers) {
        if (!(c > 0) || Double.isInfinite(c)) {
            throw new IllegalArgumentException("a max-norm bound must be finite and positive, got " + c);
        }
        for (Layer layer : layers) {
            if (layer == null) {
                throw new IllegalArgumentException("a max-norm constraint was given a null layer");
            }
            if (weightTensors(layer).isEmpty()) {
                throw new IllegalArgumentException("layer '" + layer.name() + "' (" + layer.kind()
                        + ") has no weights to constrain");
            }
        }
        return new Constraint(c, List.of(layers));
    }

    /** {@return the bound {@code c}} */
    public double maxNorm() {
        return maxNorm;
    }

    /** {@return the layers given at construction (empty: every weight tensor of the model)} */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * Renormalises the model's constrained weight vectors in place.
     *
     * @param model the model whose weights are renormalised
     * @throws UnsupportedOperationException for a device-resident model (no device kernel for it yet)
     * @throws IllegalArgumentException when a layer given at construction is not one of {@code model}'s
     */
    public void apply(Model model) {
        checkSupported(model);
        FloatBuffer p = model.parameters().floats();
        for (Slices s : resolve(model)) {
            s.renormalise(p, maxNorm, this);
        }
    }

    /** Refuses a model this constraint cannot be applied to, before any training starts. */
    void checkSupported(Model model) {
        if (model instanceof Optimizer.DeviceResident) {
            throw new UnsupportedOperationException("a max-norm constraint is not implemented for a device-resident"
                    + " model (" + model.getClass().getSimpleName() + " " + model.name() + "): there is no device"
                    + " kernel for it yet; train on the CPU to use it");
        }
        resolve(model);
    }

    private List<Slices> resolve(Model model) {
        if (resolvedFor == model) {
            return resolved;
        }
        List<Layer> own = model.layers();
        // by offset: a tensor inside a block is also its enclosing block's, and is constrained once
        Map<Integer, Tensor> tensors = new LinkedHashMap<>();
        if (layers.isEmpty()) {
            for (Tensor t : model.parameterTensors()) {
                if (constrained(t)) {
                    tensors.putIfAbsent(t.offset(), t);
                }
            }
        } else {
            for (Layer layer : layers) {
                if (own.stream().noneMatch(l -> l == layer)) {
                    throw new IllegalArgumentException("layer '" + layer.name() + "' is not a layer of "
                            + model.name());
                }
                for (Tensor t : weightTensors(layer)) {
                    tensors.putIfAbsent(t.offset(), t);
                }
            }
        }
        List<Slices> out = new ArrayList<>();
        for (Tensor t : tensors.values()) {
            out.add(Slices.of(kindOf(t, own), t));
        }
        resolved = List.copyOf(out);
        resolvedFor = model;
        return resolved;
    }

    /** The kind of the innermost layer that holds {@code t} (the longest name it starts with); "" for none. */
    private static String kindOf(Tensor t, List<Layer> layers) {
        String kind = "";
        int longest = -1;
        for (Layer l : layers) {
            if (t.name().startsWith(l.name() + ".") && l.name().length() > longest) {
                longest = l.name().length();
                kind = l.kind();
            }
        }
        return kind;
    }

    private static boolean constrained(Tensor t) {
        return t.kind() == Tensor.Kind.WEIGHT && !t.name().endsWith(".weight_peephole");
    }

    private static List<Tensor> weightTensors(Layer layer) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : layer.parameters()) {
            if (constrained(t)) {
                out.add(t);
            }
        }
        return out;
    }

    float[] scratch(int size) {
        if (scratch.length < size) {
            scratch = new float[size];
        }
        return scratch;
    }

    /**
     * One tensor's unit vectors: {@code units} of them, each {@code size} floats; unit {@code u}'s element
     * {@code i} sits at {@code offset + u * unitStride + i * elementStride} of the flat parameters.
     */
    private record Slices(String tensor, int offset, int units, int size, int unitStride, int elementStride) {
        static Slices of(String layerKind, Tensor t) {
            int[] shape = t.shape();
            int length = t.length();
            if (layerKind.equals("ConvTranspose")) {
                int units = shape[shape.length - 1];
                return new Slices(t.name(), t.offset(), units, length / units, 1, units);
            }
            int units = shape[0];
            return new Slices(t.name(), t.offset(), units, length / units, length / units, 1);
        }

        void renormalise(FloatBuffer p, double c, Constraint owner) {
            float[] w = owner.scratch(elementStride == 1 ? size : units * size);
            if (elementStride == 1) {
                for (int u = 0; u < units; u++) {
                    int at = offset + u * unitStride;
                    p.get(at, w, 0, size);
                    if (scale(w, 0, size, 1, c)) {
                        p.put(at, w, 0, size);
                    }
                }
                return;
            }
            // the unit is the last axis: read the whole tensor once, scale its columns, write back
            p.get(offset, w, 0, units * size);
            boolean any = false;
            for (int u = 0; u < units; u++) {
                any |= scale(w, u, size, units, c);
            }
            if (any) {
                p.put(offset, w, 0, units * size);
            }
        }

        /** Scales {@code w[from + i * stride]}, {@code i < count}, to norm {@code c} if above; whether it did. */
        private static boolean scale(float[] w, int from, int count, int stride, double c) {
            double sum = 0;
            for (int i = 0, j = from; i < count; i++, j += stride) {
                double v = w[j];
                sum += v * v;
            }
            double norm = Math.sqrt(sum);
            if (!(norm > c)) {
                return false;
            }
            double factor = c / norm;
            for (int i = 0, j = from; i < count; i++, j += stride) {
                w[j] = (float) (w[j] * factor);
            }
            return true;
        }
    }

    @Override
    public String toString() {
        return "maxNorm(" + maxNorm + (layers.isEmpty() ? "" : ", " + Arrays.toString(
                layers.stream().map(Layer::name).toArray())) + ")";
    }
}
