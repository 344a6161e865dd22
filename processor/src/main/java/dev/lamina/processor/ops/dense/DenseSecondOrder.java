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
 * On a sequence every step of every row is a row. The products run through {@code Blas.dgemm} on direct buffers,
 * chunk by chunk of samples on the model's workers ({@code SecondOrderChunks}): the weights and the direction's
 * side by side, made once per call in the R-forward step, and per chunk the layer's input in double; the weights'
 * terms of {@code H v} are added up per chunk, in chunk order.
 */
final class DenseSecondOrder implements SecondOrderJava<Op.Dense> {
    static final DenseSecondOrder RULES = new DenseSecondOrder();

    /** Spelled out rather than imported: the R-pass adds one method to the class and nothing else. */
    private static final String CHUNKS = "dev.lamina.runtime.SecondOrderChunks";
    private static final String BUFFER = "java.nio.DoubleBuffer";

    /** Rows a chunk aims at: a few chunks per worker on the bench's batches. */
    private static final int CHUNK_ROWS = 128;

    private DenseSecondOrder() {
    }

    @Override
    public CodeBlock rForward(Op.Dense d, Node node, SecondOrderContext c) {
        int units = d.units();
        int features = features(node);
        int steps = steps(node);
        int samples = chunkSamples(node);
        boolean input = !c.readsNetworkInput();
        CodeBlock.Builder b = CodeBlock.builder();
        b.addStatement("double[] $L = new double[$L * $L]", c.own("Ra"), rows(node), units);
        // the weights and the direction's, side by side in rows of 2 features: direct buffers the workers share
        b.addStatement("$L $L = $L.direct($L)", BUFFER, c.own("WV"), CHUNKS, 2 * units * features);
        b.add("{\n").indent();
        b.addStatement("int in = $L", c.inRegion());
        b.addStatement("int o = $L", c.outRegion());
        b.beginControlFlow("for (int u = 0; u < $L; u++)", units);
        b.beginControlFlow("for (int f = 0; f < $L; f++)", features);
        b.addStatement("$L.put(u * $L + f, p.get($L + u * $L + f))", c.own("WV"), 2 * features,
                c.constant("WEIGHT"), features);
        b.addStatement("$L.put(u * $L + $L + f, v[$L + u * $L + f])", c.own("WV"), 2 * features, features,
                c.constant("WEIGHT"), features);
        b.endControlFlow();
        b.endControlFlow();
        b.beginControlFlow("$L.run(n, $L, (scratch, chunk, first, samples) ->", c.chunks(), samples);
        b.addStatement("int m = samples * $L", steps);
        b.add(stage(samples * steps * features, features, steps));
        // R{a} = X V^T (+ R{X} W^T)
        b.addStatement("$L r = scratch.buffer(1, $L)", BUFFER, samples * steps * units);
        b.addStatement("$T.dgemm(false, true, m, $L, $L, 1.0, x, 0, $L, $L, $L, $L, 0.0, r, 0, $L)", BLAS, units,
                features, features, c.own("WV"), features, 2 * features, units);
        if (input) {
            b.addStatement("$L rx = scratch.buffer(2, $L)", BUFFER, samples * steps * features);
            b.addStatement("rx.put(0, $L, first * $L, m * $L)", c.rIn(), steps * features, features);
            b.addStatement("$T.dgemm(false, true, m, $L, $L, 1.0, rx, 0, $L, $L, 0, $L, 1.0, r, 0, $L)", BLAS, units,
                    features, features, c.own("WV"), 2 * features, units);
        }
        b.beginControlFlow("for (int row = 0; row < m; row++)");
        b.beginControlFlow("for (int u = 0; u < $L; u++)", units);
        b.addStatement("int i = (first * $L + row) * $L + u", steps, units);
        if (d.bias()) {
            b.addStatement("double ra = r.get(row * $L + u) + v[$L + u]", units, c.constant("BIAS"));
        } else {
            b.addStatement("double ra = r.get(row * $L + u)", units);
        }
        b.addStatement("$L[i] = ra", c.own("Ra"));
        b.addStatement("float y = a.get(o + i)");
        b.addStatement("$L[i] = $L * ra", c.rOut(), ActivationCurvature.first(d.activation(), "y"));
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow(")");
        b.unindent().add("}\n");
        return b.build();
    }

