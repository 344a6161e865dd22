package dev.lamina.processor.ops.responsenorm;

import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.ops.OpKind;
import dev.lamina.processor.plan.Arena;
import dev.lamina.processor.plan.TensorSpec;
import dev.lamina.processor.shape.ShapeInputs;
import java.util.List;
import java.util.OptionalDouble;

/** The ResponseNorm layer kind. */
public final class ResponseNormOp implements OpKind<Op.ResponseNorm> {
    public static final ResponseNormOp KIND = new ResponseNormOp();

    private ResponseNormOp() {
    }

    // ---- reading and checks

    // ---- shape, parameters and memory

    @Override
    public Shape outputShape(Op.ResponseNorm op, ShapeInputs inputs) {
        return inputs.in().image() ? inputs.in() : null;
    }

    @Override
    public boolean flattensImages() {
        return false;
    }

    @Override
    public boolean isView() {
        return false;
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

    @Override
    public boolean passesGradientInPlace() {
        return false;
    }

    @Override
    public boolean skipsNetworkInputGradient() {
        return false;
    }

    @Override
    public boolean absorbsDropout(Op.ResponseNorm op) {
        return false;
    }

    @Override
    public boolean absorbsMaxPool(Op.ResponseNorm op) {
        return false;
    }

    @Override
    public boolean isFusableMaxPool(Op.ResponseNorm op) {
        return false;
    }

    @Override
    public OptionalDouble foldableDropout(Op.ResponseNorm op) {
        return OptionalDouble.empty();
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
}
