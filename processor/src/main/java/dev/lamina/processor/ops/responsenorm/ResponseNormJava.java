package dev.lamina.processor.ops.responsenorm;

import static dev.lamina.processor.emit.java.RuntimeTypes.RESPONSE_NORMALIZATION;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.ClassParts;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.emit.java.LayerCode;
import dev.lamina.processor.emit.java.LayerContext;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/** The Java lowering of a ResponseNorm layer: the runtime's kernel, its denominator bases kept for backward. */
final class ResponseNormJava implements JavaLowering<Op.ResponseNorm> {
    static final ResponseNormJava LOWERING = new ResponseNormJava();

    private ResponseNormJava() {
    }

    @Override
    public String describe(Op.ResponseNorm op, Node node) {
        return LayerCode.describe(node, op.kind(), null);
    }

    @Override
    public void declare(Op.ResponseNorm op, Node node, ClassParts parts) {
        parts.region(parts.plan().normStats(), node, "STATS", "denominator bases");
    }

    @Override
    public CodeBlock statistics(Op.ResponseNorm op, Node node, LayerContext c) {
        return CodeBlock.of("");
    }

    @Override
    public CodeBlock forward(Op.ResponseNorm lrn, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareIn(b);
        c.declareOut(b);
        b.addStatement("int scales = $L", c.slice(c.constant("STATS"), node.out().size()));
        b.addStatement("$T.forward($L, in, $L, $L, $L, $Lf, $Lf, $Lf, scales, out)", RESPONSE_NORMALIZATION, c.a(),
                c.rows(node.in().spatial()), node.in().channels(), lrn.size(), (float) lrn.alpha(),
                (float) lrn.beta(), (float) lrn.k());
        return b.build();
    }

    @Override
    public CodeBlock backward(Op.ResponseNorm lrn, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareDelta(b);
        c.declareDeltaIn(b);
        c.declareIn(b);
        b.addStatement("int scales = $L", c.slice(c.constant("STATS"), node.out().size()));
        b.addStatement("$T.backward($L, delta, in, $L, $L, $L, $Lf, $Lf, scales, deltaIn)", RESPONSE_NORMALIZATION,
                c.a(), c.rows(node.in().spatial()), node.in().channels(), lrn.size(), (float) lrn.alpha(),
                (float) lrn.beta());
        c.accumulateInputGradient(b, "deltaIn");
        return b.build();
    }
}
