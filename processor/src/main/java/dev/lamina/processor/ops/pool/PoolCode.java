package dev.lamina.processor.ops.pool;

import static dev.lamina.processor.emit.java.RuntimeTypes.MAX_POOL_2X2;
import static dev.lamina.processor.emit.java.RuntimeTypes.POOLING;
import static dev.lamina.processor.emit.java.RuntimeTypes.POOL_GEOMETRY;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.lamina.processor.emit.java.ClassParts;
import dev.lamina.processor.emit.java.LayerContext;
import dev.lamina.processor.emit.java.Names;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.plan.WideRows;
import javax.lang.model.element.Modifier;

/**
 * Pooling's Java code, for a pool layer and for a convolution that fusion folded a max pool into: the pooling's
 * sizes as a {@code PoolGeometry} constant named after the pool's field, and the max pool's kernel calls.
 */
public final class PoolCode {
    private PoolCode() {
    }

    /** The constant holding the sizes of {@code pool}, the field of a pool layer or of a pool fused into a layer. */
    public static String geometry(String pool) {
        return Names.constant(pool) + "_GEOMETRY";
    }

    /** The constant holding the sizes of the pooling {@code node} runs (its own, or the one fused into it). */
    static String geometry(Node node) {
        return node.hasFusedPool() ? geometry(node.pool().name()) : Names.constant(node, "GEOMETRY");
    }

    /**
     * Declares the sizes of {@code p}, run by {@code node} over {@code input} (a convolution's own output when the
     * pool was fused into it) into {@code node}'s output.
     */
    public static void declare(ClassParts parts, Node node, Op.Pool p, Shape input, String pool) {
        boolean wide = WideRows.applies(node);
        parts.constant(FieldSpec.builder(POOL_GEOMETRY, geometry(node), Modifier.PRIVATE, Modifier.STATIC,
                        Modifier.FINAL)
                .addJavadoc("Sizes of $L's pooling: input, window, stride, padding, output$L.\n", pool,
                        wide ? "; its input rows are as wide as the convolution's padded input" : "")
                .initializer("new $T($L, $L, $L, $L, $L, $L, $L, $L$L)", POOL_GEOMETRY, input.height(),
                        input.width(), input.channels(), p.kernel(), p.stride(), p.padding(), node.out().height(),
                        node.out().width(), wide ? ", " + WideRows.gridWidth(node) * input.channels() : "")
                .build());
    }

    /** Max pooling of region {@code in} into {@code out}. */
    public static void forward(CodeBlock.Builder b, LayerContext c, Op.Pool p, String in) {
        Node node = c.node();
        if (p.isMax2x2()) {
            b.addStatement("$T.forward($L, $L, $L, $L, $L, out)", MAX_POOL_2X2, geometry(node), c.a(), in, c.rows(),
                    c.a());
            return;
        }
        b.addStatement("$T.maxForward($L, $L, $L, $L, $L, out, $L, $L)", POOLING, geometry(node), c.a(), in,
                c.rows(), c.a(), c.indices(), c.slice(Names.argmax(node), node.out().size()));
    }

    /**
     * Routes {@code delta} (at the pooled output) to the winners, in region {@code target} of shape {@code input};
     * {@code values} is the region the pool read, for the kernel that finds the winners again.
     */
    public static void backward(CodeBlock.Builder b, LayerContext c, Op.Pool p, Shape input, String values,
                                String target) {
        Node node = c.node();
        if (p.isMax2x2()) {
            b.addStatement("$T.backward($L, $L, $L, $L, delta, $L, $L, $L)", MAX_POOL_2X2, geometry(node), c.a(),
                    values, c.a(), c.rows(), c.a(), target);
            return;
        }
        b.addStatement("$T.maxBackward($L, delta, $L, $L, $L, $L, $L, $L)", POOLING, c.a(),
                c.rows(node.out().size()), c.indices(), c.slice(Names.argmax(node), node.out().size()), c.a(), target,
                c.rows(input.size()));
    }
}
