package dev.lamina.processor.ops.conv;

import static dev.lamina.processor.emit.java.RuntimeTypes.BLAS;
import static dev.lamina.processor.emit.java.RuntimeTypes.CONVOLUTION;
import static dev.lamina.processor.emit.java.RuntimeTypes.CONV_GEOMETRY;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.ActivationCurvature;
import dev.lamina.processor.emit.java.ChunkCode;
import dev.lamina.processor.emit.java.ProductArithmetic;
import dev.lamina.processor.emit.java.SecondOrderContext;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.pool.PoolSecondOrder;
import dev.lamina.processor.plan.WideRows;

/**
 * Internal, not API. The R-rules of a convolution, {@code s = conv(W, x)}, {@code a = s + b} (after the fused max
 * pool, if any: {@code a = max(s) + b}), {@code y = h(a)}, for Conv, Conv1d and ConvTranspose alike. Forward:
 * {@code R{s} = conv(V, x) + conv(W, R{x})}, {@code R{a} = R{s} + v_b} (at the pool's winners), {@code R{y} =
 * h'(a) R{a}}. Backward: {@code g_a = h'(a) g_y}, {@code R{g_a} = h''(a) R{a} g_y + h'(a) R{g_y}}, both routed to
 * the winners as {@code g_s}, {@code R{g_s}}; then {@code (H v)_W = corr(R{g_s}, x) + corr(g_s, R{x})},
 * {@code (H v)_b} the sums of {@code R{g_a}} per channel, and at the input {@code g_x = conv^T(W, g_s)},
 * {@code R{g_x} = conv^T(V, g_s) + conv^T(W, R{g_s})}. The fused pool's winners are found again on the raw sums,
 * recomputed (in the products' precision on columns, in double in the loops).
 *
 * <p>A convolution (not transposed, one group) runs its products as GEMMs on im2col columns in the network's
 * {@code secondOrderPrecision} ({@link ProductArithmetic}), chunk by chunk of samples on the model's workers
 * ({@code SecondOrderChunks}): {@code R{s} = X V^T + R{X} W^T} and the raw sums {@code X W^T} forward;
 * {@code (H v)_W = R{g_s}^T X + g_s^T R{X}} per chunk, added up in chunk order in double, and the input's
 * {@code g_s W}, {@code g_s V + R{g_s} W} folded back from columns. The others (transposed, grouped) run plain
 * loops in double whatever the precision.
 *
 * @param taps       the convolution's loops
 * @param transposed whether the output is the big side (ConvTranspose)
 * @param activation the fused activation
 * @param bias       whether there is a bias
 * @param pool       the max pool fused into the layer, or null
 * @param planar     whether the layer is a 2D Conv, whose sizes the generated class holds as a {@code ConvGeometry}
 */
