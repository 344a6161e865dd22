package dev.lamina.processor.ops.dense;

import static dev.lamina.processor.emit.java.RuntimeTypes.BLAS;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.ActivationCurvature;
import dev.lamina.processor.emit.java.ChunkCode;
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
 * in, chunk by chunk of samples on the model's workers; in double, on the calling thread, through {@code Blas.dgemm} on double copies of the layer's input, weights and the direction's
 * weights, made once per call in the R-forward step.
 */
final class DenseSecondOrder implements SecondOrderJava<Op.Dense> {
    static final DenseSecondOrder RULES = new DenseSecondOrder();
    private static final ClassName MEMORY = ClassName.get("dev.lamina.runtime", "Memory");
    /**
     * Samples per chunk of the float rules on the workers: a fixed count, so that the parts of {@code H v} summed in
     * chunk order do not depend on the thread count.
     */
    private static final int CHUNK_SAMPLES = 256;

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
     * The forward rules in float, chunk by chunk of samples on the workers: {@code R{a} = X V^T + R{X} W^T} with
     * {@code X} and {@code W} read in place and {@code R{X}} rounded into the worker's block, then the bias's direction
     * and {@code R{y}} in double.
     */
    private static CodeBlock floatForward(Op.Dense d, Node node, SecondOrderContext c) {
        int units = d.units();
        int features = features(node);
        int steps = steps(node);
        boolean input = !c.readsNetworkInput();
        CodeBlock.Builder b = CodeBlock.builder();
        b.addStatement("double[] $L = $L.zeros($L, $L * $L)", c.own("Ra"), c.chunks(), 4 * node.id() + 3,
                rows(node), units);
        b.add("{\n").indent();
        b.addStatement("int in = $L", c.inRegion());
        b.addStatement("int o = $L", c.outRegion());
        b.beginControlFlow("$L.run(n, $L, (scratch, worker, chunk, first, samples) ->", c.chunks(), CHUNK_SAMPLES);
        b.addStatement("int rows = samples * $L", steps);
        b.addStatement("int row0 = first * $L", steps);
        b.addStatement("$T ra = scratch.memory(0, rows * $L)", MEMORY, units);
        b.addStatement("$T.gemm(false, true, rows, $L, $L, 1f, $L, in + row0 * $L, $L, $L, $L, $L, 0f, ra, 0, $L)",
                BLAS, units, features, c.arena(), features, features, c.direction(), c.constant("WEIGHT"), features,
                units);
        if (input) {
            b.add(ChunkCode.roundedInto(c.rIn(), "row0 * " + features, "rows * " + features));
            b.addStatement("$T.gemm(false, true, rows, $L, $L, 1f, rx, 0, $L, $L, $L, $L, 1f, ra, 0, $L)", BLAS,
                    units, features, features, c.params(), c.constant("WEIGHT"), features, units);
        }
        b.addStatement("float[] sums = scratch.floats(0, rows * $L)", units);
        b.addStatement("ra.floats().get(0, sums, 0, rows * $L)", units);
        b.addStatement("float[] ys = scratch.floats(2, rows * $L)", units);
        b.addStatement("a.get(o + row0 * $L, ys, 0, rows * $L)", units, units);
        b.beginControlFlow("for (int r = 0; r < rows; r++)");
        b.beginControlFlow("for (int u = 0; u < $L; u++)", units);
        b.addStatement("int j = r * $L + u", units);
        b.addStatement("int i = row0 * $L + j", units);
        if (d.bias()) {
            b.addStatement("$L[i] = sums[j] + v[$L + u]", c.own("Ra"), c.constant("BIAS"));
        } else {
            b.addStatement("$L[i] = sums[j]", c.own("Ra"));
        }
        b.addStatement("float y = ys[j]");
        b.addStatement("$L[i] = $L * $L[i]", c.rOut(), ActivationCurvature.first(d.activation(), "y"), c.own("Ra"));
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow(")");
        b.unindent().add("}\n");
        return b.build();
    }

