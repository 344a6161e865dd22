package dev.lamina.processor.ops.embedding;

import static dev.lamina.processor.emit.java.RuntimeTypes.EMBEDDINGS;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.ClassParts;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.emit.java.LayerCode;
import dev.lamina.processor.emit.java.LayerContext;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/** The Java lowering of an Embedding layer: a row of its table per token, and the rows' gradients added back. */
final class EmbeddingJava implements JavaLowering<Op.Embedding> {
    static final EmbeddingJava LOWERING = new EmbeddingJava();

    private EmbeddingJava() {
    }

    @Override
    public String describe(Op.Embedding op, Node node) {
        return LayerCode.describe(node, op.kind(), null);
    }

    @Override
    public void declare(Op.Embedding op, Node node, ClassParts parts) {
    }

    @Override
    public CodeBlock statistics(Op.Embedding op, Node node, LayerContext c) {
        return CodeBlock.of("");
    }

    @Override
    public CodeBlock forward(Op.Embedding e, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareIn(b);
        c.declareOut(b);
        int tokens = ((Op.Input) c.graph().input().op()).tokens();
        b.addStatement("$T.forward($L, in, $L, $L, $L, $L, $L, $L, out)", EMBEDDINGS, c.a(), c.rows(node.in().steps()),
                c.p(), c.constant("WEIGHT"), tokens, e.dim(), c.a());
        return b.build();
    }

    @Override
    public CodeBlock backward(Op.Embedding e, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareDelta(b);
        c.declareDeltaIn(b);
        c.declareIn(b);
        b.addStatement("$T.backward($L, in, $L, $L, delta, $L, $L, $L)", EMBEDDINGS, c.a(), c.rows(node.in().steps()),
                c.a(), c.g(), c.constant("WEIGHT"), e.dim());
        c.accumulateInputGradient(b, "deltaIn");
        return b.build();
    }
}
