package dev.lamina.processor.ops.pool;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.dsl.PoolKind;
import dev.lamina.processor.emit.java.SecondOrderContext;
import dev.lamina.processor.emit.java.SecondOrderJava;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;

/**
 * Internal, not API. A Pool layer's R-rules: pooling is linear once its winners are fixed, so {@code R{x}} goes
 * where the forward pass sent {@code x}. Max: {@code R{y} = R{x}} at each window's winner, found again from the
 * forward pass's inputs with the runtime's rule (the first maximum of the window's inputs inside the image, in
 * raster order), and the gradient and its R go back to the winner. Average: the window's mean of {@code R{x}}, the
 * gradients spread evenly. Global average: the mean over all positions of each channel. A pool has no parameters
 * and no curvature of its own. The winners are kept in {@code <field>Win} (a max-unpooling reads them).
 */
public final class PoolSecondOrder implements SecondOrderJava<Op.Pool> {
    static final PoolSecondOrder RULES = new PoolSecondOrder();

    private PoolSecondOrder() {
    }

    @Override
    public CodeBlock rForward(Op.Pool p, Node node, SecondOrderContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        Shape in = node.in();
        Shape out = node.out();
        if (p.poolKind() == PoolKind.MAX) {
            b.addStatement("int[] $L = new int[n * $L]", c.own("Win"), out.size());
            b.add("{\n").indent();
            b.addStatement("int in = $L", c.inRegion());
            b.add(winners(p, in, out, "a.get(in + ", ")", c.own("Win")));
            b.unindent().add("}\n");
        }
        if (c.readsNetworkInput()) {
            // the network's input has no R: R{y} stays zero
            return b.build();
        }
        b.beginControlFlow("for (int s = 0; s < n; s++)");
        int levels = window(b, p, in, out);
        if (p.poolKind() == PoolKind.MAX) {
            b.addStatement("$L[o] = $L[$L[o]]", c.rOut(), c.rIn(), c.own("Win"));
        } else {
            b.addStatement("double sum = 0");
            b.beginControlFlow("for (int x : window)");
            b.addStatement("sum += $L[x]", c.rIn());
            b.endControlFlow();
            b.addStatement("$L[o] = sum / window.length", c.rOut());
        }
        closeWindow(b, levels);
        b.endControlFlow();
        return b.build();
    }

    @Override
    public CodeBlock rBackward(Op.Pool p, Node node, SecondOrderContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        if (c.readsNetworkInput()) {
            return b.build();
        }
        b.beginControlFlow("for (int s = 0; s < n; s++)");
        int levels = window(b, p, node.in(), node.out());
        if (p.poolKind() == PoolKind.MAX) {
            b.addStatement("$L[$L[o]] += $L[o]", c.dIn(), c.own("Win"), c.dOut());
            b.addStatement("$L[$L[o]] += $L[o]", c.rdIn(), c.own("Win"), c.rdOut());
        } else {
            b.beginControlFlow("for (int x : window)");
            b.addStatement("$L[x] += $L[o] / window.length", c.dIn(), c.dOut());
            b.addStatement("$L[x] += $L[o] / window.length", c.rdIn(), c.rdOut());
            b.endControlFlow();
        }
        closeWindow(b, levels);
        b.endControlFlow();
        return b.build();
    }

    /**
     * Opens the loops over sample {@code s}'s pooled values {@code o} (in the batch); an average pool's also
     * gather its window's inputs (in the batch) into {@code window}. A max pool has its winner.
     *
     * @return the loops opened
     */
    private static int window(CodeBlock.Builder b, Op.Pool p, Shape in, Shape out) {
        if (p.poolKind() == PoolKind.GLOBAL_AVERAGE) {
            b.beginControlFlow("for (int ch = 0; ch < $L; ch++)", in.channels());
            b.addStatement("int o = s * $L + ch", out.size());
            b.addStatement("int[] window = new int[$L]", in.spatial());
            b.beginControlFlow("for (int q = 0; q < $L; q++)", in.spatial());
            b.addStatement("window[q] = (s * $L + q) * $L + ch", in.spatial(), in.channels());
            b.endControlFlow();
            return 1;
        }
        b.beginControlFlow("for (int oy = 0; oy < $L; oy++)", out.height());
        b.beginControlFlow("for (int ox = 0; ox < $L; ox++)", out.width());
        if (p.poolKind() == PoolKind.MAX) {
            b.beginControlFlow("for (int ch = 0; ch < $L; ch++)", in.channels());
            b.addStatement("int o = ((s * $L + oy) * $L + ox) * $L + ch", out.height(), out.width(), out.channels());
            return 3;
        }
        // average windows always fit inside the image (no padding)
        b.beginControlFlow("for (int ch = 0; ch < $L; ch++)", in.channels());
        b.addStatement("int o = ((s * $L + oy) * $L + ox) * $L + ch", out.height(), out.width(), out.channels());
        b.addStatement("int[] window = new int[$L]", p.kernel() * p.kernel());
        b.beginControlFlow("for (int ky = 0, q = 0; ky < $L; ky++)", p.kernel());
        b.beginControlFlow("for (int kx = 0; kx < $L; kx++, q++)", p.kernel());
        b.addStatement("window[q] = ((s * $L + oy * $L + ky) * $L + ox * $L + kx) * $L + ch", in.height(),
                p.stride(), in.width(), p.stride(), in.channels());
        b.endControlFlow();
        b.endControlFlow();
        return 3;
    }

    private static void closeWindow(CodeBlock.Builder b, int levels) {
        for (int i = 0; i < levels; i++) {
            b.endControlFlow();
        }
    }

    /**
     * Fills {@code win} with each max-pooled value's winner (its input's index in the batch), the runtime's: the
     * first maximum of the window's inputs inside the image, in raster order. An input value is
     * {@code prefix + index + suffix}, for the arena or for a double array.
     */
    public static CodeBlock winners(Op.Pool p, Shape in, Shape out, String prefix, String suffix, String win) {
        CodeBlock.Builder b = CodeBlock.builder();
        b.beginControlFlow("for (int s = 0; s < n; s++)");
        b.beginControlFlow("for (int oy = 0; oy < $L; oy++)", out.height());
        b.addStatement("int y0 = Math.max(0, oy * $L - $L)", p.stride(), p.padding());
        b.addStatement("int y1 = Math.min($L, oy * $L - $L + $L)", in.height(), p.stride(), p.padding(), p.kernel());
        b.beginControlFlow("for (int ox = 0; ox < $L; ox++)", out.width());
        b.addStatement("int x0 = Math.max(0, ox * $L - $L)", p.stride(), p.padding());
        b.addStatement("int x1 = Math.min($L, ox * $L - $L + $L)", in.width(), p.stride(), p.padding(), p.kernel());
        b.beginControlFlow("for (int ch = 0; ch < $L; ch++)", in.channels());
        b.addStatement("int best = ((s * $L + y0) * $L + x0) * $L + ch", in.height(), in.width(), in.channels());
        b.beginControlFlow("for (int y = y0; y < y1; y++)");
        b.beginControlFlow("for (int x = x0; x < x1; x++)");
        b.addStatement("int at = ((s * $L + y) * $L + x) * $L + ch", in.height(), in.width(), in.channels());
        b.beginControlFlow("if (" + prefix + "at" + suffix + " > " + prefix + "best" + suffix + ")");
        b.addStatement("best = at");
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
        b.addStatement("$L[((s * $L + oy) * $L + ox) * $L + ch] = best", win, out.height(), out.width(),
                out.channels());
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
        return b.build();
    }
}
