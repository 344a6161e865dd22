package dev.lamina.processor.ops.batchnorm;

import dev.lamina.dsl.BatchNorm;
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

/** The BatchNorm layer kind. */
public final class BatchNormOp implements OpKind<Op.BatchNorm> {
    public static final BatchNormOp KIND = new BatchNormOp();

    private BatchNormOp() {
    }

    // ---- reading and checks

    @Override
    public List<LayerAnnotation<?, Op.BatchNorm>> annotations() {
        return List.of(LayerAnnotation.of(BatchNorm.class, BatchNormOp::read).withFrom(BatchNorm::from));
    }

    /** A {@code @BatchNorm} as its op, the activation's parameter resolved. */
    static Op.BatchNorm read(BatchNorm b) {
        return new Op.BatchNorm(b.momentum(), b.epsilon(), Op.Act.of(b.activation(), b.alpha()));
    }

    @Override
    public List<Size> sizes(Op.BatchNorm op, boolean inBlock) {
        return List.of();
    }

    @Override
    public List<String> sizeErrors(Op.BatchNorm op, String label) {
        return List.of();
    }

    @Override
    public List<Value> values(Op.BatchNorm op) {
        double momentum = op.momentum();
        return List.of(new Value.Epsilon(op.epsilon()),
                new Value.Within("momentum", momentum, "[0, 1]", momentum >= 0 && momentum <= 1),
                new Value.Activation(op.activation()));
    }

    @Override
    public String misfit(Op.BatchNorm op, Node node, Graph graph, String label) {
        return Misfit.ofImageLayer(node, label);
    }

    @Override
    public long[] weightDims(Op.BatchNorm op, Shape in, int tokens) {
        return null;
    }

    @Override
    public long checkWorkspace(Op.BatchNorm op, Node node, String label, Diagnostics d) {
        return 0;
    }

    @Override
    public long[] wideOutput(Op.BatchNorm op, Shape in) {
        return null;
    }

    @Override
    public Op.Act outputActivation(Op.BatchNorm op) {
        return op.activation();
    }

    @Override
    public List<String> memberSuffixes() {
        return List.of("Mean", "InvStd", "Scale", "Shift");
    }

    // ---- shape, parameters and memory

    // ---- lowerings

    @Override
    public JavaLowering<Op.BatchNorm> java() {
        return BatchNormJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.BatchNorm> cuda() {
        return BatchNormCuda.LOWERING;
    }
}
