package dev.lamina.processor.ops.residual;

import dev.lamina.dsl.Residual;
import dev.lamina.processor.check.Size;
import dev.lamina.processor.check.Value;
import dev.lamina.processor.diag.Diagnostics;
import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.ops.OpKind;
import dev.lamina.processor.read.LayerAnnotation;
import java.util.List;

/** The Residual layer kind. */
public final class ResidualOp implements OpKind<Op.Residual> {
    public static final ResidualOp KIND = new ResidualOp();

    private ResidualOp() {
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
    public List<String> sizeErrors(Op.Residual op, String label) {
        return List.of();
    }

    @Override
    public List<Value> values(Op.Residual op) {
        return List.of();
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

    @Override
    public long checkWorkspace(Op.Residual op, Node node, String label, Diagnostics d) {
        throw expanded();
    }

    @Override
    public long[] wideOutput(Op.Residual op, Shape in) {
        throw expanded();
    }

    @Override
    public Op.Act outputActivation(Op.Residual op) {
        throw expanded();
    }

    /** The shaped rules never see a stage: shape inference has expanded it into its layers. */
    private static IllegalStateException expanded() {
        return new IllegalStateException("a residual stage is expanded by shape inference before the shaped checks");
    }

    // ---- shape, parameters and memory

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
