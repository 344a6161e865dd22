package dev.lamina.processor.ops.upsample;

import static dev.lamina.processor.emit.java.RuntimeTypes.POOLING;
import static dev.lamina.processor.emit.java.RuntimeTypes.UPSAMPLE_GEOMETRY;
import static dev.lamina.processor.emit.java.RuntimeTypes.UPSAMPLING;

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

/** The Java lowering of an Upsample layer: nearest-neighbour repetition, or an unpooling to a max pool's winners. */
final class UpsampleJava implements JavaLowering<Op.Upsample> {
    static final UpsampleJava LOWERING = new UpsampleJava();

    private UpsampleJava() {
    }

    @Override
    public String describe(Op.Upsample op, Node node) {
        return LayerCode.describe(node, op.kind(), null);
    }

    @Override
    public void declare(Op.Upsample op, Node node, ClassParts parts) {
        if (op.pool() < 0) {
            parts.constant(FieldSpec.builder(UPSAMPLE_GEOMETRY, Names.constant(node, "GEOMETRY"), Modifier.PRIVATE,
                            Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("Sizes of $L: input, scale.\n", node.name())
                    .initializer("new $T($L, $L, $L, $L)", UPSAMPLE_GEOMETRY, node.in().height(), node.in().width(),
                            node.in().channels(), op.scale())
                    .build());
        }
    }

    @Override
    public CodeBlock statistics(Op.Upsample op, Node node, LayerContext c) {
        return CodeBlock.of("");
    }

    @Override
    public CodeBlock forward(Op.Upsample u, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareIn(b);
        c.declareOut(b);
        if (u.pool() >= 0) {
            // each value back where the pool found it
            Node pool = c.graph().node(u.pool());
            b.addStatement("$T.unpool($L, in, $L, $L, $L, $L, out, $L)", POOLING, c.a(), c.rows(pool.out().size()),
                    c.indices(), c.slice(Names.argmax(pool), pool.out().size()), c.a(), c.rows(pool.in().size()));
        } else {
            b.addStatement("$T.forward($L, $L, in, $L, out)", UPSAMPLING, c.geometry(), c.a(), c.rows());
        }
        return b.build();
    }

    @Override
    public CodeBlock backward(Op.Upsample u, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareDelta(b);
        c.declareDeltaIn(b);
        if (u.pool() >= 0) {
            Node pool = c.graph().node(u.pool());
            b.addStatement("$T.unpoolBackward($L, delta, $L, $L, $L, $L, deltaIn, $L)", POOLING, c.a(), c.indices(),
                    c.slice(Names.argmax(pool), pool.out().size()), c.rows(pool.out().size()), c.a(),
                    c.rows(pool.in().size()));
        } else {
            b.addStatement("$T.backward($L, $L, delta, $L, deltaIn)", UPSAMPLING, c.geometry(), c.a(), c.rows());
        }
        c.accumulateInputGradient(b, "deltaIn");
        return b.build();
    }
}
