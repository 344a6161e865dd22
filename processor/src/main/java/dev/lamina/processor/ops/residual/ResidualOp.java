package dev.lamina.processor.ops.residual;

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

/** The Residual layer kind. */
public final class ResidualOp implements OpKind<Op.Residual> {
    public static final ResidualOp KIND = new ResidualOp();

    private ResidualOp() {
    }

    // ---- reading and checks

    // ---- shape, parameters and memory

    @Override
    public Shape outputShape(Op.Residual op, ShapeInputs inputs) {
        // unknown until ResidualExpansion replaces the stage by its layers, which it does as soon as the
        // stage's input shape is known
        return null;
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
    public List<TensorSpec> tensors(Op.Residual op, Node node, Graph graph) {
        throw expanded();
    }

    @Override
    public void claimRegions(Op.Residual op, Node node, Arena arena) {
        throw expanded();
    }

    @Override
    public long flops(Op.Residual op, Node node) {
        throw expanded();
    }

    @Override
    public boolean passesGradientInPlace() {
        throw expanded();
    }

    @Override
    public boolean skipsNetworkInputGradient() {
        throw expanded();
    }

    @Override
    public boolean absorbsDropout(Op.Residual op) {
        throw expanded();
    }

    @Override
    public boolean absorbsMaxPool(Op.Residual op) {
        throw expanded();
    }

    @Override
    public boolean isFusableMaxPool(Op.Residual op) {
        throw expanded();
    }

    @Override
    public OptionalDouble foldableDropout(Op.Residual op) {
        throw expanded();
    }

    /** What a later pass meets if a stage was not expanded: a Lamina bug. */
    private static IllegalStateException expanded() {
        return new IllegalStateException("a @Residual stage is expanded into plain layers (ResidualExpansion) before "
                + "any pass after shape inference");
    }

    // ---- lowerings

    @Override
    public JavaLowering<Op.Residual> java() {
        return ResidualJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Residual> cuda() {
        return ResidualCuda.LOWERING;
    }
}
