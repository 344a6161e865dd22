package dev.lamina.processor.ops.concat;

import dev.lamina.dsl.Concat;
import dev.lamina.processor.check.Size;
import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.emit.java.SecondOrderJava;
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

/** The Concat layer kind. */
public final class ConcatOp implements OpKind<Op.Concat> {
    public static final ConcatOp KIND = new ConcatOp();

    private ConcatOp() {
    }

    // ---- properties

    @Override
    public boolean isView() {
        return false;
    }

    @Override
    public boolean passesGradientInPlace() {
        return false;
    }

    // ---- reading and checks

    @Override
    public List<LayerAnnotation<?, Op.Concat>> annotations() {
        return List.of(LayerAnnotation.of(Concat.class, ConcatOp::read));
    }

    /** A {@code @Concat} as its op; its parts ({@code of}, {@code withPrevious}) become the node's inputs. */
    static Op.Concat read(Concat c) {
        return new Op.Concat();
    }

    @Override
    public List<Size> sizes(Op.Concat op, boolean inBlock) {
        return List.of();
    }

    @Override
    public String misfit(Op.Concat op, Node node, Graph graph, String label) {
        StringBuilder parts = new StringBuilder("'" + graph.node(node.input()).name() + "' is " + node.in());
        for (int other : node.others()) {
            Node part = graph.node(other);
            parts.append(", '").append(part.name()).append("' is ").append(part.out());
        }
        return label + " joins images along channels, or vectors: their heights and widths must match, but " + parts;
    }

    @Override
    public long[] weightDims(Op.Concat op, Shape in, int tokens) {
        return null;
    }

    // ---- shape, parameters and memory

    @Override
    public Shape outputShape(Op.Concat op, ShapeInputs inputs) {
        // along channels (images) or features (vectors), where every part agrees on the rest
        Shape first = inputs.in();
        int channels = first.channels();
        for (Shape s : inputs.others()) {
            if (s == null || s.image() != first.image() || s.sequence() || first.sequence()
                    || s.height() != first.height() || s.width() != first.width()) {
                return null;
            }
            channels += s.channels();
        }
        return first.image() ? Shape.image(channels, first.height(), first.width()) : Shape.vector(channels);
    }

    @Override
    public List<TensorSpec> tensors(Op.Concat op, Node node, Graph graph) {
        return List.of();
    }

    @Override
    public void claimRegions(Op.Concat op, Node node, Arena arena) {
        // nothing besides its output
    }

    @Override
    public long flops(Op.Concat op, Node node) {
        return 0; // data movement only
    }

    // ---- lowerings

    @Override
    public JavaLowering<Op.Concat> java() {
        return ConcatJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Concat> cuda() {
        return ConcatCuda.LOWERING;
    }

    @Override
    public SecondOrderJava<Op.Concat> secondOrder() {
        return ConcatSecondOrder.RULES;
    }
}
