package dev.lamina.processor.ops.input;

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

/** The Input layer kind. */
public final class InputOp implements OpKind<Op.Input> {
    public static final InputOp KIND = new InputOp();

    private InputOp() {
    }

    // ---- reading and checks

    // ---- shape, parameters and memory

    @Override
    public Shape outputShape(Op.Input op, ShapeInputs inputs) {
        throw new IllegalStateException("the input's shape is read from @Network, not inferred");
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
    public List<TensorSpec> tensors(Op.Input op, Node node, Graph graph) {
        return List.of();
    }

    @Override
    public void claimRegions(Op.Input op, Node node, Arena arena) {
        // nothing besides its output
    }

    @Override
    public long flops(Op.Input op, Node node) {
        throw new IllegalStateException("the input is not a layer: the summary lists layers only");
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
    public boolean absorbsDropout(Op.Input op) {
        return false;
    }

    @Override
    public boolean absorbsMaxPool(Op.Input op) {
        return false;
    }

    @Override
    public boolean isFusableMaxPool(Op.Input op) {
        return false;
    }

    @Override
    public OptionalDouble foldableDropout(Op.Input op) {
        return OptionalDouble.empty();
    }

    // ---- lowerings

    @Override
    public JavaLowering<Op.Input> java() {
        return InputJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Input> cuda() {
        return InputCuda.LOWERING;
    }
}
