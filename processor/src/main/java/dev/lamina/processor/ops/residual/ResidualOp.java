package dev.lamina.processor.ops.residual;

import dev.lamina.dsl.Residual;
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

/** The Residual layer kind. */
public final class ResidualOp implements OpKind<Op.Residual> {
    public static final ResidualOp KIND = new ResidualOp();

    private ResidualOp() {
    }

    // ---- properties

    @Override
    public boolean isView() {
        return false;
    }

    @Override
    public boolean passesGradientInPlace() {
        throw expanded();
    }

    // ---- reading and checks

    @Override
    public List<LayerAnnotation<?, Op.Residual>> annotations() {
        return List.of(LayerAnnotation.of(Residual.class, ResidualOp::read));
    }

    /**
     * A {@code @Residual} as its op, without a user-defined block's layers: the reader reads the block class
     * ({@code custom}) from the annotation's mirror.
     */
    static Op.Residual read(Residual r) {
        return new Op.Residual(r.block(), r.filters(), r.stride(), r.repeat(), r.projection(),
                Op.Act.of(r.activation(), Double.NaN), r.init(), List.of());
    }

    @Override
    public List<Size> sizes(Op.Residual op, boolean inBlock) {
        return List.of(Size.width("filters", op.filters()), Size.window("stride", op.stride()),
                new Size("repeat", op.repeat(), Size.Least.ONE, Size.Most.REPEAT));
    }

    @Override
    public List<Op.BlockLayer> blockLayers(Op.Residual op) {
        return op.custom();
    }

    @Override
    public String misfit(Op.Residual op, Node node, Graph graph, String label) {
        throw expanded();
    }

    @Override
    public long[] weightDims(Op.Residual op, Shape in, int tokens) {
        throw expanded();
    }

    // ---- shape, parameters and memory

    @Override
    public Shape outputShape(Op.Residual op, ShapeInputs inputs) {
        // unknown until ResidualExpansion replaces the stage by its layers, which it does as soon as the
        // stage's input shape is known
        return null;
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

    /** Rules (never called: the stage is expanded) once every kind a stage expands into has them; none before. */
    @Override
    public SecondOrderJava<Op.Residual> secondOrder() {
        return ResidualSecondOrder.covered() ? ResidualSecondOrder.RULES : null;
    }
}
