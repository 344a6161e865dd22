package dev.lamina.processor.ops.dense;

import static dev.lamina.processor.emit.java.RuntimeTypes.BLAS;

import com.palantir.javapoet.ClassName;
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
 * On a sequence every step of every row is a row. In float the products run through {@code Blas.gemm} on the
 * arena, the parameters and the direction in place, with {@code R{x}} and the gradients rounded to float on the way
 * in; in double through {@code Blas.dgemm} on double copies of the layer's input, weights and the direction's
 * weights, made once per call in the R-forward step.
 */
final class DenseSecondOrder implements SecondOrderJava<Op.Dense> {
    static final DenseSecondOrder RULES = new DenseSecondOrder();
    private static final ClassName MEMORY = ClassName.get("dev.lamina.runtime", "Memory");

    private DenseSecondOrder() {
    }

    @Override
    public CodeBlock rForward(Op.Dense d, Node node, SecondOrderContext c) {
        if (c.arithmetic().inFloat()) {
            return floatForward(d, node, c);
        }
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
        if (c.arithmetic().inFloat()) {
            return floatBackward(d, node, c);
        }
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

    /**
     * The forward rules in float: {@code R{a} = X V^T + R{X} W^T} with {@code X} and {@code W} read in place, then
     * the bias's direction and {@code R{y}} in double. {@code R{X}} in float stays in a block of its own (slot 1 of
     * the layer's) for the backward step.
     */
    private static CodeBlock floatForward(Op.Dense d, Node node, SecondOrderContext c) {
        int units = d.units();
        int features = features(node);
        String rows = rows(node);
        boolean input = !c.readsNetworkInput();
        int slot = slots(node);
        CodeBlock.Builder b = CodeBlock.builder();
        b.addStatement("double[] $L = new double[$L * $L]", c.own("Ra"), rows, units);
        b.add("{\n").indent();
        b.addStatement("int in = $L", c.inRegion());
        b.addStatement("$T ra = $L.sharedMemory($L, $L * $L)", MEMORY, c.chunks(), slot, rows, units);
        b.addStatement("$T.gemm(false, true, $L, $L, $L, 1f, $L, in, $L, $L, $L, $L, 0f, ra, 0, $L)", BLAS, rows,
                units, features, c.arena(), features, c.direction(), c.constant("WEIGHT"), features, units);
        if (input) {
            b.addStatement("$T rx = $L.sharedMemory($L, $L * $L)", MEMORY, c.chunks(), slot + 1, rows, features);
            b.add(rounded("rx", c.rIn(), rows + " * " + features));
            b.addStatement("$T.gemm(false, true, $L, $L, $L, 1f, rx, 0, $L, $L, $L, $L, 1f, ra, 0, $L)", BLAS, rows,
                    units, features, features, c.params(), c.constant("WEIGHT"), features, units);
        }
        b.addStatement("float[] sums = new float[$L * $L]", rows, units);
        b.addStatement("ra.floats().get(0, sums, 0, sums.length)");
        b.addStatement("int o = $L", c.outRegion());
        b.beginControlFlow("for (int r = 0; r < $L; r++)", rows);
        b.beginControlFlow("for (int u = 0; u < $L; u++)", units);
        b.addStatement("int i = r * $L + u", units);
        if (d.bias()) {
            b.addStatement("$L[i] = sums[i] + v[$L + u]", c.own("Ra"), c.constant("BIAS"));
        } else {
            b.addStatement("$L[i] = sums[i]", c.own("Ra"));
        }
        b.addStatement("float y = a.get(o + i)");
        b.addStatement("$L[i] = $L * $L[i]", c.rOut(), ActivationCurvature.first(d.activation(), "y"), c.own("Ra"));
        b.endControlFlow();
        b.endControlFlow();
        b.unindent().add("}\n");
        return b.build();
    }

    /**
     * The backward rules in float: {@code g_a} and {@code R{g_a}} in double, rounded into one block {@code [g_a;
     * R{g_a}]}; {@code (H v)_W = R{g_a}^T X + g_a^T R{X}}; at the input {@code [g_a W; g_a V + R{g_a} W]}, added
     * into the double gradients.
     */
    private static CodeBlock floatBackward(Op.Dense d, Node node, SecondOrderContext c) {
        int units = d.units();
        int features = features(node);
        String rows = rows(node);
        boolean input = !c.readsNetworkInput();
        int slot = slots(node);
        CodeBlock.Builder b = CodeBlock.builder();
        b.add("{\n").indent();
        b.addStatement("int in = $L", c.inRegion());
        b.addStatement("int o = $L", c.outRegion());
        b.addStatement("int half = $L * $L", rows, units);
        b.addStatement("float[] both = new float[2 * half]");
        b.beginControlFlow("for (int r = 0; r < $L; r++)", rows);
        b.beginControlFlow("for (int u = 0; u < $L; u++)", units);
        b.addStatement("int i = r * $L + u", units);
        b.addStatement("float y = a.get(o + i)");
        b.addStatement("double h1 = $L", ActivationCurvature.first(d.activation(), "y"));
        b.addStatement("double h2 = $L", ActivationCurvature.second(d.activation(), "y"));
        b.addStatement("double rga = h2 * $L[i] * $L[i] + h1 * $L[i]", c.own("Ra"), c.dOut(), c.rdOut());
        b.addStatement("both[i] = (float) (h1 * $L[i])", c.dOut());
        b.addStatement("both[half + i] = (float) rga");
        if (d.bias()) {
            b.addStatement("out[$L + u] += rga", c.constant("BIAS"));
        }
        b.endControlFlow();
        b.endControlFlow();
        b.addStatement("$T g = $L.sharedMemory($L, 2 * half)", MEMORY, c.chunks(), slot + 2);
        b.addStatement("g.floats().put(0, both, 0, both.length)");
        b.addStatement("$T hw = $L.sharedMemory($L, $L)", MEMORY, c.chunks(), slot + 3, units * features);
        b.addStatement("$T.gemm(true, false, $L, $L, $L, 1f, g, half, $L, $L, in, $L, 0f, hw, 0, $L)", BLAS, units,
                features, rows, units, c.arena(), features, features);
        if (input) {
            b.addStatement("$T rx = $L.sharedMemory($L, $L * $L)", MEMORY, c.chunks(), slot + 1, rows, features);
            b.addStatement("$T.gemm(true, false, $L, $L, $L, 1f, g, 0, $L, rx, 0, $L, 1f, hw, 0, $L)", BLAS, units,
                    features, rows, units, features, features);
            b.addStatement("int size = $L * $L", rows, features);
            b.addStatement("$T dx = $L.sharedMemory($L, 2 * size)", MEMORY, c.chunks(), slot + 4);
            b.addStatement("$T.gemm(false, false, $L, $L, $L, 1f, g, 0, $L, $L, $L, $L, 0f, dx, 0, $L)", BLAS, rows,
                    features, units, units, c.params(), c.constant("WEIGHT"), features, features);
            b.addStatement("$T.gemm(false, false, $L, $L, $L, 1f, g, 0, $L, $L, $L, $L, 0f, dx, size, $L)", BLAS,
                    rows, features, units, units, c.direction(), c.constant("WEIGHT"), features, features);
            b.addStatement("$T.gemm(false, false, $L, $L, $L, 1f, g, half, $L, $L, $L, $L, 1f, dx, size, $L)", BLAS,
                    rows, features, units, units, c.params(), c.constant("WEIGHT"), features, features);
            b.addStatement("float[] back = new float[2 * size]");
            b.addStatement("dx.floats().get(0, back, 0, back.length)");
            b.beginControlFlow("for (int x = 0; x < size; x++)");
            b.addStatement("$L[x] += back[x]", c.dIn());
            b.addStatement("$L[x] += back[size + x]", c.rdIn());
            b.endControlFlow();
        }
        b.addStatement("float[] terms = new float[$L]", units * features);
        b.addStatement("hw.floats().get(0, terms, 0, terms.length)");
        b.beginControlFlow("for (int w = 0; w < $L; w++)", units * features);
        b.addStatement("out[$L + w] += terms[w]", c.constant("WEIGHT"));
        b.endControlFlow();
        b.unindent().add("}\n");
        return b.build();
    }

    /** {@code target}'s first {@code count} floats set to {@code source}'s doubles, rounded, in one bulk copy. */
    private static CodeBlock rounded(String target, String source, String count) {
        CodeBlock.Builder b = CodeBlock.builder();
        b.addStatement("float[] staged = new float[$L]", count);
        b.beginControlFlow("for (int x = 0; x < staged.length; x++)");
        b.addStatement("staged[x] = (float) $L[x]", source);
        b.endControlFlow();
        b.addStatement("$L.floats().put(0, staged, 0, staged.length)", target);
        return b.build();
    }

    /** The first of the layer's blocks among the calling thread's ({@code SecondOrderChunks.sharedMemory}). */
    private static int slots(Node node) {
        return 8 * node.id();
    }

    /** Inputs per row: the features of a step on a sequence. */
    private static int features(Node node) {
        return node.in().sequence() ? node.in().features() : node.in().size();
    }

    /** The rows of the batch: {@code n}, or {@code n * steps} on a sequence. */
    private static String rows(Node node) {
        return node.in().sequence() ? "n * " + node.in().steps() : "n";
    }
}
