package dev.lamina.processor.ops.layernorm;

import dev.lamina.dsl.LayerNorm;
import dev.lamina.processor.check.Misfit;
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

/** The LayerNorm layer kind. */
public final class LayerNormOp implements OpKind<Op.LayerNorm> {
    public static final LayerNormOp KIND = new LayerNormOp();

    private LayerNormOp() {
    }

    // ---- reading and checks

    @Override
    public List<LayerAnnotation<?, Op.LayerNorm>> annotations() {
        return List.of(LayerAnnotation.of(LayerNorm.class, LayerNormOp::read));
    }

    /** A {@code @LayerNorm} as its op, the activation's parameter resolved. */
    static Op.LayerNorm read(LayerNorm l) {
        return new Op.LayerNorm(l.epsilon(), Op.Act.of(l.activation(), l.alpha()));
    }

    @Override
    public List<Size> sizes(Op.LayerNorm op, boolean inBlock) {
        return List.of();
    }

    @Override
    public List<String> sizeErrors(Op.LayerNorm op, String label) {
        return List.of();
    }

    @Override
    public List<Value> values(Op.LayerNorm op) {
        return List.of(new Value.Epsilon(op.epsilon()), new Value.Activation(op.activation()));
    }

    @Override
    public String misfit(Op.LayerNorm op, Node node, Graph graph, String label) {
        return Misfit.ofImageLayer(node, label);
    }

    @Override
    public long[] weightDims(Op.LayerNorm op, Shape in, int tokens) {
        return null;
    }

    @Override
    public long checkWorkspace(Op.LayerNorm op, Node node, String label, Diagnostics d) {
        return 0;
    }

    @Override
    public long[] wideOutput(Op.LayerNorm op, Shape in) {
        return null;
    }

    @Override
    public Op.Act outputActivation(Op.LayerNorm op) {
        return null;
    }

    // ---- shape, parameters and memory

    // ---- lowerings

    @Override
    public JavaLowering<Op.LayerNorm> java() {
        return LayerNormJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.LayerNorm> cuda() {
        return LayerNormCuda.LOWERING;
    }
}
