package dev.lamina.processor.ops.pool;

import static dev.lamina.processor.emit.java.RuntimeTypes.POOLING;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.dsl.PoolKind;
import dev.lamina.processor.emit.java.ClassParts;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.emit.java.LayerCode;
import dev.lamina.processor.emit.java.LayerContext;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/** The Java lowering of a Pool layer: max (2x2 or general, recording its winners), average, global average. */
final class PoolJava implements JavaLowering<Op.Pool> {
    static final PoolJava LOWERING = new PoolJava();

    private PoolJava() {
    }

    @Override
    public String describe(Op.Pool op, Node node) {
        return LayerCode.describe(node, op.poolKind() + " pool", null);
    }

    @Override
    public void declare(Op.Pool op, Node node, ClassParts parts) {
        if (op.poolKind() != PoolKind.GLOBAL_AVERAGE) {
            PoolCode.declare(parts, node, op, node.in(), node.name());
        }
    }

    @Override
    public CodeBlock statistics(Op.Pool op, Node node, LayerContext c) {
        return CodeBlock.of("");
    }

    @Override
    public CodeBlock forward(Op.Pool p, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareIn(b);
        c.declareOut(b);
        if (p.poolKind() == PoolKind.MAX) {
            PoolCode.forward(b, c, p, "in");
        } else if (p.poolKind() == PoolKind.AVERAGE) {
            b.addStatement("$T.averageForward($L, $L, in, $L, $L, out)", POOLING, c.geometry(), c.a(), c.rows(),
                    c.a());
        } else {
            b.addStatement("$T.globalAverageForward($L, in, $L, $L, $L, $L, out)", POOLING, c.a(), c.rows(),
                    node.in().spatial(), node.in().channels(), c.a());
        }
        return b.build();
    }

    @Override
    public CodeBlock backward(Op.Pool p, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareDelta(b);
        c.declareDeltaIn(b);
        if (p.poolKind() == PoolKind.MAX) {
            c.declareIn(b);
            PoolCode.backward(b, c, p, node.in(), "in", "deltaIn");
        } else if (p.poolKind() == PoolKind.AVERAGE) {
            b.addStatement("$T.averageBackward($L, $L, delta, $L, $L, deltaIn)", POOLING, c.geometry(), c.a(),
                    c.rows(), c.a());
        } else {
            b.addStatement("$T.globalAverageBackward($L, delta, $L, $L, $L, $L, deltaIn)", POOLING, c.a(), c.rows(),
                    node.in().spatial(), node.in().channels(), c.a());
        }
        c.accumulateInputGradient(b, "deltaIn");
        return b.build();
    }
}
