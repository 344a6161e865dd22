package dev.lamina.processor.ops.conv;

import static dev.lamina.processor.emit.java.RuntimeTypes.BLAS;

import com.palantir.javapoet.ClassName;
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
 * <p>A convolution (not transposed, one group) runs its products as double GEMMs on im2col columns, chunk by
 * chunk of samples on the model's workers ({@code SecondOrderChunks}): {@code R{s} = X V^T + R{X} W^T} and the
 * raw sums {@code X W^T} forward; {@code (H v)_W = R{g_s}^T X + g_s^T R{X}} per chunk, added up in chunk order, and
 * the input's {@code g_s W}, {@code g_s V + R{g_s} W} folded back from columns. The others run plain loops.
 *
 * @param taps       the convolution's loops
 * @param transposed whether the output is the big side (ConvTranspose)
 * @param activation the fused activation
 * @param bias       whether there is a bias
 * @param pool       the max pool fused into the layer, or null
 */
public record ConvolutionSecondOrder(ConvolutionTaps taps, boolean transposed, Op.Act activation, boolean bias,
                                     Op.Pool pool) {
    private static final ClassName CHUNKS = ClassName.get("dev.lamina.runtime", "SecondOrderChunks");

    /** Rows of im2col columns a chunk aims at: the samples per chunk follow from the layer's positions. */
    private static final int CHUNK_ROWS = 2048;

    /** {@return the R-forward step of {@code node}} */
    public CodeBlock rForward(Node node, SecondOrderContext c) {
        if (node.hasFusedDropout()) {
            // the R-rules read the masked output as h(a): a wrong product, so never code for it
            throw new IllegalStateException(node.name() + " (" + node.op().kind() + ") has a dropout fused in, "
                    + "whose mask its R-rules do not apply yet");
        }
        return columns() ? gemmForward(node, c) : loopForward(node, c);
    }

    /** {@return the R-backward step of {@code node}} */
    public CodeBlock rBackward(Node node, SecondOrderContext c) {
        return columns() ? gemmBackward(node, c) : loopBackward(node, c);
    }

    /** Whether the products run as GEMMs on columns: a convolution of one group, not transposed. */
    private boolean columns() {
        return !transposed && taps.groups() == 1;
    }

    private CodeBlock loopForward(Node node, SecondOrderContext c) {
        boolean input = !c.readsNetworkInput();
        CodeBlock.Builder b = CodeBlock.builder();
        b.add(forwardArrays(node, c));
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
        b.add(forwardEpilogue(node, c));
        b.unindent().add("}\n");
        return b.build();
    }

    private CodeBlock loopBackward(Node node, SecondOrderContext c) {
        boolean input = !c.readsNetworkInput();
        CodeBlock.Builder b = CodeBlock.builder();
        b.add("{\n").indent();
        b.add(backwardPrologue(node, c));
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

    /**
     * The GEMM forward: the weights and the direction's weights in double, as {@code [filters][field]} and
     * transposed, then per chunk the columns of the input (and of its R) and the products into {@code R{s}} (and
     * the raw sums for the pool's winners).
     */
    private CodeBlock gemmForward(Node node, SecondOrderContext c) {
        boolean input = !c.readsNetworkInput();
        int filters = taps.smallChannels();
        int field = field();
        int positions = positions();
        int samples = chunkSamples();
        CodeBlock.Builder b = CodeBlock.builder();
        b.add(forwardArrays(node, c));
        b.addStatement("double[] $L = new double[$L]", c.own("W"), filters * field);
        b.addStatement("double[] $L = java.util.Arrays.copyOfRange(v, $L, $L + $L)", c.own("V"),
                c.constant("WEIGHT"), c.constant("WEIGHT"), filters * field);
        b.addStatement("double[] $L = new double[$L]", c.own("Wt"), filters * field);
        b.addStatement("double[] $L = new double[$L]", c.own("Vt"), filters * field);
        b.add("{\n").indent();
        b.addStatement("int in = $L", c.inRegion());
        b.addStatement("int o = $L", c.outRegion());
        b.beginControlFlow("for (int f = 0; f < $L; f++)", filters);
        b.beginControlFlow("for (int q = 0; q < $L; q++)", field);
        b.addStatement("$L[f * $L + q] = p.get($L + f * $L + q)", c.own("W"), field, c.constant("WEIGHT"), field);
        b.addStatement("$L[q * $L + f] = $L[f * $L + q]", c.own("Wt"), filters, c.own("W"), field);
        b.addStatement("$L[q * $L + f] = $L[f * $L + q]", c.own("Vt"), filters, c.own("V"), field);
        b.endControlFlow();
        b.endControlFlow();
        b.beginControlFlow("$L.run(n, $L, (scratch, chunk, first, samples) ->", c.chunks(), samples);
        b.addStatement("int m = samples * $L", positions);
        b.addStatement("double[] x = scratch.get(0, $L)", samples * positions * field);
        b.add(im2col("x", "a.get(in + at + ch)"));
        b.addStatement("double[] r = scratch.get(1, $L)", samples * positions * filters);
        b.addStatement("$T.dgemm(false, false, m, $L, $L, 1.0, x, 0, $L, $L, 0, $L, 0.0, r, 0, $L)", BLAS, filters,
                field, field, c.own("Vt"), filters, filters);
        if (input) {
            b.addStatement("double[] rx = scratch.get(2, $L)", samples * positions * field);
            b.add(im2col("rx", c.rIn() + "[at + ch]"));
            b.addStatement("$T.dgemm(false, false, m, $L, $L, 1.0, rx, 0, $L, $L, 0, $L, 1.0, r, 0, $L)", BLAS,
                    filters, field, field, c.own("Wt"), filters, filters);
        }
        b.addStatement("System.arraycopy(r, 0, $L, first * $L, m * $L)", c.own("Rs"), positions * filters, filters);
        if (pool != null) {
            b.addStatement("$T.dgemm(false, false, m, $L, $L, 1.0, x, 0, $L, $L, 0, $L, 0.0, r, 0, $L)", BLAS,
                    filters, field, field, c.own("Wt"), filters, filters);
            b.addStatement("System.arraycopy(r, 0, $L, first * $L, m * $L)", c.own("S"), positions * filters,
                    filters);
        }
        b.endControlFlow(")");
        b.add(forwardEpilogue(node, c));
        b.unindent().add("}\n");
        return b.build();
    }

    /**
     * The GEMM backward: per chunk, the layer's {@code H v} for the weights into a part of its own, and at the
     * input the columns of {@code g_s W} and {@code g_s V + R{g_s} W} folded back; the parts added in chunk order.
     */
    private CodeBlock gemmBackward(Node node, SecondOrderContext c) {
        boolean input = !c.readsNetworkInput();
        int filters = taps.smallChannels();
        int field = field();
        int positions = positions();
        int samples = chunkSamples();
        CodeBlock.Builder b = CodeBlock.builder();
        b.add("{\n").indent();
        b.add(backwardPrologue(node, c));
        b.addStatement("double[][] parts = new double[$T.count(n, $L)][]", CHUNKS, samples);
        b.beginControlFlow("$L.run(n, $L, (scratch, chunk, first, samples) ->", c.chunks(), samples);
        b.addStatement("int m = samples * $L", positions);
        b.addStatement("double[] x = scratch.get(0, $L)", samples * positions * field);
        b.add(im2col("x", "a.get(in + at + ch)"));
        b.addStatement("double[] g = scratch.get(1, $L)", samples * positions * filters);
        b.addStatement("double[] rg = scratch.get(2, $L)", samples * positions * filters);
        b.addStatement("System.arraycopy(gs, first * $L, g, 0, m * $L)", positions * filters, filters);
        b.addStatement("System.arraycopy(rgs, first * $L, rg, 0, m * $L)", positions * filters, filters);
        b.addStatement("double[] hw = new double[$L]", filters * field);
        b.addStatement("$T.dgemm(true, false, $L, $L, m, 1.0, rg, 0, $L, x, 0, $L, 0.0, hw, 0, $L)", BLAS, filters,
                field, filters, field, field);
        if (input) {
            b.addStatement("double[] rx = scratch.get(3, $L)", samples * positions * field);
            b.add(im2col("rx", c.rIn() + "[at + ch]"));
            b.addStatement("$T.dgemm(true, false, $L, $L, m, 1.0, g, 0, $L, rx, 0, $L, 1.0, hw, 0, $L)", BLAS,
                    filters, field, filters, field, field);
            b.addStatement("double[] dc = scratch.get(4, $L)", samples * positions * field);
            b.addStatement("$T.dgemm(false, false, m, $L, $L, 1.0, g, 0, $L, $L, 0, $L, 0.0, dc, 0, $L)", BLAS, field,
                    filters, filters, c.own("W"), field, field);
            b.add(col2im("dc", c.dIn()));
            b.addStatement("$T.dgemm(false, false, m, $L, $L, 1.0, g, 0, $L, $L, 0, $L, 0.0, dc, 0, $L)", BLAS, field,
                    filters, filters, c.own("V"), field, field);
            b.addStatement("$T.dgemm(false, false, m, $L, $L, 1.0, rg, 0, $L, $L, 0, $L, 1.0, dc, 0, $L)", BLAS, field,
                    filters, filters, c.own("W"), field, field);
            b.add(col2im("dc", c.rdIn()));
        }
        b.addStatement("parts[chunk] = hw");
        b.endControlFlow(")");
        b.beginControlFlow("for (double[] part : parts)");
        b.beginControlFlow("for (int w = 0; w < $L; w++)", filters * field);
        b.addStatement("out[$L + w] += part[w]", c.constant("WEIGHT"));
        b.endControlFlow();
        b.endControlFlow();
        b.unindent().add("}\n");
        return b.build();
    }

    /** The forward step's arrays: {@code R{s}}, {@code R{a}}, and for a fused pool the raw sums and winners. */
    private CodeBlock forwardArrays(Node node, SecondOrderContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        b.addStatement("double[] $L = new double[n * $L]", c.own("Rs"), node.ownOut().size());
        b.addStatement("double[] $L = new double[n * $L]", c.own("Ra"), node.out().size());
        if (pool != null) {
            b.addStatement("double[] $L = new double[n * $L]", c.own("S"), node.ownOut().size());
            b.addStatement("int[] $L = new int[n * $L]", c.own("Win"), node.out().size());
        }
        return b.build();
    }

    /** From {@code R{s}}: the pool's winners, {@code R{a}} with the bias's direction, and {@code R{y}}. */
    private CodeBlock forwardEpilogue(Node node, SecondOrderContext c) {
        int channels = node.out().channels();
        CodeBlock.Builder b = CodeBlock.builder();
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
        return b.build();
    }

    /** {@code in}, {@code o}, and {@code g_s}, {@code R{g_s}} routed to the pool's winners, with the bias's terms. */
    private CodeBlock backwardPrologue(Node node, SecondOrderContext c) {
        int channels = node.out().channels();
        CodeBlock.Builder b = CodeBlock.builder();
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
        return b.build();
    }

    /**
     * The columns of a chunk: row {@code (sample, position)}, column {@code (tap row, tap column, channel)} as the
     * weights are laid out, zero where the tap falls in the padding. {@code source} reads value {@code at + ch} of
     * the big side.
     */
    private CodeBlock im2col(String columns, String source) {
        return taps(CodeBlock.builder()
                .beginControlFlow("if (by < 0 || by >= $L || bx < 0 || bx >= $L)", taps.bigHeight(), taps.bigWidth())
                .addStatement("java.util.Arrays.fill($L, col, col + $L, 0.0)", columns, taps.bigChannels())
                .nextControlFlow("else")
                .addStatement("int at = (((first + s) * $L + by) * $L + bx) * $L", taps.bigHeight(), taps.bigWidth(),
                        taps.bigChannels())
                .beginControlFlow("for (int ch = 0; ch < $L; ch++)", taps.bigChannels())
                .addStatement("$L[col + ch] = $L", columns, source)
                .endControlFlow()
                .endControlFlow().build());
    }

    /** Adds a chunk's columns back into {@code target}, the big side's values of the batch (im2col's transpose). */
    private CodeBlock col2im(String columns, String target) {
        return taps(CodeBlock.builder()
                .beginControlFlow("if (by >= 0 && by < $L && bx >= 0 && bx < $L)", taps.bigHeight(), taps.bigWidth())
                .addStatement("int at = (((first + s) * $L + by) * $L + bx) * $L", taps.bigHeight(), taps.bigWidth(),
                        taps.bigChannels())
                .beginControlFlow("for (int ch = 0; ch < $L; ch++)", taps.bigChannels())
                .addStatement("$L[at + ch] += $L[col + ch]", target, columns)
                .endControlFlow()
                .endControlFlow().build());
    }

    /** The loops over a chunk's samples, positions and taps, giving {@code by}, {@code bx} and {@code col}. */
    private CodeBlock taps(CodeBlock body) {
        CodeBlock.Builder b = CodeBlock.builder();
        b.beginControlFlow("for (int s = 0; s < samples; s++)");
        b.beginControlFlow("for (int sy = 0; sy < $L; sy++)", taps.smallHeight());
        b.beginControlFlow("for (int sx = 0; sx < $L; sx++)", taps.smallWidth());
        b.addStatement("int row = ((s * $L + sy) * $L + sx) * $L", taps.smallHeight(), taps.smallWidth(), field());
        b.beginControlFlow("for (int ky = 0; ky < $L; ky++)", taps.kernelHeight());
        b.addStatement("int by = sy * $L - $L + ky * $L", taps.stride(), taps.rowPadding(), taps.dilation());
        b.beginControlFlow("for (int kx = 0; kx < $L; kx++)", taps.kernelWidth());
        b.addStatement("int bx = sx * $L - $L + kx * $L", taps.stride(), taps.columnPadding(), taps.dilation());
        b.addStatement("int col = row + (ky * $L + kx) * $L", taps.kernelWidth(), taps.bigChannels());
        b.add(body);
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
        return b.build();
    }

    /** Values in one column row: the kernel's taps times the input's channels. */
    private int field() {
        return taps.kernelHeight() * taps.kernelWidth() * taps.bigChannels();
    }

    /** Positions of the output (the small side) per sample. */
    private int positions() {
        return taps.smallHeight() * taps.smallWidth();
    }

    /** Samples per chunk: about {@link #CHUNK_ROWS} rows of columns, at least one sample. */
    private int chunkSamples() {
        return Math.max(1, CHUNK_ROWS / positions());
    }
}
