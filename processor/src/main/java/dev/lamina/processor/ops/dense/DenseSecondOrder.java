package dev.lamina.processor.ops.dense;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.ActivationCurvature;
import dev.lamina.processor.emit.java.SecondOrderContext;
import dev.lamina.processor.emit.java.SecondOrderJava;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/**
 * A Dense layer's R-rules, {@code a = W x + b}, {@code y = h(a)}, with {@code V} and {@code v_b} the direction's
 * parts for {@code W} and {@code b}. Forward: {@code R{a} = W R{x} + V x + v_b}, {@code R{y} = h'(a) R{a}}.
 * Backward, from {@code g_y} and {@code R{g_y}}: {@code g_a = h'(a) g_y}, {@code R{g_a} = h''(a) R{a} g_y +
 * h'(a) R{g_y}}; then {@code (H v)_W = sum_rows R{g_a} x^T + g_a R{x}^T}, {@code (H v)_b = sum_rows R{g_a}}, and
 * at the input {@code g_x = W^T g_a}, {@code R{g_x} = V^T g_a + W^T R{g_a}}. Weights are {@code [units][features]}.
 * On a sequence every step of every row is a row.
 */
final class DenseSecondOrder implements SecondOrderJava<Op.Dense> {
    static final DenseSecondOrder RULES = new DenseSecondOrder();

    private DenseSecondOrder() {
    }

    @Override
    public CodeBlock rForward(Op.Dense d, Node node, SecondOrderContext c) {
        int units = d.units();
        int features = node.in().sequence() ? node.in().features() : node.in().size();
        CodeBlock.Builder b = CodeBlock.builder();
        b.addStatement("double[] $L = new double[n * $L]", c.own("Ra"), node.out().size());
        b.add("{\n").indent();
        b.addStatement("int in = $L", c.inRegion());
        b.addStatement("int o = $L", c.outRegion());
        b.beginControlFlow("for (int r = 0; r < $L; r++)", rows(node));
        b.beginControlFlow("for (int u = 0; u < $L; u++)", units);
        if (d.bias()) {
            b.addStatement("double s = v[$L + u]", c.constant("BIAS"));
        } else {
            b.addStatement("double s = 0");
        }
        b.addStatement("int w = $L + u * $L", c.constant("WEIGHT"), features);
        b.beginControlFlow("for (int f = 0; f < $L; f++)", features);
        if (c.readsNetworkInput()) {
            b.addStatement("s += v[w + f] * a.get(in + r * $L + f)", features);
        } else {
            b.addStatement("s += v[w + f] * a.get(in + r * $L + f) + p.get(w + f) * $L[r * $L + f]", features,
                    c.rIn(), features);
        }
        b.endControlFlow();
        b.addStatement("int i = r * $L + u", units);
        b.addStatement("float y = a.get(o + i)");
        b.addStatement("$L[i] = s", c.own("Ra"));
        b.addStatement("$L[i] = $L * s", c.rOut(), ActivationCurvature.first(d.activation(), "y"));
        b.endControlFlow();
        b.endControlFlow();
        b.unindent().add("}\n");
        return b.build();
    }

    @Override
    public CodeBlock rBackward(Op.Dense d, Node node, SecondOrderContext c) {
        int units = d.units();
        int features = node.in().sequence() ? node.in().features() : node.in().size();
        boolean input = !c.readsNetworkInput();
        CodeBlock.Builder b = CodeBlock.builder();
        b.add("{\n").indent();
        b.addStatement("int in = $L", c.inRegion());
        b.addStatement("int o = $L", c.outRegion());
        b.beginControlFlow("for (int r = 0; r < $L; r++)", rows(node));
        b.beginControlFlow("for (int u = 0; u < $L; u++)", units);
        b.addStatement("int i = r * $L + u", units);
        b.addStatement("float y = a.get(o + i)");
        b.addStatement("double h1 = $L", ActivationCurvature.first(d.activation(), "y"));
        b.addStatement("double h2 = $L", ActivationCurvature.second(d.activation(), "y"));
        b.addStatement("double ga = h1 * $L[i]", c.dOut());
        b.addStatement("double rga = h2 * $L[i] * $L[i] + h1 * $L[i]", c.own("Ra"), c.dOut(), c.rdOut());
        if (d.bias()) {
            b.addStatement("out[$L + u] += rga", c.constant("BIAS"));
        }
        b.addStatement("int w = $L + u * $L", c.constant("WEIGHT"), features);
        b.beginControlFlow("for (int f = 0; f < $L; f++)", features);
        b.addStatement("int x = r * $L + f", features);
        if (input) {
            b.addStatement("out[w + f] += rga * a.get(in + x) + ga * $L[x]", c.rIn());
            b.addStatement("double weight = p.get(w + f)");
            b.addStatement("$L[x] += weight * ga", c.dIn());
            b.addStatement("$L[x] += v[w + f] * ga + weight * rga", c.rdIn());
        } else {
            b.addStatement("out[w + f] += rga * a.get(in + x)");
        }
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
        b.unindent().add("}\n");
        return b.build();
    }

    /** The rows of the batch: {@code n}, or {@code n * steps} on a sequence. */
    private static String rows(Node node) {
        return node.in().sequence() ? "n * " + node.in().steps() : "n";
    }
}
