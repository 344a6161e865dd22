package dev.lamina.processor.ops.batchnorm;

import dev.lamina.dsl.BatchNorm;
import dev.lamina.processor.check.Misfit;
import dev.lamina.processor.check.Size;
import dev.lamina.processor.check.Value;
import dev.lamina.processor.emit.cuda.CudaLowering;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.emit.java.SecondOrderJava;
import dev.lamina.processor.emit.summary.NetworkSummary;
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

/** The BatchNorm layer kind. */
public final class BatchNormOp implements OpKind<Op.BatchNorm> {
    public static final BatchNormOp KIND = new BatchNormOp();

    private BatchNormOp() {
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

    @Override
    public boolean absorbsDropout(Op.BatchNorm op) {
        return true;
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
    public Op.Act outputActivation(Op.BatchNorm op) {
        return op.activation();
    }

    @Override
    public List<String> memberSuffixes() {
        return List.of("Mean", "InvStd", "Scale", "Shift");
    }

    // ---- shape, parameters and memory

    @Override
    public Shape outputShape(Op.BatchNorm op, ShapeInputs inputs) {
        return inputs.in();
    }

    @Override
    public List<TensorSpec> tensors(Op.BatchNorm op, Node node, Graph graph) {
        int[] channels = {node.in().channels()};
        return List.of(TensorSpec.constant(".weight", "SCALE", channels, "gamma"),
                TensorSpec.constant(".bias", "SHIFT", channels, "beta"),
                TensorSpec.statistic(".running_mean", channels, "mean"),
                TensorSpec.statistic(".running_var", channels, "var"));
    }

    @Override
    public void claimRegions(Op.BatchNorm op, Node node, Arena arena) {
        // nothing besides its output
    }

    @Override
    public long flops(Op.BatchNorm op, Node node) {
        long values = node.out().size();
        return 4L * values + NetworkSummary.activationFlops(op.activation(), values);
    }

    // ---- lowerings

    @Override
    public JavaLowering<Op.BatchNorm> java() {
        return BatchNormJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.BatchNorm> cuda() {
        return BatchNormCuda.LOWERING;
    }

    @Override
    public SecondOrderJava<Op.BatchNorm> secondOrder() {
        return BatchNormSecondOrder.RULES;
    }
}
