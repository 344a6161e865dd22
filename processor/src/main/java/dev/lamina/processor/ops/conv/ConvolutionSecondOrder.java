package dev.lamina.processor.ops.conv;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.ActivationCurvature;
import dev.lamina.processor.emit.java.SecondOrderContext;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.pool.PoolSecondOrder;

/**
 * Internal, not API. The R-rules of a convolution, {@code s = conv(W, x)}, {@code a = s + b} (after the fused max
 * pool, if any: {@code a = max(s) + b}), {@code y = h(a)}, for Conv, Conv1d and ConvTranspose alike. Forward:
 * {@code R{s} = conv(V, x) + conv(W, R{x})}, {@code R{a} = R{s} + v_b} (at the pool's winners), {@code R{y} =
 * h'(a) R{a}}. Backward: {@code g_a = h'(a) g_y}, {@code R{g_a} = h''(a) R{a} g_y + h'(a) R{g_y}}, both routed to
 * the winners as {@code g_s}, {@code R{g_s}}; then {@code (H v)_W = corr(R{g_s}, x) + corr(g_s, R{x})},
 * {@code (H v)_b} the sums of {@code R{g_a}} per channel, and at the input {@code g_x = conv^T(W, g_s)},
 * {@code R{g_x} = conv^T(V, g_s) + conv^T(W, R{g_s})}. The fused pool's winners are found again on the raw sums,
 * recomputed in double.
 *
 * @param taps       the convolution's loops
 * @param transposed whether the output is the big side (ConvTranspose)
 * @param activation the fused activation
 * @param bias       whether there is a bias
 * @param pool       the max pool fused into the layer, or null
 */
public record ConvolutionSecondOrder(ConvolutionTaps taps, boolean transposed, Op.Act activation, boolean bias,
                                     Op.Pool pool) {
    /** {@return the R-forward step of {@code node}} */
    public CodeBlock rForward(Node node, SecondOrderContext c) {
        if (node.hasFusedDropout()) {
            // the R-rules read the masked output as h(a): a wrong product, so never code for it
            throw new IllegalStateException(node.name() + " (" + node.op().kind() + ") has a dropout fused in, "
                    + "whose mask its R-rules do not apply yet");
        }
        boolean input = !c.readsNetworkInput();
        int channels = node.out().channels();
        CodeBlock.Builder b = CodeBlock.builder();
        b.addStatement("double[] $L = new double[n * $L]", c.own("Rs"), node.ownOut().size());
        b.addStatement("double[] $L = new double[n * $L]", c.own("Ra"), node.out().size());
        if (pool != null) {
            b.addStatement("double[] $L = new double[n * $L]", c.own("S"), node.ownOut().size());
            b.addStatement("int[] $L = new int[n * $L]", c.own("Win"), node.out().size());
        }
        b.add("{\n").indent();
        b.addStatement("int in = $L", c.inRegion());
        b.addStatement("int o = $L", c.outRegion());
        String out = transposed ? "k" : "i";
        String x = transposed ? "i" : "k";
        CodeBlock.Builder body = CodeBlock.builder();
        body.addStatement("double weight = p.get($L + w)", c.constant("WEIGHT"));
        body.addStatement("double xv = a.get(in + $L)", x);
        if (input) {
            body.addStatement("$L[$L] += v[$L + w] * xv + weight * $L[$L]", c.own("Rs"), out, c.constant("WEIGHT"),
                    c.rIn(), x);
        } else {
            body.addStatement("$L[$L] += v[$L + w] * xv", c.own("Rs"), out, c.constant("WEIGHT"));
        }
        if (pool != null) {
            body.addStatement("$L[$L] += weight * xv", c.own("S"), out);
        }
        b.add(taps.loops(body.build()));
        if (pool != null) {
            b.add(PoolSecondOrder.winners(pool, node.ownOut(), node.out(), c.own("S") + "[", "]", c.own("Win")));
        }
        b.beginControlFlow("for (int i = 0; i < n * $L; i++)", node.out().size());
        String rs = pool != null ? c.own("Rs") + "[" + c.own("Win") + "[i]]" : c.own("Rs") + "[i]";
        if (bias) {
            b.addStatement("$L[i] = $L + v[$L + i % $L]", c.own("Ra"), rs, c.constant("BIAS"), channels);
        } else {
            b.addStatement("$L[i] = $L", c.own("Ra"), rs);
        }
        b.addStatement("float y = a.get(o + i)");
        b.addStatement("$L[i] = $L * $L[i]", c.rOut(), ActivationCurvature.first(activation, "y"), c.own("Ra"));
        b.endControlFlow();
        b.unindent().add("}\n");
        return b.build();
    }

    /** {@return the R-backward step of {@code node}} */
    public CodeBlock rBackward(Node node, SecondOrderContext c) {
        boolean input = !c.readsNetworkInput();
        int channels = node.out().channels();
        CodeBlock.Builder b = CodeBlock.builder();
        b.add("{\n").indent();
        b.addStatement("int in = $L", c.inRegion());
        b.addStatement("int o = $L", c.outRegion());
        b.addStatement("double[] gs = new double[n * $L]", node.ownOut().size());
        b.addStatement("double[] rgs = new double[n * $L]", node.ownOut().size());
        b.beginControlFlow("for (int i = 0; i < n * $L; i++)", node.out().size());
        b.addStatement("float y = a.get(o + i)");
        b.addStatement("double h1 = $L", ActivationCurvature.first(activation, "y"));
        b.addStatement("double h2 = $L", ActivationCurvature.second(activation, "y"));
        b.addStatement("double ga = h1 * $L[i]", c.dOut());
        b.addStatement("double rga = h2 * $L[i] * $L[i] + h1 * $L[i]", c.own("Ra"), c.dOut(), c.rdOut());
        if (bias) {
            b.addStatement("out[$L + i % $L] += rga", c.constant("BIAS"), channels);
        }
        String at = pool != null ? c.own("Win") + "[i]" : "i";
        b.addStatement("gs[$L] += ga", at);
        b.addStatement("rgs[$L] += rga", at);
        b.endControlFlow();
        String g = transposed ? "k" : "i";
        String x = transposed ? "i" : "k";
        CodeBlock.Builder body = CodeBlock.builder();
        if (input) {
            body.addStatement("double weight = p.get($L + w)", c.constant("WEIGHT"));
            body.addStatement("double direction = v[$L + w]", c.constant("WEIGHT"));
            body.addStatement("out[$L + w] += rgs[$L] * a.get(in + $L) + gs[$L] * $L[$L]", c.constant("WEIGHT"), g, x,
                    g, c.rIn(), x);
            body.addStatement("$L[$L] += weight * gs[$L]", c.dIn(), x, g);
            body.addStatement("$L[$L] += direction * gs[$L] + weight * rgs[$L]", c.rdIn(), x, g, g);
        } else {
            body.addStatement("out[$L + w] += rgs[$L] * a.get(in + $L)", c.constant("WEIGHT"), g, x);
        }
        b.add(taps.loops(body.build()));
        b.unindent().add("}\n");
        return b.build();
    }
}
