package dev.lamina.processor.ops.responsenorm;

import dev.lamina.dsl.LocalResponseNorm;
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

/** The ResponseNorm layer kind. */
public final class ResponseNormOp implements OpKind<Op.ResponseNorm> {
    public static final ResponseNormOp KIND = new ResponseNormOp();

    private ResponseNormOp() {
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
    public List<LayerAnnotation<?, Op.ResponseNorm>> annotations() {
        return List.of(LayerAnnotation.of(LocalResponseNorm.class, ResponseNormOp::read));
    }

    /** A {@code @LocalResponseNorm} as its op. */
    static Op.ResponseNorm read(LocalResponseNorm l) {
        return new Op.ResponseNorm(l.size(), l.alpha(), l.beta(), l.k());
    }

    @Override
    public List<Size> sizes(Op.ResponseNorm op, boolean inBlock) {
        return List.of(Size.window("size", op.size()));
    }

    @Override
    public List<Value> values(Op.ResponseNorm op) {
        // the denominator (k + alpha / size * sum of squares)^beta stays >= k^beta > 0
        return List.of(new Value.Within("k", op.k(), "(0, 1e6]", op.k() > 0 && op.k() <= 1e6),
                new Value.Within("alpha", op.alpha(), "[0, 1e6]", op.alpha() >= 0 && op.alpha() <= 1e6),
                new Value.Within("beta", op.beta(), "[0, 10]", op.beta() >= 0 && op.beta() <= 10));
    }

    @Override
    public String misfit(Op.ResponseNorm op, Node node, Graph graph, String label) {
        return Misfit.ofImageLayer(node, label);
    }

    @Override
    public long[] weightDims(Op.ResponseNorm op, Shape in, int tokens) {
        return null;
    }

    // ---- shape, parameters and memory

    @Override
    public Shape outputShape(Op.ResponseNorm op, ShapeInputs inputs) {
        return inputs.in().image() ? inputs.in() : null;
    }

    @Override
    public List<TensorSpec> tensors(Op.ResponseNorm op, Node node, Graph graph) {
        return List.of();
    }

    @Override
    public void claimRegions(Op.ResponseNorm op, Node node, Arena arena) {
        // the denominators' bases, for the backward pass
        arena.normStats(node, node.out().size());
    }

    @Override
    public long flops(Op.ResponseNorm op, Node node) {
        return (long) node.out().size() * (2L * op.size() + 4);
    }

    // ---- lowerings

    @Override
    public JavaLowering<Op.ResponseNorm> java() {
        return ResponseNormJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.ResponseNorm> cuda() {
        return ResponseNormCuda.LOWERING;
    }

    @Override
    public SecondOrderJava<Op.ResponseNorm> secondOrder() {
        return ResponseNormSecondOrder.RULES;
    }
}
