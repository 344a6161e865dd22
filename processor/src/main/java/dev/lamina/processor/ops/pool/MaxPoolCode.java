package dev.lamina.processor.ops.pool;

import static dev.lamina.processor.emit.java.RuntimeTypes.MAX_POOL_2X2;
import static dev.lamina.processor.emit.java.RuntimeTypes.POOLING;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.LayerContext;
import dev.lamina.processor.emit.java.Names;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.plan.WideRows;

/** Max pooling's Java code, for a pool layer and for a convolution that fusion folded a pool into. */
public final class MaxPoolCode {
    private MaxPoolCode() {
    }

    /** Max pooling of region {@code in} (of shape {@code input}) into {@code out}. */
    public static void forward(CodeBlock.Builder b, LayerContext c, Op.Pool p, Shape input, String in) {
        Node node = c.node();
        if (p.isMax2x2()) {
            if (WideRows.applies(node)) {
                b.addStatement("$T.forward($L, $L, $L, $L, $L, $L, $L, $L, out)", MAX_POOL_2X2, c.a(), in, c.rows(),
                        input.height(), input.width(), input.channels(), WideRows.gridWidth(node) * input.channels(),
                        c.a());
            } else {
                b.addStatement("$T.forward($L, $L, $L, $L, $L, $L, $L, out)", MAX_POOL_2X2, c.a(), in, c.rows(),
                        input.height(), input.width(), input.channels(), c.a());
            }
            return;
        }
        b.addStatement("$T.maxForward($L, $L, $L, $L, $L, $L, $L, $L, $L$L, $L, $L, out, $L, $L)", POOLING, c.a(), in,
                c.rows(), input.height(), input.width(), input.channels(), p.kernel(), p.stride(),
                p.padding() > 0 ? p.padding() + ", " : "", node.out().height(), node.out().width(), c.a(),
                c.indices(), c.slice(Names.argmax(node), node.out().size()));
    }

    /**
     * Routes {@code delta} (at the pooled output) to the winners, in region {@code target} of shape {@code input};
     * {@code values} is the region the pool read, for the kernel that finds the winners again.
     */
    public static void backward(CodeBlock.Builder b, LayerContext c, Op.Pool p, Shape input, String values,
                                String target) {
        Node node = c.node();
        if (p.isMax2x2()) {
            String rowLength = WideRows.applies(node) ? ", " + WideRows.gridWidth(node) * input.channels() : "";
            b.addStatement("$T.backward($L, $L, $L, delta, $L, $L, $L, $L$L, $L, $L)", MAX_POOL_2X2, c.a(), values,
                    c.a(), c.rows(), input.height(), input.width(), input.channels(), rowLength, c.a(), target);
            return;
        }
        b.addStatement("$T.maxBackward($L, delta, $L, $L, $L, $L, $L, $L)", POOLING, c.a(),
                c.rows(node.out().size()), c.indices(), c.slice(Names.argmax(node), node.out().size()), c.a(), target,
                c.rows(input.size()));
    }
}
