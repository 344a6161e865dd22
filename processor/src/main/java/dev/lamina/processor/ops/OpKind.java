package dev.lamina.processor.ops;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.plan.Arena;
import dev.lamina.processor.plan.TensorSpec;
import dev.lamina.processor.shape.ShapeInputs;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Everything the processor knows about one kind of layer, in one place: how its annotation is read, its shape
 * rule and checks, its parameters and memory, and its lowerings to Java and to CUDA. Each kind is a package under
 * {@code ops/} ({@code ops/dense/}: {@code DenseOp}, {@code DenseJava}, {@code DenseCuda}); {@link OpKinds} maps
 * an {@link Op} to its kind through {@link Op.Visitor}, so a kind without a lowering does not compile.
 *
 * @param <T> the IR record the kind reads and lowers
 */
public interface OpKind<T extends Op> {
    // ---- reading and checks

    // ---- shape, parameters and memory

    /**
     * The shape of one sample of the layer's output, or null where the layer cannot apply to its input (a check
     * rule then says why). Shape inference asks only once the main input's shape is known.
     */
    Shape outputShape(T op, ShapeInputs inputs);

    /** Whether the layer reads vectors, so that shape inference flattens an image in front of it. */
    boolean flattensImages();

    /**
     * Whether the layer's output is its input seen with another shape (a flatten): it gets no region of its own
     * and its step does nothing.
     */
    boolean isView();

    /**
     * The trainable tensors and running statistics of the layer, in flat-array order, with their initialisation.
     * {@code graph} is the network (an embedding reads the input's token count).
     */
    List<TensorSpec> tensors(T op, Node node, Graph graph);

    /**
     * Claims the arena regions the layer keeps besides its output (and besides the mask of a dropout folded into
     * it, which the planner claims for every kind): masks, winners, statistics, per-step regions.
     */
    void claimRegions(T op, Node node, Arena arena);

    /** Forward FLOPs per sample, for the summary (a multiply-add counts two; element-wise work one per value). */
    long flops(T op, Node node);

    /** Whether the gradient for the layer's (first) input is its output gradient, changed in place or not at all. */
    boolean passesGradientInPlace();

    /**
     * Whether the backward step can leave out the gradient for its input when that is the network input (or a
     * view of it), which needs none.
     */
    boolean skipsNetworkInputGradient();

    /** Whether a dropout directly after the layer can be drawn in its epilogue (fusion). */
    boolean absorbsDropout(T op);

    /** Whether a max pool directly after the layer can run on its raw sums, before its epilogue (fusion). */
    boolean absorbsMaxPool(T op);

    /** Whether the layer is a max pool that fusion may fold into the convolution before it. */
    boolean isFusableMaxPool(T op);

    /** The rate when the layer is a dropout that fusion may fold into the layer before it; empty otherwise. */
    OptionalDouble foldableDropout(T op);

    // ---- lowerings

    /** The Java code of a layer of this kind. */
    JavaLowering<T> java();

    /** The CUDA code and device-program steps of a layer of this kind. */
    CudaLowering<T> cuda();
}
