package dev.lamina.processor.ops;

import dev.lamina.processor.check.Size;
import dev.lamina.processor.check.Value;
import dev.lamina.processor.diag.Diagnostics;
import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.emit.java.SecondOrderJava;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.plan.Arena;
import dev.lamina.processor.plan.TensorSpec;
import dev.lamina.processor.read.LayerAnnotation;
import dev.lamina.processor.shape.ShapeInputs;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Everything the processor knows about one kind of layer, in one place: how its annotation is read, its shape
 * rule and checks, its parameters and memory, and its lowerings to Java and to CUDA. Each kind is a package under
 * {@code ops/} ({@code ops/dense/}: {@code DenseOp}, {@code DenseJava}, {@code DenseCuda}); {@link OpKinds} maps
 * an {@link Op} to its kind through {@link Op.Visitor}, so a kind without a lowering does not compile.
 *
 * <p><b>What a kind must answer, and what it may.</b> The abstract methods are the questions whose forgotten
 * answer would make the processor compute something wrong, so a kind does not compile without them: how it is
 * declared ({@link #annotations}) and sized ({@link #sizes}), why it does not fit an input ({@link #misfit}), its
 * output shape, its weights ({@link #weightDims}, {@link #tensors}: a default of "none" would leave a weighted
 * layer untrained and unchecked), its regions and FLOPs, its gradient routing ({@link #passesGradientInPlace}),
 * whether it is a view ({@link #isView}: a view that forgot would write into its input's region), and its
 * lowerings. The default methods are opt-in: checks that apply to some kinds only, and capabilities or properties
 * that are "no" for nearly every kind. Each default means "not this kind" and is safe: a kind that forgets one
 * computes the same values, perhaps slower (no fusion, a gradient computed that is not needed) or without a
 * diagnostic that only other kinds need. A kind overrides an opt-in only to say yes; its file lists those first,
 * under "properties", so that what is special about the kind is what a reader sees first.
 *
 * <p><b>Adding a kind.</b> Add its record to {@code graph/Op.java} with its {@code accept} method and a
 * {@code visit} method in {@code Op.Visitor} (every visitor then fails to compile until it answers the kind).
 * Make its package {@code ops/<kind>/}: {@code <Kind>Op} implements this interface (a singleton {@code KIND}),
 * {@code <Kind>Java} implements {@code JavaLowering}, {@code <Kind>Cuda} implements {@code CudaLowering}. Register
 * it in {@link OpKinds}: its {@code visit} method in the dispatch, and, where a field's annotation declares it,
 * the list of declared kinds (and the list of kinds a {@code @Block} may hold, where it may). Its tests: the
 * diagnostics of its checks (compile-testing), a gradient check of a small network, and the CUDA compile and
 * device-program checks.
 *
 * <p>A concern that cannot arise for a kind (a {@code @Residual} stage is expanded before planning, the input is
 * no layer) is answered by throwing {@link IllegalStateException} with the reason, or by doing nothing where
 * nothing is right.
 *
 * @param <T> the IR record the kind reads and lowers
 */
public interface OpKind<T extends Op> {
    // ---- reading and checks (every kind)

    /**
     * The annotations that declare a layer of this kind, each with how it becomes the op; empty for a kind no
     * field declares (the input, a residual block's add). {@link OpKinds#annotations()} lists them all.
     */
    List<LayerAnnotation<?, T>> annotations();

    /**
     * The integer attributes {@code PositiveSizes} and {@code SizesInRange} check, in the order they report them.
     * {@code inBlock}: the op is a layer of a user-defined block, where filters and stride may be
     * {@link Op.Residual#STAGE} (the stage's own, checked on the stage).
     */
    List<Size> sizes(T op, boolean inBlock);

    /**
     * Why the layer on {@code node} cannot apply to its input (shape inference left its output null;
     * {@code LayerFitsInput}), or null when another rule says why; {@code label} names the layer.
     */
    String misfit(T op, Node node, Graph graph, String label);

    /**
     * The dims of the weight tensor {@code SizesFitArrays} counts, for input {@code in} (and {@code tokens} ids for a
     * token input), or null for a kind without weights.
     */
    long[] weightDims(T op, Shape in, int tokens);

    // ---- shape, parameters and memory (every kind)

    /**
     * The shape of one sample of the layer's output, or null where the layer cannot apply to its input (a check
     * rule then says why). Shape inference asks only once the main input's shape is known.
     */
    Shape outputShape(T op, ShapeInputs inputs);

    /**
     * Whether the layer's output is its input seen with another shape (a flatten): it gets no region and no
     * generated names of its own, its step does nothing, and the loss reads through it.
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

    // ---- lowerings (every kind)

    /** The Java code of a layer of this kind. */
    JavaLowering<T> java();

    /** The CUDA code and device-program steps of a layer of this kind. */
    CudaLowering<T> cuda();

    /**
     * The kind's R-rules for the generated Hessian-vector product ({@code @Network(secondOrder = true)}), or null
     * where it has none yet: such a network may not hold the layer (a compile error on it).
     */
    default SecondOrderJava<T> secondOrder() {
        return null;
    }

    // ---- opt-in checks: none unless the kind has them

    /**
     * The errors of size rules of the kind's own ({@code PositiveSizes}): the sizes that relate to each other, or
     * whose bounds depend on other attributes; {@code label} names the layer in the messages.
     */
    default List<String> sizeErrors(T op, String label) {
        return List.of();
    }

    /** The real-valued attributes {@code ValuesInRange} checks, in the order it reports them. */
    default List<Value> values(T op) {
        return List.of();
    }

    /** The layers of a user-defined block this op holds; their attributes are checked like a declared layer's. */
    default List<Op.BlockLayer> blockLayers(T op) {
        return List.of();
    }

    /**
     * Reports each working array beyond the output and the weights that would not fit the runtime's memory
     * ({@code SizesFitArrays}: a convolution's unfolded columns, a recurrent layer's gates), and returns the floats
     * per sample they add to the arena.
     */
    default long checkWorkspace(T op, Node node, String label, Diagnostics d) {
        return 0;
    }

    /**
     * The height and width, in long arithmetic, the layer would output from {@code in} where shape inference left
     * the output out because it does not fit an int; null for a kind whose output cannot overflow that way.
     */
    default long[] wideOutput(T op, Shape in) {
        return null;
    }

    /**
     * The activation {@code OutputFeedsLoss} checks when this layer is the output under a cross-entropy loss, or
     * null for a kind it does not check.
     */
    default Op.Act outputActivation(T op) {
        return null;
    }

    /**
     * The suffixes of the members the generated class declares for a layer of this kind after the layer's name
     * (a batch norm's statistics: {@code bnMean}); a user's field must not take one of those names.
     */
    default List<String> memberSuffixes() {
        return List.of();
    }

    // ---- opt-in properties: "not this kind" unless the kind says so

    /** Whether the layer reads vectors, so that shape inference flattens an image in front of it. */
    default boolean flattensImages() {
        return false;
    }

    /**
     * Whether the layer reads token ids (an embedding), which nothing else may read; the network input then has no
     * gradient.
     */
    default boolean readsTokens() {
        return false;
    }

    /**
     * Whether the layer drops values at random in training (a dropout): the loss reads through it, and it must not
     * follow the output layer.
     */
    default boolean dropsAtRandom() {
        return false;
    }

    /**
     * Whether the backward step can leave out the gradient for its input when that is the network input (or a
     * view of it), which needs none.
     */
    default boolean skipsNetworkInputGradient() {
        return false;
    }

    /** Whether a dropout directly after the layer can be drawn in its epilogue (fusion). */
    default boolean absorbsDropout(T op) {
        return false;
    }

    /** Whether a max pool directly after the layer can run on its raw sums, before its epilogue (fusion). */
    default boolean absorbsMaxPool(T op) {
        return false;
    }

    /** Whether the layer is a max pool that fusion may fold into the convolution before it. */
    default boolean isFusableMaxPool(T op) {
        return false;
    }

    /** The rate when the layer is a dropout that fusion may fold into the layer before it; empty otherwise. */
    default OptionalDouble foldableDropout(T op) {
        return OptionalDouble.empty();
    }

    /** Whether a max-unpooling ({@code @Upsample(pool = ...)}) may name the layer as its pool: a max pool. */
    default boolean isUnpoolable(T op) {
        return false;
    }

    /**
     * The op of a user-defined block's layer with the stage's {@code filters} and {@code stride} put in for
     * {@link Op.Residual#STAGE}, for a kind whose {@link #sizes} accept that (a convolution); the op itself else.
     */
    default T withStageSizes(T op, int filters, int stride) {
        return op;
    }
}
