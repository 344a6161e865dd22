package dev.lamina.processor.ops.flatten;

import dev.lamina.dsl.Flatten;
import dev.lamina.processor.check.Misfit;
import dev.lamina.processor.check.Size;
import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.cuda.ViewCuda;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.emit.java.SecondOrderJava;
import dev.lamina.processor.emit.java.ViewJava;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.ops.OpKind;
import dev.lamina.processor.plan.Arena;
import dev.lamina.processor.plan.TensorSpec;
import dev.lamina.processor.read.LayerAnnotation;
import dev.lamina.processor.shape.ShapeInputs;
import java.util.List;

/** The Flatten layer kind. */
public final class FlattenOp implements OpKind<Op.Flatten> {
    public static final FlattenOp KIND = new FlattenOp();

    /** A view: nothing runs, on either backend. */
    private static final JavaLowering<Op.Flatten> JAVA = new ViewJava<>("channels-last rows are already flat: nothing moves");
    private static final CudaLowering<Op.Flatten> CUDA = new ViewCuda<>("(no kernel: a view of its input, or a dropout folded into the layer before)");

    private FlattenOp() {
    }

    // ---- properties

    @Override
    public boolean isView() {
        return true;
    }

    @Override
    public boolean passesGradientInPlace() {
        return true;
    }

    // ---- reading and checks

    @Override
    public List<LayerAnnotation<?, Op.Flatten>> annotations() {
        return List.of(LayerAnnotation.of(Flatten.class, FlattenOp::read));
    }

    /** A {@code @Flatten} as its op (one the user declared, not one shape inference inserted). */
    static Op.Flatten read(Flatten f) {
        return new Op.Flatten(false);
    }

    @Override
    public List<Size> sizes(Op.Flatten op, boolean inBlock) {
        return List.of();
    }

    @Override
    public String misfit(Op.Flatten op, Node node, Graph graph, String label) {
        return Misfit.ofImageLayer(node, label);
    }

    @Override
    public long[] weightDims(Op.Flatten op, Shape in, int tokens) {
        return null;
    }

    // ---- shape, parameters and memory

    @Override
    public Shape outputShape(Op.Flatten op, ShapeInputs inputs) {
        return Shape.vector(inputs.in().size());
    }

    @Override
    public List<TensorSpec> tensors(Op.Flatten op, Node node, Graph graph) {
        return List.of();
    }

    @Override
    public void claimRegions(Op.Flatten op, Node node, Arena arena) {
        // a view: it shares its input's region, which the planner gives it
    }

    @Override
    public long flops(Op.Flatten op, Node node) {
        return 0; // a view
    }

    // ---- lowerings

    @Override
    public JavaLowering<Op.Flatten> java() {
        return JAVA;
    }

    @Override
    public CudaLowering<Op.Flatten> cuda() {
        return CUDA;
    }

    @Override
    public SecondOrderJava<Op.Flatten> secondOrder() {
        return SecondOrderJava.view();
    }
}
