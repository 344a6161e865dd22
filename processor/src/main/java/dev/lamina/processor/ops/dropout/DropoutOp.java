package dev.lamina.processor.ops.dropout;

import dev.lamina.dsl.Dropout;
import dev.lamina.processor.check.Misfit;
import dev.lamina.processor.check.Size;
import dev.lamina.processor.check.Value;
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
import java.util.OptionalDouble;

/** The Dropout layer kind. */
public final class DropoutOp implements OpKind<Op.Dropout> {
    public static final DropoutOp KIND = new DropoutOp();

    private DropoutOp() {
    }

    // ---- properties

    @Override
    public boolean isView() {
        return false;
    }

    @Override
    public boolean passesGradientInPlace() {
        return true;
    }

    @Override
    public boolean dropsAtRandom() {
        return true;
    }

    @Override
    public OptionalDouble foldableDropout(Op.Dropout op) {
        return OptionalDouble.of(op.rate());
    }

    // ---- reading and checks

    @Override
    public List<LayerAnnotation<?, Op.Dropout>> annotations() {
        return List.of(LayerAnnotation.of(Dropout.class, DropoutOp::read));
    }

    /** A {@code @Dropout} as its op. */
    static Op.Dropout read(Dropout d) {
        return new Op.Dropout(d.rate());
    }

    @Override
    public List<Size> sizes(Op.Dropout op, boolean inBlock) {
        return List.of();
    }

    @Override
    public List<Value> values(Op.Dropout op) {
        return List.of(new Value.Within("rate", op.rate(), "[0, 1)", op.rate() >= 0 && op.rate() < 1));
    }

    @Override
    public String misfit(Op.Dropout op, Node node, Graph graph, String label) {
        return Misfit.ofImageLayer(node, label);
    }

    @Override
    public long[] weightDims(Op.Dropout op, Shape in, int tokens) {
        return null;
    }

    // ---- shape, parameters and memory

    @Override
    public Shape outputShape(Op.Dropout op, ShapeInputs inputs) {
        return inputs.in();
    }

    @Override
    public List<TensorSpec> tensors(Op.Dropout op, Node node, Graph graph) {
        return List.of();
    }

    @Override
    public void claimRegions(Op.Dropout op, Node node, Arena arena) {
        arena.mask(node, node.out().size());
    }

    @Override
    public long flops(Op.Dropout op, Node node) {
        return node.out().size();
    }

    // ---- lowerings

    @Override
    public JavaLowering<Op.Dropout> java() {
        return DropoutJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Dropout> cuda() {
        return DropoutCuda.LOWERING;
    }

    @Override
    public SecondOrderJava<Op.Dropout> secondOrder() {
        return DropoutSecondOrder.RULES;
    }
}
