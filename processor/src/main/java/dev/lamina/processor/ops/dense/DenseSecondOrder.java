package dev.lamina.processor.ops.dense;

import static dev.lamina.processor.emit.java.RuntimeTypes.BLAS;

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
 * On a sequence every step of every row is a row. The products run through {@code Blas.dgemm} on double copies
 * of the layer's input, weights and the direction's weights, made once per call in the R-forward step.
 */
final class DenseSecondOrder implements SecondOrderJava<Op.Dense> {
    static final DenseSecondOrder RULES = new DenseSecondOrder();

    private DenseSecondOrder() {
    }

    @Override
    public CodeBlock rForward(Op.Dense d, Node node, SecondOrderContext c) {
        int units = d.units();
        int features = node.in().sequence() ? node.in().features() : node.in().size();
        String rows = rows(node);
        boolean input = !c.readsNetworkInput();
        CodeBlock.Builder b = CodeBlock.builder();
        // the layer's input, weights and the direction's weights in double once, for both passes' GEMMs
        b.addStatement("double[] $L = new double[$L * $L]", c.own("Ra"), rows, units);
        b.addStatement("double[] $L = new double[$L * $L]", c.own("X"), rows, features);
        b.addStatement("double[] $L = java.util.Arrays.copyOfRange(v, $L, $L + $L)", c.own("V"),
                c.constant("WEIGHT"), c.constant("WEIGHT"), units * features);
        if (input) {
            b.addStatement("double[] $L = new double[$L]", c.own("W"), units * features);
        }
        b.add("{\n").indent();
        b.addStatement("int in = $L", c.inRegion());
        b.beginControlFlow("for (int x = 0; x < $L.length; x++)", c.own("X"));
        b.addStatement("$L[x] = a.get(in + x)", c.own("X"));
        b.endControlFlow();
        // R{a} = X V^T (+ R{X} W^T)
        b.addStatement("$T.dgemm(false, true, $L, $L, $L, 1.0, $L, 0, $L, $L, 0, $L, 0.0, $L, 0, $L)", BLAS, rows,
                units, features, c.own("X"), features, c.own("V"), features, c.own("Ra"), units);
        if (input) {
            b.beginControlFlow("for (int w = 0; w < $L; w++)", units * features);
            b.addStatement("$L[w] = p.get($L + w)", c.own("W"), c.constant("WEIGHT"));
            b.endControlFlow();
            b.addStatement("$T.dgemm(false, true, $L, $L, $L, 1.0, $L, 0, $L, $L, 0, $L, 1.0, $L, 0, $L)", BLAS, rows,
                    units, features, c.rIn(), features, c.own("W"), features, c.own("Ra"), units);
        }
        b.addStatement("int o = $L", c.outRegion());
        b.beginControlFlow("for (int r = 0; r < $L; r++)", rows);
        b.beginControlFlow("for (int u = 0; u < $L; u++)", units);
        b.addStatement("int i = r * $L + u", units);
        if (d.bias()) {
            b.addStatement("$L[i] += v[$L + u]", c.own("Ra"), c.constant("BIAS"));
        }
        b.addStatement("float y = a.get(o + i)");
        b.addStatement("$L[i] = $L * $L[i]", c.rOut(), ActivationCurvature.first(d.activation(), "y"), c.own("Ra"));
        b.endControlFlow();
        b.endControlFlow();
        b.unindent().add("}\n");
        return b.build();
    }

    @Override
    public CodeBlock rBackward(Op.Dense d, Node node, SecondOrderContext c) {
        int units = d.units();
        int features = node.in().sequence() ? node.in().features() : node.in().size();
        String rows = rows(node);
        boolean input = !c.readsNetworkInput();
        CodeBlock.Builder b = CodeBlock.builder();
        b.add("{\n").indent();
        b.addStatement("int o = $L", c.outRegion());
        b.addStatement("double[] ga = new double[$L * $L]", rows, units);
        b.addStatement("double[] rga = new double[$L * $L]", rows, units);
        b.beginControlFlow("for (int r = 0; r < $L; r++)", rows);
        b.beginControlFlow("for (int u = 0; u < $L; u++)", units);
        b.addStatement("int i = r * $L + u", units);
        b.addStatement("float y = a.get(o + i)");
        b.addStatement("double h1 = $L", ActivationCurvature.first(d.activation(), "y"));
        b.addStatement("double h2 = $L", ActivationCurvature.second(d.activation(), "y"));
        b.addStatement("ga[i] = h1 * $L[i]", c.dOut());
        b.addStatement("rga[i] = h2 * $L[i] * $L[i] + h1 * $L[i]", c.own("Ra"), c.dOut(), c.rdOut());
        if (d.bias()) {
            b.addStatement("out[$L + u] += rga[i]", c.constant("BIAS"));
        }
        b.endControlFlow();
        b.endControlFlow();
        // (H v)_W = R{g_a}^T X (+ g_a^T R{X}), into a local array: the GEMM copies its arrays, out is all parameters
        b.addStatement("double[] hw = new double[$L]", units * features);
        b.addStatement("$T.dgemm(true, false, $L, $L, $L, 1.0, rga, 0, $L, $L, 0, $L, 0.0, hw, 0, $L)", BLAS, units,
                features, rows, units, c.own("X"), features, features);
        if (input) {
            b.addStatement("$T.dgemm(true, false, $L, $L, $L, 1.0, ga, 0, $L, $L, 0, $L, 1.0, hw, 0, $L)", BLAS,
                    units, features, rows, units, c.rIn(), features, features);
            // g_x += g_a W, R{g_x} += g_a V + R{g_a} W
            b.addStatement("$T.dgemm(false, false, $L, $L, $L, 1.0, ga, 0, $L, $L, 0, $L, 1.0, $L, 0, $L)", BLAS,
                    rows, features, units, units, c.own("W"), features, c.dIn(), features);
            b.addStatement("$T.dgemm(false, false, $L, $L, $L, 1.0, ga, 0, $L, $L, 0, $L, 1.0, $L, 0, $L)", BLAS,
                    rows, features, units, units, c.own("V"), features, c.rdIn(), features);
            b.addStatement("$T.dgemm(false, false, $L, $L, $L, 1.0, rga, 0, $L, $L, 0, $L, 1.0, $L, 0, $L)", BLAS,
                    rows, features, units, units, c.own("W"), features, c.rdIn(), features);
        }
        b.beginControlFlow("for (int w = 0; w < $L; w++)", units * features);
        b.addStatement("out[$L + w] += hw[w]", c.constant("WEIGHT"));
        b.endControlFlow();
        b.unindent().add("}\n");
        return b.build();
    }

    /** The rows of the batch: {@code n}, or {@code n * steps} on a sequence. */
    private static String rows(Node node) {
        return node.in().sequence() ? "n * " + node.in().steps() : "n";
    }
}