    @Override
    public CodeBlock rBackward(Op.Dense d, Node node, SecondOrderContext c) {
        int units = d.units();
        int features = features(node);
        int steps = steps(node);
        int samples = chunkSamples(node);
        int weights = units * features;
        boolean input = !c.readsNetworkInput();
        CodeBlock.Builder b = CodeBlock.builder();
        b.add("{\n").indent();
        b.addStatement("int in = $L", c.inRegion());
        b.addStatement("int o = $L", c.outRegion());
        b.addStatement("double[][] parts = new double[$L.count(n, $L)][]", CHUNKS, samples);
        b.beginControlFlow("$L.run(n, $L, (scratch, chunk, first, samples) ->", c.chunks(), samples);
        b.addStatement("int m = samples * $L", steps);
        b.addStatement("double[] part = new double[$L]", weights + units);
        // g_a and R{g_a} side by side in rows of 2 units
        b.addStatement("double[] gh = scratch.get(0, $L)", samples * steps * 2 * units);
        b.beginControlFlow("for (int row = 0; row < m; row++)");
        b.beginControlFlow("for (int u = 0; u < $L; u++)", units);
        b.addStatement("int i = (first * $L + row) * $L + u", steps, units);
        b.addStatement("float y = a.get(o + i)");
        b.addStatement("double h1 = $L", ActivationCurvature.first(d.activation(), "y"));
        b.addStatement("double h2 = $L", ActivationCurvature.second(d.activation(), "y"));
        b.addStatement("double rga = h2 * $L[i] * $L[i] + h1 * $L[i]", c.own("Ra"), c.dOut(), c.rdOut());
        b.addStatement("gh[row * $L + u] = h1 * $L[i]", 2 * units, c.dOut());
        b.addStatement("gh[row * $L + $L + u] = rga", 2 * units, units);
        if (d.bias()) {
            b.addStatement("part[$L + u] += rga", weights);
        }
        b.endControlFlow();
        b.endControlFlow();
        b.addStatement("$L gr = scratch.buffer(3, $L)", BUFFER, samples * steps * 2 * units);
        b.addStatement("gr.put(0, gh, 0, m * $L)", 2 * units);
        b.add(stage(samples * steps * features, features, steps));
        // (H v)_W = R{g_a}^T X (+ g_a^T R{X})
        b.addStatement("$L hw = scratch.buffer(4, $L)", BUFFER, weights);
        b.addStatement("$T.dgemm(true, false, $L, $L, m, 1.0, gr, $L, $L, x, 0, $L, 0.0, hw, 0, $L)", BLAS, units,
                features, units, 2 * units, features, features);
        if (input) {
            b.addStatement("$L rx = scratch.buffer(2, $L)", BUFFER, samples * steps * features);
            b.addStatement("rx.put(0, $L, first * $L, m * $L)", c.rIn(), steps * features, features);
            b.addStatement("$T.dgemm(true, false, $L, $L, m, 1.0, gr, 0, $L, rx, 0, $L, 1.0, hw, 0, $L)", BLAS,
                    units, features, 2 * units, features, features);
            // [g_x | R{g_x}] = g_a [W | V] + [0 | R{g_a} W]
            b.addStatement("$L dc = scratch.buffer(5, $L)", BUFFER, samples * steps * 2 * features);
            b.addStatement("$T.dgemm(false, false, m, $L, $L, 1.0, gr, 0, $L, $L, 0, $L, 0.0, dc, 0, $L)", BLAS,
                    2 * features, units, 2 * units, c.own("WV"), 2 * features, 2 * features);
            b.addStatement("$T.dgemm(false, false, m, $L, $L, 1.0, gr, $L, $L, $L, 0, $L, 1.0, dc, $L, $L)", BLAS,
                    features, units, units, 2 * units, c.own("WV"), 2 * features, features, 2 * features);
            b.beginControlFlow("for (int row = 0; row < m; row++)");
            b.addStatement("int at = (first * $L + row) * $L", steps, features);
            b.beginControlFlow("for (int f = 0; f < $L; f++)", features);
            b.addStatement("$L[at + f] += dc.get(row * $L + f)", c.dIn(), 2 * features);
            b.addStatement("$L[at + f] += dc.get(row * $L + $L + f)", c.rdIn(), 2 * features, features);
            b.endControlFlow();
            b.endControlFlow();
        }
        b.addStatement("hw.get(0, part, 0, $L)", weights);
        b.addStatement("parts[chunk] = part");
        b.endControlFlow(")");
        b.beginControlFlow("for (double[] part : parts)");
        b.beginControlFlow("for (int w = 0; w < $L; w++)", weights);
        b.addStatement("out[$L + w] += part[w]", c.constant("WEIGHT"));
        b.endControlFlow();
        if (d.bias()) {
            b.beginControlFlow("for (int u = 0; u < $L; u++)", units);
            b.addStatement("out[$L + u] += part[$L + u]", c.constant("BIAS"), weights);
            b.endControlFlow();
        }
        b.endControlFlow();
        b.unindent().add("}\n");
        return b.build();
    }

    /** The chunk's rows of the layer's input, from the arena into the direct buffer {@code x}, in double. */
    private static CodeBlock stage(int size, int features, int steps) {
        CodeBlock.Builder b = CodeBlock.builder();
        b.addStatement("$L x = scratch.buffer(0, $L)", BUFFER, size);
        b.addStatement("int base = in + first * $L", steps * features);
        b.beginControlFlow("for (int j = 0; j < m * $L; j++)", features);
        b.addStatement("x.put(j, a.get(base + j))");
        b.endControlFlow();
        return b.build();
    }

    /** Values per row: the input's features on a sequence, else its size. */
    private static int features(Node node) {
        return node.in().sequence() ? node.in().features() : node.in().size();
    }

    /** Rows per sample: the steps of a sequence, else 1. */
    private static int steps(Node node) {
        return node.in().sequence() ? node.in().steps() : 1;
    }

    /** Samples per chunk: about {@link #CHUNK_ROWS} rows, at least one sample. */
    private static int chunkSamples(Node node) {
        return Math.max(1, CHUNK_ROWS / steps(node));
    }

    /** The rows of the batch: {@code n}, or {@code n * steps} on a sequence. */
    private static String rows(Node node) {
        return node.in().sequence() ? "n * " + node.in().steps() : "n";
    }
}
