package dev.lamina.processor.ops.responsenorm;

import static dev.lamina.processor.emit.java.RuntimeTypes.RESPONSE_NORMALIZATION;
import static dev.lamina.processor.emit.java.RuntimeTypes.RESPONSE_NORM_GEOMETRY;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.lamina.processor.emit.java.ClassParts;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.emit.java.LayerCode;
import dev.lamina.processor.emit.java.LayerContext;
import dev.lamina.processor.emit.java.Names;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import javax.lang.model.element.Modifier;

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
        parts.constant(FieldSpec.builder(RESPONSE_NORM_GEOMETRY, Names.constant(node, "GEOMETRY"), Modifier.PRIVATE,
                        Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Sizes of $L: positions, channels, window, alpha, beta, k.\n", node.name())
                .initializer("new $T($L, $L, $L, $Lf, $Lf, $Lf)", RESPONSE_NORM_GEOMETRY, node.in().spatial(),
                        node.in().channels(), op.size(), (float) op.alpha(), (float) op.beta(), (float) op.k())
                .build());
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
        b.addStatement("$T.forward($L, $L, in, $L, scales, out)", RESPONSE_NORMALIZATION, c.geometry(), c.a(),
                c.rows());
        return b.build();
    }

    @Override
    public CodeBlock backward(Op.ResponseNorm lrn, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareDelta(b);
        c.declareDeltaIn(b);
        c.declareIn(b);
        b.addStatement("int scales = $L", c.slice(c.constant("STATS"), node.out().size()));
        b.addStatement("$T.backward($L, $L, delta, in, $L, scales, deltaIn)", RESPONSE_NORMALIZATION, c.geometry(),
                c.a(), c.rows());
        c.accumulateInputGradient(b, "deltaIn");
        return b.build();
    }
}
