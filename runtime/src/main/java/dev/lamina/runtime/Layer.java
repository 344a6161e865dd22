package dev.lamina.runtime;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The handle a network's layer fields hold once the generated class has filled them in: the layer's name, kind,
 * output shape and its parameters and gradients as named views.
 */
public final class Layer {
    private final String name;
    private final String kind;
    private final int[] outputShape;
    private final List<Tensor> parameters;
    private final List<Tensor> gradients;

    public Layer(String name, String kind, int[] outputShape, List<Tensor> parameters, List<Tensor> gradients) {
        this.name = name;
        this.kind = kind;
        this.outputShape = outputShape.clone();
        this.parameters = List.copyOf(parameters);
        this.gradients = List.copyOf(gradients);
    }

    public String name() {
        return name;
    }

    /** The annotation that declared it: Dense, Conv, Pool, BatchNorm, Dropout, Flatten. */
    public String kind() {
        return kind;
    }

    /** Output shape of one sample, as {@code {features}} or {@code {channels, height, width}}. */
    public int[] outputShape() {
        return outputShape.clone();
    }

    public List<Tensor> parameters() {
        return parameters;
    }

    public List<Tensor> gradients() {
        return gradients;
    }

    /** The weight matrix or kernel ({@code weight}, or {@code gamma} for batch norm). */
    public Tensor weights() {
        return find(parameters, ".weight").orElseThrow(() -> missing("weights"));
    }

    public Tensor bias() {
        return find(parameters, ".bias").orElseThrow(() -> missing("bias"));
    }

    public Tensor weightGradient() {
        return find(gradients, ".weight").orElseThrow(() -> missing("weights"));
    }

    public Tensor biasGradient() {
        return find(gradients, ".bias").orElseThrow(() -> missing("bias"));
    }

    private static Optional<Tensor> find(List<Tensor> tensors, String suffix) {
        return tensors.stream().filter(t -> t.name().endsWith(suffix)).findFirst();
    }

    private IllegalStateException missing(String what) {
        return new IllegalStateException("layer '" + name + "' (" + kind + ") has no " + what);
    }

    @Override
    public String toString() {
        return name + " (" + kind + ") -> " + Arrays.toString(outputShape);
    }
}
