package dev.lamina.processor.ops.layernorm;

import static dev.lamina.processor.emit.java.RuntimeTypes.LAYER_NORMALIZATION;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.ClassParts;
import dev.lamina.processor.emit.java.Epilogues;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.emit.java.LayerCode;
import dev.lamina.processor.emit.java.LayerContext;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.plan.LayerNorms;

/**
 * The Java lowering of a LayerNorm layer: the runtime's kernel (each row's mean and inverse deviation kept for the
 * backward pass in the layer's own {@code stats} region), then its activation.
 */
final class LayerNormJava implements JavaLowering<Op.LayerNorm> {
    static final LayerNormJava LOWERING = new LayerNormJava();

    private LayerNormJava() {
    }

    @Override
    public String describe(Op.LayerNorm op, Node node) {
        return LayerCode.describe(node, op.kind(), op.activation());
    }

    @Override
    public void declare(Op.LayerNorm op, Node node, ClassParts parts) {
        parts.region(parts.plan().normStats(), node, "STATS", "per-row mean and inverse deviation");
    }

    @Override
    public CodeBlock statistics(Op.LayerNorm op, Node node, LayerContext c) {
        return CodeBlock.of("");
    }

    @Override
    public CodeBlock forward(Op.LayerNorm ln, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareIn(b);
        c.declareOut(b);
        int rows = LayerNorms.rows(node);
        // a local of its own, not the pass's running statistics
        b.addStatement("int stats = $L", c.slice(c.constant("STATS"), 2 * rows));
        b.addStatement("$T.forward($L, in, $L, $L, $Lf, $L, $L, $L, stats, out)", LAYER_NORMALIZATION, c.a(),
                c.rows(rows), node.in().features(), (float) ln.epsilon(), c.p(), c.constant("WEIGHT"),
                c.constant("BIAS"));
        if (!ln.activation().isIdentity()) {
            Epilogues.blockedActivation(b, c, ln.activation(), c.rows(node.out().size()));
        }
        return b.build();
    }

    @Override
    public CodeBlock backward(Op.LayerNorm ln, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareDelta(b);
        c.declareDeltaIn(b);
        String weight = c.constant("WEIGHT");
        int rows = LayerNorms.rows(node);
        c.declareIn(b);
        b.addStatement("int stats = $L", c.slice(c.constant("STATS"), 2 * rows));
        Epilogues.activationBackward(b, c, ln.activation(), c.rows(node.out().size()));
        b.addStatement("$T.backward($L, delta, in, $L, $L, $L, $L, stats, $L, $L, $L, $L)", LAYER_NORMALIZATION,
                c.a(), c.rows(rows), node.in().features(), c.p(), weight, c.g(), weight, c.constant("BIAS"),
                c.needsInputGradient() ? "deltaIn" : "-1");
        c.accumulateInputGradient(b, "deltaIn");
        return b.build();
    }
}
