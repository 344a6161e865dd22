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
    /** Where the output is read from, set by the generated constructor (null state: never told). */
    private NetworkState state;
    private int region = -1;
    private int outputSize;
    private boolean droppedInTraining;
    private String noOutput;

    /**
     * Made by the generated class for each layer field; {@code outputShape} is copied, the tensors are views into the
     * model's arrays.
     *
     * @param name the layer's field name
     * @param kind the annotation that declared it ({@code Dense}, {@code Conv}, ...)
     * @param outputShape one row's output shape, channels first
     * @param parameters the layer's trainable tensors
     * @param gradients their gradients, in the same order
     */
    public Layer(String name, String kind, int[] outputShape, List<Tensor> parameters, List<Tensor> gradients) {
        this.name = name;
        this.kind = kind;
        this.outputShape = outputShape.clone();
        this.parameters = List.copyOf(parameters);
        this.gradients = List.copyOf(gradients);
    }

    /** {@return the layer's field name, which prefixes its tensors' names ({@code c1} for {@code c1.weight})} */
    public String name() {
        return name;
    }

    /** {@return the annotation that declared it: Dense, Conv, Pool, BatchNorm, Dropout, Flatten} */
    public String kind() {
        return kind;
    }

    /** {@return output shape of one sample, as {@code {features}} or {@code {channels, height, width}}} */
    public int[] outputShape() {
        return outputShape.clone();
    }

    /**
     * {@return the layer's trainable tensors (weight, bias, or gamma and beta), views into {@link Model#parameters()};
     * empty for
     * a layer without any}
     */
    public List<Tensor> parameters() {
        return parameters;
    }

    /** {@return the gradients of {@link #parameters()}, in the same order, views into {@link Model#gradients()}} */
    public List<Tensor> gradients() {
        return gradients;
    }

    /** {@return the weight matrix or kernel ({@code weight}, or {@code gamma} for batch norm)} */
    public Tensor weights() {
        return find(parameters, ".weight").orElseThrow(() -> missing("weights"));
    }

    /**
     * {@return the bias ({@code bias}, or {@code beta} for batch norm); throws {@link IllegalStateException} for a
     * layer without
     * one}
     */
    public Tensor bias() {
        return find(parameters, ".bias").orElseThrow(() -> missing("bias"));
    }

    /**
     * {@return the gradient of {@link #weights()}; throws {@link IllegalStateException} for a layer without
     * weights}
     */
    public Tensor weightGradient() {
        return find(gradients, ".weight").orElseThrow(() -> missing("weights"));
    }

    /** {@return the gradient of {@link #bias()}; throws {@link IllegalStateException} for a layer without a bias} */
    public Tensor biasGradient() {
        return find(gradients, ".bias").orElseThrow(() -> missing("bias"));
    }

    private static Optional<Tensor> find(List<Tensor> tensors, String suffix) {
        return tensors.stream().filter(t -> t.name().endsWith(suffix)).findFirst();
    }

    private IllegalStateException missing(String what) {
        return new IllegalStateException("layer '" + name + "' (" + kind + ") has no " + what);
    }

    void bindOutput(NetworkState state, int region, int size, String droppedInTraining, String noOutput) {
        this.state = state;
        this.region = region;
        this.outputSize = size;
        this.droppedInTraining = droppedInTraining != null;
        this.noOutput = noOutput;
    }

    /** Whether fusion kept an output of this layer's own (see {@link #output()}). */
    boolean hasOwnOutput() {
        return noOutput == null;
    }

    /**
     * Adds {@code gradient} to the gradient with respect to this layer's output in the next backward pass, as if
     * a loss term on this layer's output had that gradient: rows x the output's size (the rows of the last forward
     * pass, channels first as {@link #output()} gives them). Called several times before a pass, the gradients add
     * up; the next backward pass consumes them (a forward pass forgets them). With it: a penalty on activations,
     * content and style losses on hidden layers, activation maximisation of a hidden unit.
     *
     * @param gradient {@code rows x size} floats of the layer's output, channels first
     * @throws IllegalArgumentException when the length is not rows x size, or when no gradient slot holds this
     *         layer's output: fusion kept none (see {@link #output()}), a dropout is folded into this layer (add
     *         at the dropout's field), or the layer is a view of the network input
     */
    public void addGradient(float[] gradient) {
        if (state == null) {
            throw new IllegalStateException("layer '" + name + "' (" + kind + ") is not bound to a generated network");
        }
        state.addGradient(this, gradient);
    }

    /**
     * {@return this layer's output for every row of the last forward pass (or {@link Model#predict} chunk), read in
     * place
     * from the arena (no copy until {@link LayerOutput#copy()}), channels first as inputs are given} The view is
     * valid until the next forward pass: reading it after one throws {@link IllegalStateException}.
     *
     * <p>Refused, with the reason, where fusion kept no output of this layer's own: a batch norm whose transform
     * the residual add reading it applies, a convolution with a max pool fused into it (its pool's field holds the
     * pooled output), and, after a training-mode pass only, a layer with a dropout fused into its epilogue (its
     * region then holds the dropped values, which its dropout's field reads; in inference mode dropout is the
     * identity and the values are the layer's own). {@code @Network(fuse = false)} keeps every output.
     *
     * <p>Reads the host arena, so on the CPU path only; views are not synchronised with another thread's passes.
     */
    public LayerOutput output() {
        if (noOutput != null) {
            throw new IllegalStateException("layer '" + name + "' (" + kind + ") has no output to read: " + noOutput);
        }
        if (state == null) {
            throw new IllegalStateException("layer '" + name + "' (" + kind + ") is not bound to a generated "
                    + "network's arena, so its output cannot be read");
        }
        return state.output(this, region, outputSize, droppedInTraining);
    }

    @Override
    public String toString() {
        return name + " (" + kind + ") -> " + Arrays.toString(outputShape);
    }
}
