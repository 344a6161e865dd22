package dev.lamina.processor.ops.layernorm;

import dev.lamina.dsl.LayerNorm;
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
import dev.lamina.processor.plan.LayerNorms;
import dev.lamina.processor.plan.TensorSpec;
import dev.lamina.processor.read.LayerAnnotation;
import dev.lamina.processor.shape.ShapeInputs;
import java.util.List;

/** The LayerNorm layer kind. */
public final class LayerNormOp implements OpKind<Op.LayerNorm> {
    public static final LayerNormOp KIND = new LayerNormOp();

    private LayerNormOp() {
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
    public boolean skipsNetworkInputGradient() {
        return true;
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

    // ---- shape, parameters and memory

    @Override
    public Shape outputShape(Op.LayerNorm op, ShapeInputs inputs) {
        return inputs.in();
    }

    @Override
    public List<TensorSpec> tensors(Op.LayerNorm op, Node node, Graph graph) {
        int[] features = {node.in().features()};
        return List.of(TensorSpec.constant(".weight", "SCALE", features, "gamma"),
                TensorSpec.constant(".bias", "SHIFT", features, "beta"));
    }

    @Override
    public void claimRegions(Op.LayerNorm op, Node node, Arena arena) {
        // each row's mean and 1/sqrt(var + eps), for the backward pass
        arena.normStats(node, 2 * LayerNorms.rows(node));
    }

    @Override
    public long flops(Op.LayerNorm op, Node node) {
        long values = node.out().size();
        return 6L * values + NetworkSummary.activationFlops(op.activation(), values);
    }

    // ---- lowerings

    @Override
    public JavaLowering<Op.LayerNorm> java() {
        return LayerNormJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.LayerNorm> cuda() {
        return LayerNormCuda.LOWERING;
    }

    @Override
    public SecondOrderJava<Op.LayerNorm> secondOrder() {
        return LayerNormSecondOrder.RULES;
    }
}
