package dev.lamina.processor.ops.upsample;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.Names;
import dev.lamina.processor.emit.java.SecondOrderContext;
import dev.lamina.processor.emit.java.SecondOrderJava;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/**
 * An Upsample layer's R-rules: it is linear and has no parameters, so {@code R{x}} goes where {@code x} went.
 * Nearest-neighbour: each output position takes {@code R{x}} of its source, and the gradients of the
 * {@code scale x scale} copies add up at the source. Max-unpooling: each value goes to its pool's winner
 * (the pool's R-forward step keeps them in {@code <pool field>Win}); where windows won the same input, the last
 * one's value is kept, as in the runtime, and only that window receives the gradient.
 */
final class UpsampleSecondOrder implements SecondOrderJava<Op.Upsample> {
    static final UpsampleSecondOrder RULES = new UpsampleSecondOrder();

    private UpsampleSecondOrder() {
    }

    @Override
    public CodeBlock rForward(Op.Upsample u, Node node, SecondOrderContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        if (c.readsNetworkInput()) {
            return b.build();
        }
        if (u.pool() >= 0) {
            b.beginControlFlow("for (int o = 0; o < n * $L; o++)", node.in().size());
            b.addStatement("$L[$L[o]] = $L[o]", c.rOut(), winners(u, c), c.rIn());
            b.endControlFlow();
            return b.build();
        }
        b.add(nearest(u, node, CodeBlock.builder().addStatement("$L[k] = $L[i]", c.rOut(), c.rIn()).build()));
        return b.build();
    }

    @Override
    public CodeBlock rBackward(Op.Upsample u, Node node, SecondOrderContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        if (c.readsNetworkInput()) {
            return b.build();
        }
        if (u.pool() >= 0) {
            b.add("{\n").indent();
            // the window whose value each input kept: the last in raster order that won it
            b.addStatement("int[] owner = new int[n * $L]", node.out().size());
            b.beginControlFlow("for (int o = 0; o < n * $L; o++)", node.in().size());
            b.addStatement("owner[$L[o]] = o", winners(u, c));
            b.endControlFlow();
            b.beginControlFlow("for (int o = 0; o < n * $L; o++)", node.in().size());
            b.addStatement("int at = $L[o]", winners(u, c));
            b.beginControlFlow("if (owner[at] == o)");
            b.addStatement("$L[o] += $L[at]", c.dIn(), c.dOut());
            b.addStatement("$L[o] += $L[at]", c.rdIn(), c.rdOut());
            b.endControlFlow();
            b.endControlFlow();
            b.unindent().add("}\n");
            return b.build();
        }
        b.add(nearest(u, node, CodeBlock.builder().addStatement("$L[i] += $L[k]", c.dIn(), c.dOut())
                .addStatement("$L[i] += $L[k]", c.rdIn(), c.rdOut()).build()));
        return b.build();
    }

    /** The winners of the pool an unpooling reverses. */
    private static String winners(Op.Upsample u, SecondOrderContext c) {
        return Names.field(c.graph().node(u.pool())) + "Win";
    }

    /** Loops over every output value {@code k} (in the batch) and its source {@code i}. */
    private static CodeBlock nearest(Op.Upsample u, Node node, CodeBlock body) {
        int h = node.in().height();
        int w = node.in().width();
        int ch = node.in().channels();
        int s = u.scale();
        CodeBlock.Builder b = CodeBlock.builder();
        b.beginControlFlow("for (int r = 0; r < n; r++)");
        b.beginControlFlow("for (int y = 0; y < $L; y++)", h * s);
        b.beginControlFlow("for (int x = 0; x < $L; x++)", w * s);
        b.beginControlFlow("for (int q = 0; q < $L; q++)", ch);
        b.addStatement("int k = ((r * $L + y) * $L + x) * $L + q", h * s, w * s, ch);
        b.addStatement("int i = ((r * $L + y / $L) * $L + x / $L) * $L + q", h, s, w, s, ch);
        b.add(body);
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
        return b.build();
    }
}