public record ConvolutionSecondOrder(ConvolutionTaps taps, boolean transposed, Op.Act activation, boolean bias,
                                     Op.Pool pool, boolean planar) {
    /** Spelled out rather than imported: the R-pass adds one method to the class and nothing else. */
    private static final ClassName MEMORY = ClassName.get("dev.lamina.runtime", "Memory");

    /** Rows of im2col columns a chunk aims at: the samples per chunk follow from the layer's positions. */
    private static final int CHUNK_ROWS = 2048;

    /** {@return the R-forward step of {@code node}} */
    public CodeBlock rForward(Node node, SecondOrderContext c) {
        if (node.hasFusedDropout()) {
            // the R-rules read the masked output as h(a): a wrong product, so never code for it
            throw new IllegalStateException(node.name() + " (" + node.op().kind() + ") has a dropout fused in, "
                    + "whose mask its R-rules do not apply yet");
        }
        if (kernels(c)) {
            return kernelForward(node, c);
        }
        return columns() ? gemmForward(node, c) : loopForward(node, c);
    }

    /** {@return the R-backward step of {@code node}} */
    public CodeBlock rBackward(Node node, SecondOrderContext c) {
        if (kernels(c)) {
            return kernelBackward(node, c);
        }
        return columns() ? gemmBackward(node, c) : loopBackward(node, c);
    }

    /**
     * Whether the products run on the runtime's float convolution kernels, as the gradient's do: a 2D convolution of
     * one group, not transposed, in float.
     */
    private boolean kernels(SecondOrderContext c) {
        return c.arithmetic().inFloat() && planar && columns();
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
     * The forward rules on the runtime's kernels, chunk by chunk: {@code conv(x, [W; V])}, the weights and the
     * direction stacked as one bank of {@code 2 filters} (the raw sums, for the pool's winners, and {@code R{s}}'s
     * first term; without a pool {@code conv(x, V)} alone), then {@code conv(R{x}, W)} added; the outputs are in the
     * raw sums' layout, whose rows may be wider than the image ({@code ConvGeometry.gridWidth}).
     */
    private CodeBlock kernelForward(Node node, SecondOrderContext c) {
        boolean input = !c.readsNetworkInput();
        int filters = taps.smallChannels();
        int field = field();
        int width = pool != null ? 2 * filters : filters;
        int height = taps.smallHeight();
        int grid = WideRows.gridWidth(node);
        int sums = height * grid * filters;
        int samples = kernelChunkSamples();
        String geometry = c.constant("GEOMETRY");
        CodeBlock.Builder b = CodeBlock.builder();
        b.addStatement("double[] $L = $L.zeros($L, n * $L)", c.own("Ra"), c.chunks(), 4 * node.id() + 3,
                node.out().size());
        if (pool != null) {
            b.addStatement("int[] $L = new int[n * $L]", c.own("Win"), node.out().size());
        }
        b.add("{\n").indent();
        b.addStatement("int in = $L", c.inRegion());
        b.addStatement("int o = $L", c.outRegion());
        String bank;
        String bankOffset;
        if (pool != null) {
            // filters 0 to f - 1 the weights, f to 2f - 1 the direction
            b.addStatement("$T bank = $L.sharedMemory($L, $L)", MEMORY, c.chunks(), 8 * node.id() + 4,
                    2 * filters * field);
            b.addStatement("float[] stacked = new float[$L]", 2 * filters * field);
            b.addStatement("p.get($L, stacked, 0, $L)", c.constant("WEIGHT"), filters * field);
            b.addStatement("$L.floats().get($L, stacked, $L, $L)", c.direction(), c.constant("WEIGHT"),
                    filters * field, filters * field);
            b.addStatement("bank.floats().put(0, stacked, 0, stacked.length)");
            b.addStatement("$T stackedGeometry = $L.withFilters($L)", CONV_GEOMETRY, geometry, width);
            bank = "bank";
            bankOffset = "0";
        } else {
            bank = c.direction();
            bankOffset = c.constant("WEIGHT");
        }
        b.beginControlFlow("$L.run(n, $L, (scratch, worker, chunk, first, samples) ->", c.chunks(), samples);
        b.addStatement("$T r = scratch.memory(0, samples * $L)", MEMORY, width * sums / filters);
        b.addStatement("$T.forward($L, $L, in + first * $L, samples, $L, $L, r, 0, worker)", CONVOLUTION,
                pool != null ? "stackedGeometry" : geometry, c.arena(), bigSize(), bank, bankOffset);
        b.addStatement("float[] rr = scratch.floats(0, samples * $L)", width * sums / filters);
        b.addStatement("r.floats().get(0, rr, 0, samples * $L)", width * sums / filters);
        String rs = "";
        if (input) {
            b.add(ChunkCode.roundedInto(c.rIn(), "first * " + bigSize(), "samples * " + bigSize()));
            b.addStatement("$T rs = scratch.memory(2, samples * $L)", MEMORY, sums);
            b.addStatement("$T.forward($L, rx, 0, samples, $L, $L, rs, 0, worker)", CONVOLUTION, geometry,
                    c.params(), c.constant("WEIGHT"));
            b.addStatement("float[] rsr = scratch.floats(2, samples * $L)", sums);
            b.addStatement("rs.floats().get(0, rsr, 0, samples * $L)", sums);
            rs = " + rsr[at * " + filters + " + ch]";
        }
        String biasTerm = bias ? " + v[" + c.constant("BIAS") + " + ch]" : "";
        String direction = pool != null ? " + " + filters : "";
        // the outputs y = h(a) of the chunk's samples, for h'(a)
        b.addStatement("float[] ys = scratch.floats(7, samples * $L)", node.out().size());
        b.addStatement("a.get(o + first * $L, ys, 0, samples * $L)", node.out().size(), node.out().size());
        if (pool != null && pool.isMax2x2()) {
            // the window's four sums compared in raster order, the first maximum winning, as the runtime's pool
            b.beginControlFlow("for (int s = 0; s < samples; s++)");
            b.beginControlFlow("for (int oy = 0; oy < $L; oy++)", node.out().height());
            b.beginControlFlow("for (int ox = 0; ox < $L; ox++)", node.out().width());
            b.addStatement("int i = (((first + s) * $L + oy) * $L + ox) * $L", node.out().height(),
                    node.out().width(), filters);
            b.addStatement("int corner = (s * $L + 2 * oy) * $L + 2 * ox", height, grid);
            b.beginControlFlow("for (int ch = 0; ch < $L; ch++)", filters);
            b.addStatement("int best = corner");
            b.addStatement("float max = rr[corner * $L + ch]", width);
            for (String next : new String[] {"corner + 1", "corner + " + grid, "corner + " + (grid + 1)}) {
                b.beginControlFlow("if (rr[($L) * $L + ch] > max)", next, width);
                b.addStatement("best = $L", next);
                b.addStatement("max = rr[best * $L + ch]", width);
                b.endControlFlow();
            }
        } else if (pool != null) {
            windowWinner(b, node, grid, width, 0);
        }
        if (pool != null) {
            // the winner's place among the batch's raw sums, in their layout
            b.addStatement("$L[i + ch] = (first * $L + best) * $L + ch", c.own("Win"), height * grid, filters);
            b.addStatement("int at = best");
            b.addStatement("double ra = rr[at * $L$L + ch]$L$L", width, direction, rs, biasTerm);
        } else {
            b.beginControlFlow("for (int s = 0; s < samples; s++)");
            b.beginControlFlow("for (int sy = 0; sy < $L; sy++)", height);
            b.beginControlFlow("for (int sx = 0; sx < $L; sx++)", taps.smallWidth());
            b.addStatement("int at = (s * $L + sy) * $L + sx", height, grid);
            b.addStatement("int i = (((first + s) * $L + sy) * $L + sx) * $L", height, taps.smallWidth(), filters);
            b.beginControlFlow("for (int ch = 0; ch < $L; ch++)", filters);
            b.addStatement("double ra = rr[at * $L + ch]$L$L", width, rs, biasTerm);
        }
        b.addStatement("$L[i + ch] = ra", c.own("Ra"));
        b.addStatement("float y = ys[i - first * $L + ch]", node.out().size());
        b.addStatement("$L[i + ch] = $L * ra", c.rOut(), ActivationCurvature.first(activation, "y"));
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow(")");
        b.unindent().add("}\n");
        return b.build();
    }

    /**
     * Opens the loops over a chunk's pooled outputs (sample, row, column, channel: four control flows left open, the
     * output at {@code i}) and finds {@code best}, the position of the window's winner among the raw sums {@code
     * rr[at * width + sums + ch]}, on rows of {@code rowWidth} positions: the first maximum in raster order, the
     * runtime pool's rule.
     */
    private void windowWinner(CodeBlock.Builder b, Node node, int rowWidth, int width, int sums) {
        int height = taps.smallHeight();
        String sum = sums == 0 ? "" : " + " + sums;
        b.beginControlFlow("for (int s = 0; s < samples; s++)");
        b.beginControlFlow("for (int oy = 0; oy < $L; oy++)", node.out().height());
        b.addStatement("int y0 = Math.max(0, oy * $L - $L)", pool.stride(), pool.padding());
        b.addStatement("int y1 = Math.min($L, oy * $L - $L + $L)", height, pool.stride(), pool.padding(),
                pool.kernel());
        b.beginControlFlow("for (int ox = 0; ox < $L; ox++)", node.out().width());
        b.addStatement("int x0 = Math.max(0, ox * $L - $L)", pool.stride(), pool.padding());
        b.addStatement("int x1 = Math.min($L, ox * $L - $L + $L)", taps.smallWidth(), pool.stride(),
                pool.padding(), pool.kernel());
        b.addStatement("int i = (((first + s) * $L + oy) * $L + ox) * $L", node.out().height(),
                node.out().width(), taps.smallChannels());
        b.beginControlFlow("for (int ch = 0; ch < $L; ch++)", taps.smallChannels());
        b.addStatement("int best = (s * $L + y0) * $L + x0", height, rowWidth);
        b.beginControlFlow("for (int py = y0; py < y1; py++)");
        b.beginControlFlow("for (int px = x0; px < x1; px++)");
        b.addStatement("int at = (s * $L + py) * $L + px", height, rowWidth);
        b.beginControlFlow("if (rr[at * $L$L + ch] > rr[best * $L$L + ch])", width, sum, width, sum);
        b.addStatement("best = at");
        b.endControlFlow();
        b.endControlFlow();
        b.endControlFlow();
    }

    /**
     * The backward rules on the runtime's kernels, chunk by chunk: {@code g_s} and {@code R{g_s}} in the raw sums'
     * layout (at the pool's winners); {@code (H v)_W} from two weight gradients, {@code corr(R{g_s}, x)} and
     * {@code corr(g_s, R{x})}, into a part of the chunk's own; at the input {@code g_x = conv^T(g_s, W)} (from the
     * second) and {@code R{g_x} = conv^T(g_s, V) + conv^T(R{g_s}, W)}, added into the double gradients. The parts
     * are added up in chunk order, in double.
     */
    private CodeBlock kernelBackward(Node node, SecondOrderContext c) {
        boolean input = !c.readsNetworkInput();
        int filters = taps.smallChannels();
        int weights = filters * field();
        int grid = WideRows.gridWidth(node);
        int sums = taps.smallHeight() * grid * filters;
        int samples = kernelChunkSamples();
        int big = bigSize();
        String geometry = c.constant("GEOMETRY");
        CodeBlock.Builder b = CodeBlock.builder();
        b.add("{\n").indent();
        b.addStatement("int in = $L", c.inRegion());
        b.addStatement("int o = $L", c.outRegion());
        b.add(ChunkCode.declare(c, samples, weights + filters));
        b.beginControlFlow("$L.run(n, $L, (scratch, worker, chunk, first, samples) ->", c.chunks(), samples);
        b.add(ChunkCode.open(weights + filters));
        b.addStatement("int size = samples * $L", sums);
        b.addStatement("float[] gs = scratch.floats(3, size)");
        b.addStatement("float[] rgs = scratch.floats(4, size)");
        b.addStatement("java.util.Arrays.fill(gs, 0, size, 0f)");
        b.addStatement("java.util.Arrays.fill(rgs, 0, size, 0f)");
        b.addStatement("int start = first * $L", node.out().size());
        b.addStatement("float[] ys = scratch.floats(7, samples * $L)", node.out().size());
        b.addStatement("a.get(o + start, ys, 0, samples * $L)", node.out().size());
        b.beginControlFlow("for (int i = start; i < start + samples * $L; i++)", node.out().size());
        b.addStatement("float y = ys[i - start]");
        b.addStatement("double h1 = $L", ActivationCurvature.first(activation, "y"));
        b.add(ActivationCurvature.rGradient(activation, c.own("Ra"), c.dOut(), c.rdOut()));
        b.addStatement("int ch = i % $L", filters);
        if (bias) {
            b.addStatement("part[$L + ch] += rga", weights);
        }
        if (pool != null) {
            b.addStatement("int at = $L[i] - first * $L", c.own("Win"), sums);
        } else {
            b.addStatement("int q = (i - start) / $L", filters);
            b.addStatement("int at = (q / $L * $L + q % $L) * $L + ch", taps.smallWidth(), grid, taps.smallWidth(),
                    filters);
        }
        b.addStatement("gs[at] += (float) (h1 * $L[i])", c.dOut());
        b.addStatement("rgs[at] += (float) rga");
        b.endControlFlow();
        b.addStatement("$T g = scratch.memory(3, size)", MEMORY);
        b.addStatement("g.floats().put(0, gs, 0, size)");
        b.addStatement("$T rg = scratch.memory(4, size)", MEMORY);
        b.addStatement("rg.floats().put(0, rgs, 0, size)");
        b.addStatement("$T hw = scratch.memory(5, $L)", MEMORY, weights);
        b.addStatement("hw.clear(0, $L)", weights);
        b.addStatement("$T.backward($L, $L, in + first * $L, samples, rg, 0, $L, $L, hw, 0, null, 0, worker)",
                CONVOLUTION, geometry, c.arena(), big, c.params(), c.constant("WEIGHT"));
        if (input) {
            b.add(ChunkCode.roundedInto(c.rIn(), "first * " + bigSize(), "samples * " + bigSize()));
            b.addStatement("int inputs = samples * $L", big);
            b.addStatement("$T dx = scratch.memory(6, 2 * inputs)", MEMORY);
            b.addStatement("$T.backward($L, rx, 0, samples, g, 0, $L, $L, hw, 0, dx, 0, worker)", CONVOLUTION,
                    geometry, c.params(), c.constant("WEIGHT"));
            b.addStatement("$T.backward($L, null, 0, samples, g, 0, $L, $L, null, 0, dx, inputs, false, worker)",
                    CONVOLUTION, geometry, c.direction(), c.constant("WEIGHT"));
            b.addStatement("$T.backward($L, null, 0, samples, rg, 0, $L, $L, null, 0, dx, inputs, true, worker)",
                    CONVOLUTION, geometry, c.params(), c.constant("WEIGHT"));
            b.add(ChunkCode.addToInput(c, 5, "inputs", "first * " + big));
        }
        b.add(ChunkCode.weightsFromFloats(6, weights));
        b.endControlFlow(")");
        b.add(ChunkCode.addUp(c, weights, bias ? filters : 0));
        b.unindent().add("}\n");
        return b.build();
    }

    /** Samples per chunk on the runtime's kernels: four times {@link #chunkSamples}'s rows, which they chunk again. */
    private int kernelChunkSamples() {
        return Math.max(1, 4 * CHUNK_ROWS / positions());
    }

    /**
     * The GEMM forward. Once: the weights as {@code W [filters][field]} and {@code W^T}, and {@code B = [V^T | W^T]}
     * ({@code V^T} alone without a pool), in the products' precision. Per chunk: the columns {@code X} of the input,
     * {@code X B} (its left half {@code X V^T}, its right half the raw sums for the pool's winners), {@code R{X} W^T}
     * added to the left half, then the winners, {@code R{a}} and {@code R{y}} of the chunk's samples. Columns are
     * built in a heap array and moved to the GEMM's block in one bulk copy.
     */
    private CodeBlock gemmForward(Node node, SecondOrderContext c) {
        ProductArithmetic ar = c.arithmetic();
        boolean input = !c.readsNetworkInput();
        int filters = taps.smallChannels();
        int field = field();
        int positions = positions();
        int samples = chunkSamples();
        int width = pool != null ? 2 * filters : filters;
        CodeBlock.Builder b = CodeBlock.builder();
        b.addStatement("double[] $L = new double[n * $L]", c.own("Ra"), node.out().size());
        if (pool != null) {
            b.addStatement("int[] $L = new int[n * $L]", c.own("Win"), node.out().size());
        }
        // the calling thread's blocks (four a layer), which the GEMMs read in place and workers share
        int slot = ar.inFloat() ? 8 * node.id() + 4 : 4 * node.id();
        b.addStatement("$L $L = $L", ar.direct(), c.own("W"), ar.shared(c.chunks(), slot, "" + filters * field));
        b.addStatement("$L $L = $L", ar.direct(), c.own("Wt"),
                ar.shared(c.chunks(), slot + 1, "" + filters * field));
        b.addStatement("$L $L = $L", ar.direct(), c.own("B"), ar.shared(c.chunks(), slot + 2, "" + width * field));
        if (input) {
            b.addStatement("$L $L = $L", ar.direct(), c.own("WV"),
                    ar.shared(c.chunks(), slot + 3, "" + 2 * filters * field));
        }
        b.add("{\n").indent();
        b.addStatement("int in = $L", c.inRegion());
        b.addStatement("int o = $L", c.outRegion());
        b.beginControlFlow("for (int f = 0; f < $L; f++)", filters);
        b.beginControlFlow("for (int q = 0; q < $L; q++)", field);
        b.addStatement("$L weight = p.get($L + f * $L + q)", ar.real(), c.constant("WEIGHT"), field);
        b.addStatement("$L direction = $Lv[$L + f * $L + q]", ar.real(), ar.narrow(), c.constant("WEIGHT"), field);
        b.addStatement("$L.put(f * $L + q, weight)", ar.view(c.own("W")), field);
        b.addStatement("$L.put(q * $L + f, weight)", ar.view(c.own("Wt")), filters);
        b.addStatement("$L.put(q * $L + f, direction)", ar.view(c.own("B")), width);
        if (pool != null) {
            b.addStatement("$L.put(q * $L + $L + f, weight)", ar.view(c.own("B")), width, filters);
        }
        if (input) {
            b.addStatement("$L.put(f * $L + q, weight)", ar.view(c.own("WV")), 2 * field);
            b.addStatement("$L.put(f * $L + $L + q, direction)", ar.view(c.own("WV")), 2 * field, field);
        }
        b.endControlFlow();
        b.endControlFlow();
        b.beginControlFlow("$L.run(n, $L, (scratch, worker, chunk, first, samples) ->", c.chunks(), samples);
        b.addStatement("int m = samples * $L", positions);
        b.addStatement("$L[] cols = $L", ar.real(), ar.scratchArray(2, samples * positions * field));
        b.addStatement("$L x = $L", ar.direct(), ar.scratchDirect(0, samples * positions * field));
        b.add(stage(ar));
        b.add(im2col("cols", "xin", true, ar));
        b.addStatement("$L.put(0, cols, 0, m * $L)", ar.view("x"), field);
        b.addStatement("$L r = $L", ar.direct(), ar.scratchDirect(1, samples * positions * width));
        b.addStatement("$T.$L(false, false, m, $L, $L, $L, x, 0, $L, $L, 0, $L, $L, r, 0, $L)", BLAS, ar.gemm(),
                width, field, ar.one(), field, c.own("B"), width, ar.zero(), width);
        if (input) {
            b.addStatement("$L rx = $L", ar.direct(), ar.scratchDirect(2, samples * positions * field));
            b.add(im2col("cols", stageR(c, ar, b), ar.inFloat(), ar));
            b.addStatement("$L.put(0, cols, 0, m * $L)", ar.view("rx"), field);
            b.addStatement("$T.$L(false, false, m, $L, $L, $L, rx, 0, $L, $L, 0, $L, $L, r, 0, $L)", BLAS, ar.gemm(),
                    filters, field, ar.one(), field, c.own("Wt"), filters, ar.one(), width);
        }
        b.addStatement("$L[] rr = $L", ar.real(), ar.scratchArray(4, samples * positions * width));
        b.addStatement("$L.get(0, rr, 0, m * $L)", ar.view("r"), width);
        b.add(chunkEpilogue(node, c, width));
        b.endControlFlow(")");
        b.unindent().add("}\n");
        return b.build();
    }

    /**
     * A chunk's samples from {@code rr} (rows of {@code width}: {@code R{s}}, then the raw sums with a pool): the
     * pool's winners, the runtime's (the first maximum of the window in raster order), as indices of the batch's
     * raw values; {@code R{a}} with the bias's direction; {@code R{y}}.
     */
    private CodeBlock chunkEpilogue(Node node, SecondOrderContext c, int width) {
        int filters = taps.smallChannels();
        CodeBlock.Builder b = CodeBlock.builder();
        String ra = bias ? " + v[" + c.constant("BIAS") + " + ch]" : "";
        if (pool != null) {
            windowWinner(b, node, taps.smallWidth(), width, filters);
            b.addStatement("$L[i + ch] = (first * $L + best) * $L + ch", c.own("Win"), positions(), filters);
            b.addStatement("double ra = rr[best * $L + ch]" + ra, width);
            b.addStatement("$L[i + ch] = ra", c.own("Ra"));
            b.addStatement("float y = a.get(o + i + ch)");
            b.addStatement("$L[i + ch] = $L * ra", c.rOut(), ActivationCurvature.first(activation, "y"));
            b.endControlFlow();
            b.endControlFlow();
            b.endControlFlow();
            b.endControlFlow();
        } else {
            b.beginControlFlow("for (int row = 0; row < m; row++)");
            b.addStatement("int i = (first * $L + row) * $L", positions(), filters);
            b.beginControlFlow("for (int ch = 0; ch < $L; ch++)", filters);
            b.addStatement("double ra = rr[row * $L + ch]" + ra, width);
            b.addStatement("$L[i + ch] = ra", c.own("Ra"));
            b.addStatement("float y = a.get(o + i + ch)");
            b.addStatement("$L[i + ch] = $L * ra", c.rOut(), ActivationCurvature.first(activation, "y"));
            b.endControlFlow();
            b.endControlFlow();
        }
        return b.build();
    }

    /**
     * The GEMM backward, per chunk: {@code g_s} and {@code R{g_s}} side by side in rows of {@code 2 filters},
     * routed to the pool's winners; the layer's terms of {@code H v} (weights, then bias) into a part of its own,
     * {@code R{g_s}^T X + g_s^T R{X}}; at the input, {@code [g_s W | g_s V + R{g_s} W]} folded back from columns.
     * The parts are added up in chunk order, in double.
     */
    private CodeBlock gemmBackward(Node node, SecondOrderContext c) {
        ProductArithmetic ar = c.arithmetic();
        boolean input = !c.readsNetworkInput();
        int filters = taps.smallChannels();
        int field = field();
        int positions = positions();
        int samples = chunkSamples();
        int weights = filters * field;
        CodeBlock.Builder b = CodeBlock.builder();
        b.add("{\n").indent();
        b.addStatement("int in = $L", c.inRegion());
        b.addStatement("int o = $L", c.outRegion());
        b.add(ChunkCode.declare(c, samples, weights + filters));
        b.beginControlFlow("$L.run(n, $L, (scratch, worker, chunk, first, samples) ->", c.chunks(), samples);
        b.addStatement("int m = samples * $L", positions);
        b.add(ChunkCode.open(weights + filters));
        b.addStatement("$L[] gh = $L", ar.real(), ar.scratchArray(1, samples * positions * 2 * filters));
        if (pool != null) {
            b.addStatement("java.util.Arrays.fill(gh, 0, m * $L, $L)", 2 * filters, ar.zero());
        }
        b.addStatement("int start = first * $L", node.out().size());
        b.beginControlFlow("for (int i = start; i < start + samples * $L; i++)", node.out().size());
        b.addStatement("float y = a.get(o + i)");
        b.addStatement("double h1 = $L", ActivationCurvature.first(activation, "y"));
        b.addStatement("double h2 = $L", ActivationCurvature.second(activation, "y"));
        b.addStatement("double ga = h1 * $L[i]", c.dOut());
        b.addStatement("double rga = h2 * $L[i] * $L[i] + h1 * $L[i]", c.own("Ra"), c.dOut(), c.rdOut());
        b.addStatement("int ch = i % $L", filters);
        if (bias) {
            b.addStatement("part[$L + ch] += rga", weights);
        }
        if (pool != null) {
            b.addStatement("int row = ($L[i] - first * $L) / $L", c.own("Win"), positions * filters, filters);
            b.addStatement("gh[row * $L + ch] += $Lga", 2 * filters, ar.narrow());
            b.addStatement("gh[row * $L + $L + ch] += $Lrga", 2 * filters, filters, ar.narrow());
        } else {
            b.addStatement("int row = (i - start) / $L", filters);
            b.addStatement("gh[row * $L + ch] = $Lga", 2 * filters, ar.narrow());
            b.addStatement("gh[row * $L + $L + ch] = $Lrga", 2 * filters, filters, ar.narrow());
        }
        b.endControlFlow();
        b.addStatement("$L gr = $L", ar.direct(), ar.scratchDirect(4, samples * positions * 2 * filters));
        b.addStatement("$L.put(0, gh, 0, m * $L)", ar.view("gr"), 2 * filters);
        b.addStatement("$L[] cols = $L", ar.real(), ar.scratchArray(2, samples * positions * field));
        b.addStatement("$L x = $L", ar.direct(), ar.scratchDirect(0, samples * positions * field));
        b.add(stage(ar));
        b.add(im2col("cols", "xin", true, ar));
        b.addStatement("$L.put(0, cols, 0, m * $L)", ar.view("x"), field);
        b.addStatement("$L hw = $L", ar.direct(), ar.scratchDirect(5, weights));
        b.addStatement("$T.$L(true, false, $L, $L, m, $L, gr, $L, $L, x, 0, $L, $L, hw, 0, $L)", BLAS, ar.gemm(),
                filters, field, ar.one(), filters, 2 * filters, field, ar.zero(), field);
        if (input) {
            b.addStatement("$L rx = $L", ar.direct(), ar.scratchDirect(2, samples * positions * field));
            b.add(im2col("cols", stageR(c, ar, b), ar.inFloat(), ar));
            b.addStatement("$L.put(0, cols, 0, m * $L)", ar.view("rx"), field);
            b.addStatement("$T.$L(true, false, $L, $L, m, $L, gr, 0, $L, rx, 0, $L, $L, hw, 0, $L)", BLAS, ar.gemm(),
                    filters, field, ar.one(), 2 * filters, field, ar.one(), field);
            b.addStatement("$L dc = $L", ar.direct(), ar.scratchDirect(3, samples * positions * 2 * field));
            b.addStatement("$T.$L(false, false, m, $L, $L, $L, gr, 0, $L, $L, 0, $L, $L, dc, 0, $L)", BLAS,
                    ar.gemm(), 2 * field, filters, ar.one(), 2 * filters, c.own("WV"), 2 * field, ar.zero(),
                    2 * field);
            b.addStatement("$T.$L(false, false, m, $L, $L, $L, gr, $L, $L, $L, 0, $L, $L, dc, $L, $L)", BLAS,
                    ar.gemm(), field, filters, ar.one(), filters, 2 * filters, c.own("W"), field, ar.one(), field,
                    2 * field);
            b.addStatement("$L[] dcs = $L", ar.real(), ar.scratchArray(5, samples * positions * 2 * field));
            b.addStatement("$L.get(0, dcs, 0, m * $L)", ar.view("dc"), 2 * field);
            b.add(col2im("dcs", c.dIn(), c.rdIn()));
        }
        if (ar.inFloat()) {
            b.add(ChunkCode.weightsFromFloats(6, weights));
        } else {
            b.addStatement("hw.get(0, part, 0, $L)", weights);
        }
        b.endControlFlow(")");
        b.add(ChunkCode.addUp(c, weights, bias ? filters : 0));
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
     * {@code xin}: the chunk's samples of the layer's input, from the arena (in one bulk copy in float; converted to
     * double one by one), so that im2col copies runs of it.
     */
    private CodeBlock stage(ProductArithmetic ar) {
        int big = bigSize();
        CodeBlock.Builder b = CodeBlock.builder();
        b.addStatement("$L[] xin = $L", ar.real(), ar.scratchArray(0, chunkSamples() * big));
        b.addStatement("int base = in + first * $L", big);
        if (ar.inFloat()) {
            b.addStatement("a.get(base, xin, 0, samples * $L)", big);
        } else {
            b.beginControlFlow("for (int j = 0; j < samples * $L; j++)", big);
            b.addStatement("xin[j] = a.get(base + j)");
            b.endControlFlow();
        }
        return b.build();
    }

    /**
     * {@return the array im2col reads {@code R{x}} from: the batch's double array itself in double; in float the
     * chunk's samples of it rounded into {@code rxin}, whose statements go into {@code b}}
     */
    private String stageR(SecondOrderContext c, ProductArithmetic ar, CodeBlock.Builder b) {
        if (!ar.inFloat()) {
            return c.rIn();
        }
        int big = bigSize();
        b.addStatement("float[] rxin = scratch.floats(3, $L)", chunkSamples() * big);
        b.addStatement("int rbase = first * $L", big);
        b.beginControlFlow("for (int j = 0; j < samples * $L; j++)", big);
        b.addStatement("rxin[j] = (float) $L[rbase + j]", c.rIn());
        b.endControlFlow();
        return "rxin";
    }

    /**
     * The columns of a chunk in the heap array {@code columns}: row {@code (sample, position)}, column {@code (tap
     * row, tap column, channel)} as the weights are laid out, zero where the tap falls in the padding. {@code source}
     * holds the big side's values, from the chunk's first sample when {@code local}, else from the batch's.
     */
    private CodeBlock im2col(String columns, String source, boolean local, ProductArithmetic ar) {
        int run = taps.kernelWidth() * taps.bigChannels();
        int channels = taps.bigChannels();
        CodeBlock tap = CodeBlock.builder()
                .beginControlFlow("if (bx < 0 || bx >= $L)", taps.bigWidth())
                .addStatement("java.util.Arrays.fill($L, col, col + $L, $L)", columns, channels, ar.zero())
                .nextControlFlow("else")
                .addStatement("System.arraycopy($L, at + (bx - x0) * $L, $L, col, $L)", source, channels, columns,
                        channels)
                .endControlFlow().build();
        CodeBlock outside = CodeBlock.of("java.util.Arrays.fill($L, line, line + $L, $L);\n", columns, run,
                ar.zero());
        CodeBlock whole = CodeBlock.of("System.arraycopy($L, at, $L, line, $L);\n", source, columns, run);
        return taps(outside, whole, tap, field(), local);
    }

    /**
     * Adds a chunk's columns back into the big side's values of the batch (im2col's transpose): the left half of
     * each row of the heap array {@code columns} into {@code left}, the right half into {@code right}.
     */
    private CodeBlock col2im(String columns, String left, String right) {
        int field = field();
        int run = taps.kernelWidth() * taps.bigChannels();
        CodeBlock tap = CodeBlock.builder()
                .beginControlFlow("if (bx >= 0 && bx < $L)", taps.bigWidth())
                .addStatement("int from = at + (bx - x0) * $L", taps.bigChannels())
                .beginControlFlow("for (int ch = 0; ch < $L; ch++)", taps.bigChannels())
                .addStatement("$L[from + ch] += $L[col + ch]", left, columns)
                .addStatement("$L[from + ch] += $L[col + $L + ch]", right, columns, field)
                .endControlFlow()
                .endControlFlow().build();
        CodeBlock whole = CodeBlock.builder()
                .beginControlFlow("for (int j = 0; j < $L; j++)", run)
                .addStatement("$L[at + j] += $L[line + j]", left, columns)
                .addStatement("$L[at + j] += $L[line + $L + j]", right, columns, field)
                .endControlFlow().build();
        return taps(CodeBlock.of(""), whole, tap, 2 * field, false);
    }

    /** Values per sample on the big side (the input). */
    private int bigSize() {
        return taps.bigHeight() * taps.bigWidth() * taps.bigChannels();
    }

    /**
     * The loops over a chunk's samples, positions and kernel rows: {@code line}, where the kernel row starts in column
     * rows of {@code rowWidth} values, and {@code at}, where its first tap's column {@code x0} would be in the big side
     * ({@code local}: counting from the chunk's first sample). A kernel row outside the big side runs
     * {@code outside}; one wholly inside, at dilation 1, {@code whole} (its taps are one run of values); else each
     * tap runs {@code tap}, with {@code bx} and {@code col}.
     */
    private CodeBlock taps(CodeBlock outside, CodeBlock whole, CodeBlock tap, int rowWidth, boolean local) {
        CodeBlock.Builder b = CodeBlock.builder();
        b.beginControlFlow("for (int s = 0; s < samples; s++)");
        b.beginControlFlow("for (int sy = 0; sy < $L; sy++)", taps.smallHeight());
        b.beginControlFlow("for (int sx = 0; sx < $L; sx++)", taps.smallWidth());
        b.addStatement("int row = ((s * $L + sy) * $L + sx) * $L", taps.smallHeight(), taps.smallWidth(), rowWidth);
        b.addStatement("int x0 = sx * $L - $L", taps.stride(), taps.columnPadding());
        b.beginControlFlow("for (int ky = 0; ky < $L; ky++)", taps.kernelHeight());
        b.addStatement("int by = sy * $L - $L + ky * $L", taps.stride(), taps.rowPadding(), taps.dilation());
        b.addStatement("int line = row + ky * $L", taps.kernelWidth() * taps.bigChannels());
        b.beginControlFlow("if (by < 0 || by >= $L)", taps.bigHeight());
        b.add(outside);
        b.addStatement("continue");
        b.endControlFlow();
        b.addStatement("int at = ((($L) * $L + by) * $L + x0) * $L", local ? "s" : "first + s", taps.bigHeight(),
                taps.bigWidth(), taps.bigChannels());
        if (taps.dilation() == 1) {
            b.beginControlFlow("if (x0 >= 0 && x0 + $L <= $L)", taps.kernelWidth(), taps.bigWidth());
            b.add(whole);
            b.addStatement("continue");
            b.endControlFlow();
        }
        b.beginControlFlow("for (int kx = 0; kx < $L; kx++)", taps.kernelWidth());
        b.addStatement("int bx = x0 + kx * $L", taps.dilation());
        b.addStatement("int col = line + kx * $L", taps.bigChannels());
        b.add(tap);
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
