package dev.lamina.processor.ops.reshape;

import dev.lamina.dsl.Reshape;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Reshape layer kind: the input's values seen with another shape of as many elements. Values keep their
 * storage order (channels last), so a reshape is a view, as a flatten is: no region, no step, and the gradient
 * passes through in place.
 */
public final class ReshapeOp implements OpKind<Op.Reshape> {
    public static final ReshapeOp KIND = new ReshapeOp();

    /** A view: nothing runs, on either backend. */
    private static final JavaLowering<Op.Reshape> JAVA = new ViewJava<>("a view: the values keep their order, nothing moves");
    private static final CudaLowering<Op.Reshape> CUDA = new ViewCuda<>("(no kernel: a view of its input)");

    private ReshapeOp() {
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
    public List<LayerAnnotation<?, Op.Reshape>> annotations() {
        return List.of(LayerAnnotation.of(Reshape.class, ReshapeOp::read).withFrom(Reshape::from));
    }

    /** A {@code @Reshape} as its op; {@code sizeErrors} checks that its dims make a shape. */
    static Op.Reshape read(Reshape r) {
        return new Op.Reshape(Arrays.stream(r.value()).boxed().toList());
    }

    @Override
    public List<Size> sizes(Op.Reshape op, boolean inBlock) {
        List<Size> sizes = new ArrayList<>();
        for (int i = 0; i < op.dims().size(); i++) {
            sizes.add(Size.width("value[" + i + "]", op.dims().get(i)));
        }
        return sizes;
    }

    @Override
    public List<String> sizeErrors(Op.Reshape op, String label) {
        if (op.shape() != null) {
            return List.of();
        }
        return List.of(label + " needs 1 size (a vector [features]), 2 (a sequence [steps, features]) or 3 (an image "
                + "[channels, height, width]), found " + op.dims().size());
    }

    @Override
    public String misfit(Op.Reshape op, Node node, Graph graph, String label) {
        return label + " to " + op.dims() + " needs " + elements(op) + " values, but its input " + node.in() + " has "
                + node.in().size();
    }

    @Override
    public long[] weightDims(Op.Reshape op, Shape in, int tokens) {
        return null;
    }

    // ---- shape, parameters and memory

    @Override
    public Shape outputShape(Op.Reshape op, ShapeInputs inputs) {
        Shape shape = op.shape();
        return shape != null && elements(op) == inputs.in().size() ? shape : null;
    }

    /** The element count the dims ask for, in long arithmetic (three widths can pass int's range). */
    private static long elements(Op.Reshape op) {
        long product = 1;
        for (int dim : op.dims()) {
            product *= dim;
        }
        return product;
    }

    @Override
    public List<TensorSpec> tensors(Op.Reshape op, Node node, Graph graph) {
        return List.of();
    }

    @Override
    public void claimRegions(Op.Reshape op, Node node, Arena arena) {
        // a view: it shares its input's region, which the planner gives it
    }

    @Override
    public long flops(Op.Reshape op, Node node) {
        return 0;
    }

    // ---- lowerings

    @Override
    public JavaLowering<Op.Reshape> java() {
        return JAVA;
    }

    @Override
    public CudaLowering<Op.Reshape> cuda() {
        return CUDA;
    }

    @Override
    public SecondOrderJava<Op.Reshape> secondOrder() {
        return SecondOrderJava.view();
    }
}
