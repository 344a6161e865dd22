package dev.lamina.processor.ops.embedding;

import dev.lamina.dsl.Embedding;
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

/** The Embedding layer kind. */
public final class EmbeddingOp implements OpKind<Op.Embedding> {
    public static final EmbeddingOp KIND = new EmbeddingOp();

    private EmbeddingOp() {
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
    public boolean readsTokens() {
        return true;
    }

    // ---- reading and checks

    @Override
    public List<LayerAnnotation<?, Op.Embedding>> annotations() {
        return List.of(LayerAnnotation.of(Embedding.class, EmbeddingOp::read));
    }

    /** An {@code @Embedding} as its op. */
    static Op.Embedding read(Embedding e) {
        return new Op.Embedding(e.dim());
    }

    @Override
    public List<Size> sizes(Op.Embedding op, boolean inBlock) {
        return List.of(Size.width("dim", op.dim()));
    }

    @Override
    public String misfit(Op.Embedding op, Node node, Graph graph, String label) {
        return null; // TokensFeedEmbeddings says why
    }

    @Override
    public long[] weightDims(Op.Embedding op, Shape in, int tokens) {
        return new long[] {Math.max(tokens, 1), op.dim()};
    }

    // ---- shape, parameters and memory

    @Override
    public Shape outputShape(Op.Embedding op, ShapeInputs inputs) {
        Shape in = inputs.in();
        return in.sequence() && in.features() == 1 ? Shape.sequence(in.steps(), op.dim()) : null;
    }

    @Override
    public List<TensorSpec> tensors(Op.Embedding op, Node node, Graph graph) {
        int tokens = ((Op.Input) graph.input().op()).tokens();
        // N(0, 1), as PyTorch's nn.Embedding
        return List.of(TensorSpec.gaussian(".weight", "WEIGHT", new int[] {tokens, op.dim()}, 1.0, "weight"));
    }

    @Override
    public void claimRegions(Op.Embedding op, Node node, Arena arena) {
        // nothing besides its output
    }

    @Override
    public long flops(Op.Embedding op, Node node) {
        return 0; // a lookup: data movement only
    }

    // ---- lowerings

    @Override
    public JavaLowering<Op.Embedding> java() {
        return EmbeddingJava.LOWERING;
    }

    @Override
    public CudaLowering<Op.Embedding> cuda() {
        return EmbeddingCuda.LOWERING;
    }

    @Override
    public SecondOrderJava<Op.Embedding> secondOrder() {
        return EmbeddingSecondOrder.RULES;
    }
}