    /**
     * The backward rules in float, chunk by chunk of samples on the workers: {@code g_a} and {@code R{g_a}} in
     * double, rounded into one block {@code [g_a; R{g_a}]}; the chunk's part of {@code (H v)_W = R{g_a}^T X + g_a^T
     * R{X}} and of the bias's; at the input {@code [g_a W; g_a V + R{g_a} W]}, added into the double gradients. The
     * parts are added up in chunk order, in double, so the product does not depend on the thread count.
     */
    private static CodeBlock floatBackward(Op.Dense d, Node node, SecondOrderContext c) {
        int units = d.units();
        int features = features(node);
        int steps = steps(node);
        int weights = units * features;
        boolean input = !c.readsNetworkInput();
        CodeBlock.Builder b = CodeBlock.builder();
        b.add("{\n").indent();
        b.addStatement("int in = $L", c.inRegion());
        b.addStatement("int o = $L", c.outRegion());
        b.add(ChunkCode.declare(c, CHUNK_SAMPLES, weights + (d.bias() ? units : 0)));
        b.beginControlFlow("$L.run(n, $L, (scratch, worker, chunk, first, samples) ->", c.chunks(), CHUNK_SAMPLES);
        b.addStatement("int rows = samples * $L", steps);
        b.addStatement("int row0 = first * $L", steps);
        b.addStatement("int half = rows * $L", units);
        b.add(ChunkCode.open(weights + (d.bias() ? units : 0)));
        b.addStatement("float[] both = scratch.floats(0, 2 * half)");
        b.addStatement("float[] ys = scratch.floats(2, half)");
        b.addStatement("a.get(o + row0 * $L, ys, 0, half)", units);
        b.beginControlFlow("for (int r = 0; r < rows; r++)");
        b.beginControlFlow("for (int u = 0; u < $L; u++)", units);
        b.addStatement("int j = r * $L + u", units);
        b.addStatement("int i = row0 * $L + j", units);
        b.addStatement("float y = ys[j]");
        b.addStatement("double h1 = $L", ActivationCurvature.first(d.activation(), "y"));
        b.add(ActivationCurvature.rGradient(d.activation(), c.own("Ra"), c.dOut(), c.rdOut()));
        b.addStatement("both[j] = (float) (h1 * $L[i])", c.dOut());
        b.addStatement("both[half + j] = (float) rga");
        if (d.bias()) {
            b.addStatement("part[$L + u] += rga", weights);
        }
        b.endControlFlow();
        b.endControlFlow();
        b.addStatement("$T g = scratch.memory(0, 2 * half)", MEMORY);
        b.addStatement("g.floats().put(0, both, 0, 2 * half)");
        b.addStatement("$T hw = scratch.memory(2, $L)", MEMORY, weights);
        b.addStatement("$T.gemm(true, false, $L, $L, rows, 1f, g, half, $L, $L, in + row0 * $L, $L, 0f, hw, 0, $L)",
                BLAS, units, features, units, c.arena(), features, features, features);
        if (input) {
            b.add(ChunkCode.roundedInto(c.rIn(), "row0 * " + features, "rows * " + features));
            b.addStatement("$T.gemm(true, false, $L, $L, rows, 1f, g, 0, $L, rx, 0, $L, 1f, hw, 0, $L)", BLAS, units,
                    features, units, features, features);
            // g_x = g_a W; R{g_x} = g_a V + R{g_a} W
            b.addStatement("int size = rows * $L", features);
            b.addStatement("$T dx = scratch.memory(3, 2 * size)", MEMORY);
            b.addStatement("$T.gemm(false, false, rows, $L, $L, 1f, g, 0, $L, $L, $L, $L, 0f, dx, 0, $L)", BLAS,
                    features, units, units, c.params(), c.constant("WEIGHT"), features, features);
            b.addStatement("$T.gemm(false, false, rows, $L, $L, 1f, g, 0, $L, $L, $L, $L, 0f, dx, size, $L)", BLAS,
                    features, units, units, c.direction(), c.constant("WEIGHT"), features, features);
            b.addStatement("$T.gemm(false, false, rows, $L, $L, 1f, g, half, $L, $L, $L, $L, 1f, dx, size, $L)", BLAS,
                    features, units, units, c.params(), c.constant("WEIGHT"), features, features);
            b.add(ChunkCode.addToInput(c, 3, "size", "row0 * " + features));
        }
        b.add(ChunkCode.weightsFromFloats(4, weights));
        b.endControlFlow(")");
        b.add(ChunkCode.addUp(c, weights, d.bias() ? units : 0));
        b.unindent().add("}\n");
        return b.build();
    }

    /** Steps per sample: each step of a sequence is a row. */
    private static int steps(Node node) {
        return node.in().sequence() ? node.in().steps() : 1;
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
