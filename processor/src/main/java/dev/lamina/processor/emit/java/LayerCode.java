package dev.lamina.processor.emit.java;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.lamina.dsl.Activation;
import dev.lamina.dsl.PoolKind;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.plan.LayerNorms;
import dev.lamina.processor.plan.MemoryPlan;
import dev.lamina.processor.plan.MemoryPlan.Contribution;
import dev.lamina.processor.plan.WideRows;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The forward and backward code of each layer, for one worker's slice of the batch: rows {@code [first, first +
 * rows)} of a batch of {@code n}. A region's slice starts at {@code REGION * n + first * SIZE}. GEMMs and the
 * generic kernels (convolution, pooling, batch-norm statistics) are calls into the runtime; everything pointwise
 * after them (bias, activation, dropout) is written out here as one loop, specialised to the layer's sizes.
 */
final class LayerCode {
    static final ClassName BLAS = ClassName.get("dev.lamina.runtime", "Blas");
    static final ClassName CONVOLUTION = ClassName.get("dev.lamina.runtime.kernels", "Convolution");
    static final ClassName CONVOLUTION_1D = ClassName.get("dev.lamina.runtime.kernels", "Convolution1d");
    static final ClassName CONV1D_GEOMETRY = ClassName.get("dev.lamina.runtime.kernels", "Convolution1d", "Geometry");
    static final ClassName CONV_GEOMETRY = ClassName.get("dev.lamina.runtime.kernels", "ConvGeometry");
    static final ClassName POOLING = ClassName.get("dev.lamina.runtime.kernels", "Pooling");
    static final ClassName CONCATENATION = ClassName.get("dev.lamina.runtime.kernels", "Concatenation");
    static final ClassName EMBEDDINGS = ClassName.get("dev.lamina.runtime.kernels", "Embeddings");
    static final ClassName RESPONSE_NORMALIZATION =
            ClassName.get("dev.lamina.runtime.kernels", "ResponseNormalization");
    static final ClassName UPSAMPLING = ClassName.get("dev.lamina.runtime.kernels", "Upsampling");
    static final ClassName LAYER_NORMALIZATION = ClassName.get("dev.lamina.runtime.kernels", "LayerNormalization");
    static final ClassName MAX_POOL_2X2 = ClassName.get("dev.lamina.runtime.kernels", "MaxPool2x2");
    static final ClassName NORMALIZATION = ClassName.get("dev.lamina.runtime.kernels", "Normalization");
    static final ClassName REDUCTIONS = ClassName.get("dev.lamina.runtime.kernels", "Reductions");
    static final ClassName LSTM = ClassName.get("dev.lamina.runtime.kernels", "Lstm");
    static final ClassName GRU = ClassName.get("dev.lamina.runtime.kernels", "Gru");
    static final ClassName RECURRENT_STATE = ClassName.get("dev.lamina.runtime.kernels", "RecurrentState");
    static final ClassName ELMAN_RNN = ClassName.get("dev.lamina.runtime.kernels", "ElmanRnn");
    static final ClassName SQUASH = ClassName.get("dev.lamina.runtime.kernels", "Squash");
    /** Runtime classes that expressions written as strings may name. */
    private static final Pattern RUNTIME_CLASS = Pattern.compile("\\b(Rng|Squash)\\.");
    static final ClassName LSTM_CELL = ClassName.get("dev.lamina.runtime.kernels", "Lstm", "Cell");
    static final ClassName RECURRENT_GEOMETRY = ClassName.get("dev.lamina.runtime.kernels", "RecurrentGeometry");
    static final ClassName RNG = ClassName.get("dev.lamina.runtime", "Rng");
    static final ClassName WORKER = ClassName.get("dev.lamina.runtime", "Worker");
    /** {@code Worker.BLOCK} (the processor does not depend on the runtime): rows wider than this are not blocked. */
    static final int HEAP_BLOCK = 4096;

    private final Graph graph;
    private final MemoryPlan plan;
    private final Names names;
    private final BlockLoops loops = new BlockLoops();

    LayerCode(Graph graph, MemoryPlan plan, Names names) {
        this.graph = graph;
        this.plan = plan;
        this.names = names;
    }

    /** The element-wise loop methods the layers' code calls, for the generated class. */
    BlockLoops loops() {
        return loops;
    }

    /** A one-line description for the comment above a layer's code. */
    static String describe(Node node) {
        String act = "";
        if (node.op() instanceof Op.Dense d && !d.activation().isIdentity()) {
            act = ", " + d.activation();
        } else if (node.op() instanceof Op.Conv c && !c.activation().isIdentity()) {
            act = ", " + c.activation();
        } else if (node.op() instanceof Op.BatchNorm b && !b.activation().isIdentity()) {
            act = ", " + b.activation();
        } else if (node.op() instanceof Op.Conv1d c && !c.activation().isIdentity()) {
            act = ", " + c.activation();
        } else if (node.op() instanceof Op.ConvTranspose t && !t.activation().isIdentity()) {
            act = ", " + t.activation();
        } else if (node.op() instanceof Op.LayerNorm n && !n.activation().isIdentity()) {
            act = ", " + n.activation();
        } else if (node.op() instanceof Op.Add a && !a.activation().isIdentity()) {
            act = ", " + a.activation();
        }
        String drop = node.hasFusedDropout() ? ", dropout " + node.dropout() + " ('" + node.dropoutName() + "')" : "";
        String kind = node.op() instanceof Op.Pool p ? p.poolKind() + " pool" : node.op().kind();
        if (node.hasFusedPool()) {
            return node.name() + ": " + kind + " " + node.in() + " -> " + node.ownOut() + act + ", then "
                    + node.pool().name() + ": MAX pool " + node.pool().op().kernel() + "/" + node.pool().op().stride()
                    + " -> " + node.out() + drop;
        }
        return node.name() + ": " + kind + " " + node.in() + " -> " + node.out() + act + drop;
    }

    // ---------------------------------------------------------------- forward

    /** The layer's part of the forward pass over a worker's rows; a flatten's is a comment only. */
    CodeBlock forward(Node node) {
        if (node.op() instanceof Op.Flatten) {
            return CodeBlock.of("// $L (channels-last rows are already flat: nothing moves)\n", describe(node));
        }
        Node add = addApplying(node);
        if (add != null) {
            return CodeBlock.of("// $L: $L applies its transform as it reads $L's output\n", describe(node),
                    add.name(), graph.node(node.input()).name());
        }
        return forwardBody(node);
    }

    /**
     * A batch norm's statistics for the forward pass: the batch's in training, the running ones in inference,
     * folded into the scale and shift that {@link #forward} applies (empty for every other layer).
     *
     * <p>Why a part of its own: the choice of mode is the only branch that differs between training and
     * evaluation. Kept out of the forward part's loop, switching to evaluation after an epoch deoptimises this
     * small method alone, not the compiled loop that applies the transform (which HotSpot otherwise recompiled
     * only seconds into the next epoch).
     */
    CodeBlock statistics(Node node) {
        if (!(node.op() instanceof Op.BatchNorm bn)) {
            return CodeBlock.of("");
        }
        CodeBlock.Builder b = CodeBlock.builder();
        int ch = node.in().channels();
        int spatial = node.in().image() ? node.in().spatial() : 1;
        String rows = spatial == 1 ? "rows" : "rows * " + spatial;
        String total = spatial == 1 ? "n" : "n * " + spatial;
        b.beginControlFlow("if (training)");
        b.addStatement("int in = $L", slice(names.out(node.input()), node.in().size()));
        b.addStatement("$T.training(a, in, $L, $L, $L, $Lf, $Lf, p, $L, $L, $L, $L, $L, $L, stats, $L, $L, worker)",
                NORMALIZATION, rows, total, ch, (float) bn.epsilon(), (float) bn.momentum(),
                Names.constant(node, "WEIGHT"), Names.constant(node, "BIAS"), normField(node, "Mean"),
                normField(node, "InvStd"), normField(node, "Scale"), normField(node, "Shift"),
                Names.constant(node, "RUNNING_MEAN"), Names.constant(node, "RUNNING_VAR"));
        b.nextControlFlow("else");
        b.addStatement("$T.inference(p, $L, $L, $L, $Lf, $L, $L, $L, $L, stats, $L, $L, worker)", NORMALIZATION,
                Names.constant(node, "WEIGHT"), Names.constant(node, "BIAS"), ch, (float) bn.epsilon(),
                normField(node, "Mean"), normField(node, "InvStd"), normField(node, "Scale"), normField(node, "Shift"),
                Names.constant(node, "RUNNING_MEAN"),
                Names.constant(node, "RUNNING_VAR"));
        b.endControlFlow();
        return b.build();
    }

    /** The layer's part of the backward pass over a worker's rows; a flatten has none. */
    CodeBlock backward(Node node) {
        if (node.op() instanceof Op.Flatten) {
            return CodeBlock.of("");
        }
        return backwardBody(node);
    }

    /** {@code REGION * n + first * perSample}: where this worker's rows of a region start. */
    private static String slice(String region, int perSample) {
        return region + " * n + first * " + perSample;
    }

    /**
     * Where this worker's rows of a gradient ping-pong region start. Layers of different widths share these
     * regions, so each worker's slice is spaced by the widest layer ({@code DELTA_STRIDE}) and the workers' slices
     * never overlap, whichever layer each worker is at.
     */
    private static String deltaSlice(String region) {
        return region + " * n + first * DELTA_STRIDE";
    }

    /** The constant holding a convolution's sizes. */
    static String geometry(Node node) {
        return Names.constant(node, "GEOMETRY");
    }

    private CodeBlock forwardBody(Node node) {
        CodeBlock.Builder b = CodeBlock.builder();
        Op op = node.op();
        if (op instanceof Op.Add add) {
            addForward(b, node, add);
            return b.build();
        }
        b.addStatement("int in = $L", slice(names.out(node.input()), node.in().size()));
        b.addStatement("int out = $L", slice(Names.constant(node, "OUT"), node.out().size()));
        if (op instanceof Op.Dense d) {
            // on a sequence, every step of every row is a row of the GEMM
            String rows = gemmRows(node);
            b.addStatement("$T.forward($L, $L, $L, arena, in, params, $L, arena, out)", BLAS, rows, d.units(),
                    node.in().features(), Names.constant(node, "WEIGHT"));
            epilogue(b, node, rows, d.units(), d.bias(), d.activation());
        } else if (op instanceof Op.Embedding e) {
            b.addStatement("$T.forward(a, in, rows * $L, p, $L, $L, $L, a, out)", EMBEDDINGS, node.in().steps(),
                    Names.constant(node, "WEIGHT"), ((Op.Input) graph.input().op()).tokens(), e.dim());
        } else if (op instanceof Op.Conv c && c.groups() > 1) {
            groupedForward(b, node, c);
            epilogue(b, node, "rows * " + node.out().spatial(), c.filters(), c.bias(), c.activation());
        } else if (op instanceof Op.Conv c) {
            String sums = node.hasFusedPool() ? "sums" : "out";
            if (node.hasFusedPool()) {
                b.addStatement("int sums = $L", slice(Names.constant(node, "SUMS"), WideRows.sumsSize(node)));
            }
            b.addStatement("$T.forward($L, arena, in, rows, params, $L, arena, $L, worker)", CONVOLUTION,
                    geometry(node), Names.constant(node, "WEIGHT"), sums);
            if (node.hasFusedPool()) {
                b.add("// bias and activation are non-decreasing, so they can follow the max\n");
                maxPoolForward(b, node, node.pool().op(), node.ownOut(), "sums");
            }
            epilogue(b, node, "rows * " + node.out().spatial(), c.filters(), c.bias(), c.activation());
        } else if (op instanceof Op.Conv1d c) {
            b.addStatement("$T.forward($L, arena, in, rows, params, $L, arena, out, worker)", CONVOLUTION_1D,
                    geometry(node), Names.constant(node, "WEIGHT"));
            epilogue(b, node, "rows * " + node.out().steps(), c.filters(), c.bias(), c.activation());
        } else if (op instanceof Op.Upsample u && u.pool() >= 0) {
            // each value back where the pool found it
            Node pool = graph.node(u.pool());
            b.addStatement("$T.unpool(a, in, rows * $L, indices, $L, a, out, rows * $L)", POOLING,
                    pool.out().size(), slice(Names.argmax(pool), pool.out().size()), pool.in().size());
        } else if (op instanceof Op.Upsample u) {
            b.addStatement("$T.forward(a, in, rows, $L, $L, $L, $L, out)", UPSAMPLING, node.in().height(),
                    node.in().width(), node.in().channels(), u.scale());
        } else if (op instanceof Op.ConvTranspose t) {
            // the adjoint convolution's gradient with respect to its input
            b.addStatement("$T.dataGradient($L, rows, arena, in, params, $L, arena, out, worker)", CONVOLUTION,
                    geometry(node), Names.constant(node, "WEIGHT"));
            epilogue(b, node, "rows * " + node.out().spatial(), t.filters(), t.bias(), t.activation());
        } else if (op instanceof Op.ResponseNorm lrn) {
            b.addStatement("int scales = $L", slice(Names.constant(node, "STATS"), node.out().size()));
            b.addStatement("$T.forward(a, in, rows * $L, $L, $L, $Lf, $Lf, $Lf, scales, out)", RESPONSE_NORMALIZATION,
                    node.in().spatial(), node.in().channels(), lrn.size(), (float) lrn.alpha(), (float) lrn.beta(),
                    (float) lrn.k());
        } else if (op instanceof Op.LayerNorm ln) {
            int rows = LayerNorms.rows(node);
            b.addStatement("int stats = $L", slice(Names.constant(node, "STATS"), 2 * rows));
            b.addStatement("$T.forward(a, in, rows * $L, $L, $Lf, p, $L, $L, stats, out)", LAYER_NORMALIZATION, rows,
                    node.in().features(), (float) ln.epsilon(), Names.constant(node, "WEIGHT"),
                    Names.constant(node, "BIAS"));
            if (!ln.activation().isIdentity()) {
                blockedActivation(b, ln.activation(), "rows * " + node.out().size());
            }
        } else if (op instanceof Op.Concat) {
            int positions = node.out().image() ? node.out().spatial() : 1;
            int offset = 0;
            for (int part : node.inputs()) {
                Shape shape = graph.node(part).out();
                b.addStatement("$T.place(a, $L, rows * $L, $L, out, $L, $L)", CONCATENATION,
                        slice(names.out(part), shape.size()), positions, shape.channels(), node.out().channels(),
                        offset);
                offset += shape.channels();
            }
        } else if (op instanceof Op.Recurrent l) {
            recurrentRegions(b, node, l);
            String last = l.sequences() ? "-1" : "out";
            if (l.stateful()) {
                // each row starts from the state it carried out of the previous training batch
                b.addStatement("int initial = -1");
                b.beginControlFlow("if (training)");
                b.addStatement("initial = $L", slice(Names.constant(node, "INITIAL"), l.carriedSize()));
                b.addStatement("$T.load(state.carried($L), first * $L, a, initial, rows * $L)", RECURRENT_STATE,
                        node.id(), l.carriedSize(), l.carriedSize());
                b.endControlFlow();
            }
            String initial = l.stateful() ? "initial" : "-1";
            switch (l.cell()) {
                case LSTM -> b.addStatement("$T.forward($L, $Larena, in, rows, params, $L, gates, cells, hidden, $L, $L)",
                        LSTM, geometry(node), variant(node, l), Names.constant(node, "WEIGHT_IH"), last, initial);
                case GRU -> b.addStatement("$T.forward($L, arena, in, rows, params, $L, gates, projections, hidden, "
                        + "$L, $L)", GRU, geometry(node), Names.constant(node, "WEIGHT_IH"), last, initial);
                case RNN -> b.addStatement("$T.forward($L, arena, in, rows, params, $L, hidden, $L, $L)", ELMAN_RNN,
                        geometry(node), Names.constant(node, "WEIGHT_IH"), last, initial);
            }
            if (l.stateful()) {
                b.beginControlFlow("if (training && !state.holdsStates())");
                b.addStatement("$T.save($L, a, hidden, $L, rows, state.carried($L), first * $L)", RECURRENT_STATE,
                        geometry(node), l.cell() == Op.Cell.LSTM ? "cells" : "-1", node.id(), l.carriedSize());
                b.endControlFlow();
            }
        } else if (op instanceof Op.Pool p) {
            if (p.poolKind() == PoolKind.MAX) {
                maxPoolForward(b, node, p, node.in(), "in");
            } else if (p.poolKind() == PoolKind.AVERAGE) {
                b.addStatement("$T.averageForward(a, in, rows, $L, $L, $L, $L, $L, $L, $L, a, out)", POOLING,
                        node.in().height(), node.in().width(), node.in().channels(), p.kernel(), p.stride(),
                        node.out().height(), node.out().width());
            } else {
                b.addStatement("$T.globalAverageForward(a, in, rows, $L, $L, a, out)", POOLING,
                        node.in().spatial(), node.in().channels());
            }
        } else if (op instanceof Op.BatchNorm bn) {
            int spatial = node.in().image() ? node.in().spatial() : 1;
            String rows = spatial == 1 ? "rows" : "rows * " + spatial;
            int ch = node.in().channels();
            epilogue(b, node, rows, ch, true, bn.activation());
        } else if (op instanceof Op.Dropout drop) {
            b.addStatement("int mask = $L", slice(Names.constant(node, "MASK"), node.out().size()));
            maskKey(b, node.name());
            b.addStatement("int element = first * $L", node.out().size());
            // training draws the mask; inference keeps every value (a mask of ones, for a backward pass after it)
            b.beginControlFlow("if (training)");
            b.beginControlFlow("for (int i = 0, count = rows * $L; i < count; i++)", node.out().size());
            b.addStatement("float keep = $T.uniform(maskKey, element + i) < $Lf ? 0f : $Lf", RNG,
                    (float) drop.rate(), (float) (1 / (1 - drop.rate())));
            b.addStatement("a.put(mask + i, keep)");
            b.addStatement("a.put(out + i, a.get(in + i) * keep)");
            b.endControlFlow();
            b.nextControlFlow("else");
            b.beginControlFlow("for (int i = 0, count = rows * $L; i < count; i++)", node.out().size());
            b.addStatement("a.put(mask + i, 1f)");
            b.addStatement("a.put(out + i, a.get(in + i))");
            b.endControlFlow();
            b.endControlFlow();
        }
        return b.build();
    }

    /**
     * The residual add that applies {@code node}'s transform, when {@code node} is a batch norm with no activation
     * or dropout of its own whose only reader is that add; otherwise null. The add then reads the batch norm's
     * input and computes {@code f(scale x + shift + s)} in its one pass, so the batch norm's output is never
     * written nor read again: two passes over the tensor fewer (its backward pass reads its input, not its output).
     */
    Node addApplying(Node node) {
        if (!graph.fuse() || !(node.op() instanceof Op.BatchNorm bn) || !bn.activation().isIdentity()
                || node.hasFusedDropout() || node.out().channels() > HEAP_BLOCK) {
            return null;
        }
        List<Node> readers = graph.layers().stream()
                .filter(r -> r.input() == node.id() || r.others().contains(node.id())).toList();
        return readers.size() == 1 && readers.get(0).op() instanceof Op.Add ? readers.get(0) : null;
    }

    /**
     * A residual add and its activation in one pass, a block at a time; an operand whose batch norm it applies
     * ({@link #addApplying}) is read from the batch norm's input and transformed on the way, always as the first
     * operand (addition commutes, bit for bit).
     */
    private void addForward(CodeBlock.Builder b, Node node, Op.Add add) {
        List<Node> operands = new ArrayList<>(List.of(graph.node(node.input()), graph.node(node.others().get(0))));
        operands.sort(Comparator.comparing((Node operand) -> addApplying(operand) == null));
        List<Node> normalized = operands.stream().filter(operand -> addApplying(operand) != null).toList();
        Node first = operands.get(0);
        Node second = operands.get(1);
        b.addStatement("int in = $L", slice(names.out(normalized.contains(first) ? first.input() : first.id()),
                node.in().size()));
        b.addStatement("int shortcut = $L", slice(names.out(normalized.contains(second) ? second.input()
                : second.id()), node.in().size()));
        b.addStatement("int out = $L", slice(Names.constant(node, "OUT"), node.out().size()));
        b.addStatement("float[] v = worker.block(0)");
        b.addStatement("float[] s = worker.block(1)");
        if (normalized.isEmpty()) {
            b.beginControlFlow("for (int i = 0, count = rows * $L; i < count; i += $T.BLOCK)", node.out().size(),
                    WORKER);
            b.addStatement("int length = Math.min($T.BLOCK, count - i)", WORKER);
            b.addStatement("a.get(in + i, v, 0, length)");
            b.addStatement("a.get(shortcut + i, s, 0, length)");
            b.addStatement("$L(v, s, length)", loops.add(add.activation()));
            b.addStatement("a.put(out + i, v, 0, length)");
            b.endControlFlow();
            return;
        }
        int ch = node.out().channels();
        String rows = node.out().image() ? "rows * " + node.out().spatial() : "rows";
        // the batch norms' per-channel transforms repeated for a block of whole rows
        b.addStatement("int blockRows = $T.BLOCK / $L", WORKER, ch);
        String[][] tiles = {{"scale", "shift"}, {"scaleS", "shiftS"}};
        for (int k = 0; k < normalized.size(); k++) {
            b.addStatement("float[] $L = worker.block($L)", tiles[k][0], 2 + 2 * k);
            b.addStatement("float[] $L = worker.block($L)", tiles[k][1], 3 + 2 * k);
        }
        b.beginControlFlow("for (int r = 0; r < blockRows; r++)");
        for (int k = 0; k < normalized.size(); k++) {
            b.addStatement("System.arraycopy($L, 0, $L, r * $L, $L)", normField(normalized.get(k), "Scale"),
                    tiles[k][0], ch, ch);
            b.addStatement("System.arraycopy($L, 0, $L, r * $L, $L)", normField(normalized.get(k), "Shift"),
                    tiles[k][1], ch, ch);
        }
        b.endControlFlow();
        b.beginControlFlow("for (int r = 0, total = $L; r < total; r += blockRows)", rows);
        b.addStatement("int length = Math.min(blockRows, total - r) * $L", ch);
        b.addStatement("a.get(in + r * $L, v, 0, length)", ch);
        b.addStatement("a.get(shortcut + r * $L, s, 0, length)", ch);
        if (normalized.size() == 1) {
            b.addStatement("$L(v, scale, shift, s, length)", loops.scaleShiftAdd(add.activation()));
        } else {
            b.addStatement("$L(v, scale, shift, s, scaleS, shiftS, length)",
                    loops.scaleShiftAddScaleShift(add.activation()));
        }
        b.addStatement("a.put(out + r * $L, v, 0, length)", ch);
        b.endControlFlow();
    }

    /** The GEMM rows of a dense layer's slice: {@code rows}, or {@code rows * steps} on a sequence. */
    private static String gemmRows(Node node) {
        return node.in().sequence() ? "rows * " + node.in().steps() : "rows";
    }

    /** {@code out = f(out)} over {@code count} floats, a block at a time in the worker's heap array. */
    private void blockedActivation(CodeBlock.Builder b, Op.Act act, String count) {
        b.addStatement("float[] v = worker.block(0)");
        b.beginControlFlow("for (int i = 0, count = $L; i < count; i += $T.BLOCK)", count, WORKER);
        b.addStatement("int length = Math.min($T.BLOCK, count - i)", WORKER);
        b.addStatement("a.get(out + i, v, 0, length)");
        b.addStatement("$L(v, length)", loops.activation(act));
        b.addStatement("a.put(out + i, v, 0, length)");
        b.endControlFlow();
    }

    /** The variant argument of an LSTM kernel call ({@code X_CELL, }), empty for the plain LSTM and other cells. */
    private static String variant(Node node, Op.Recurrent l) {
        return l.peephole() || l.coupled() ? lstmCell(node) + ", " : "";
    }

    /** The constant holding an LSTM variant. */
    static String lstmCell(Node node) {
        return Names.constant(node, "CELL");
    }

    /** The three parts of a grouped convolution's working region, for this worker's rows. */
    private static void groupRegions(CodeBlock.Builder b, Node node, Op.Conv c) {
        int groupIn = node.in().spatial() * (node.in().channels() / c.groups());
        int groupOut = node.out().spatial() * (c.filters() / c.groups());
        int size = 2 * groupIn + groupOut;
        b.addStatement("int groupIn = $L", slice(Names.constant(node, "GROUP"), size));
        b.addStatement("int groupOut = groupIn + rows * $L", groupIn);
        b.addStatement("int groupDx = groupOut + rows * $L", groupOut);
    }

    /** Group by group: its input channels made contiguous, convolved with its filters, placed among the output's. */
    private void groupedForward(CodeBlock.Builder b, Node node, Op.Conv c) {
        int cin = node.in().channels() / c.groups();
        int fg = c.filters() / c.groups();
        groupRegions(b, node, c);
        b.beginControlFlow("for (int group = 0; group < $L; group++)", c.groups());
        b.addStatement("$T.take(a, in, rows * $L, $L, group * $L, $L, groupIn)", CONCATENATION, node.in().spatial(),
                node.in().channels(), cin, cin);
        b.addStatement("$T.forward($L, arena, groupIn, rows, params, $L + group * $L, arena, groupOut, worker)",
                CONVOLUTION, geometry(node), Names.constant(node, "WEIGHT"), fg * c.kernel() * c.kernel() * cin);
        b.addStatement("$T.place(a, groupOut, rows * $L, $L, out, $L, group * $L)", CONCATENATION,
                node.out().spatial(), fg, c.filters(), fg);
        b.endControlFlow();
    }

    /** The same, backward: each group's weight gradient, and its part of the input's gradient. */
    private void groupedBackward(CodeBlock.Builder b, Node node, Op.Conv c, boolean needInputGradient) {
        int cin = node.in().channels() / c.groups();
        int fg = c.filters() / c.groups();
        groupRegions(b, node, c);
        String weights = Names.constant(node, "WEIGHT") + " + group * " + fg * c.kernel() * c.kernel() * cin;
        b.beginControlFlow("for (int group = 0; group < $L; group++)", c.groups());
        b.addStatement("$T.take(a, in, rows * $L, $L, group * $L, $L, groupIn)", CONCATENATION, node.in().spatial(),
                node.in().channels(), cin, cin);
        b.addStatement("$T.take(a, delta, rows * $L, $L, group * $L, $L, groupOut)", CONCATENATION,
                node.out().spatial(), c.filters(), fg, fg);
        b.addStatement("$T.backward($L, arena, groupIn, rows, arena, groupOut, params, $L, grads, $L, $L, worker)",
                CONVOLUTION, geometry(node), weights, weights, needInputGradient ? "arena, groupDx" : "null, 0");
        if (needInputGradient) {
            b.addStatement("$T.place(a, groupDx, rows * $L, $L, deltaIn, $L, group * $L)", CONCATENATION,
                    node.in().spatial(), cin, node.in().channels(), cin);
        }
        b.endControlFlow();
    }

    /** Where this worker's rows of a recurrent layer's regions start (the hidden states: the output, for sequences). */
    private static void recurrentRegions(CodeBlock.Builder b, Node node, Op.Recurrent l) {
        int steps = node.in().steps();
        b.addStatement("int gates = $L", slice(Names.constant(node, "GATES"), steps * l.gates() * l.units()));
        int stateSize = MemoryPlan.RecurrentRegions.stateSize(l);
        if (stateSize > 0) {
            String name = MemoryPlan.RecurrentRegions.stateName(l);
            b.addStatement("int $L = $L", name.toLowerCase(Locale.ROOT),
                    slice(Names.constant(node, name), steps * stateSize));
        }
        if (l.sequences()) {
            b.addStatement("int hidden = out");
        } else {
            b.addStatement("int hidden = $L", slice(Names.constant(node, "HIDDEN"), steps * l.units()));
        }
    }

    /** Max pooling of region {@code in} (of shape {@code input}) into {@code out}. */
    private static void maxPoolForward(CodeBlock.Builder b, Node node, Op.Pool p, Shape input, String in) {
        if (p.isMax2x2()) {
            if (WideRows.applies(node)) {
                b.addStatement("$T.forward(a, $L, rows, $L, $L, $L, $L, a, out)", MAX_POOL_2X2, in, input.height(),
                        input.width(), input.channels(), WideRows.gridWidth(node) * input.channels());
            } else {
                b.addStatement("$T.forward(a, $L, rows, $L, $L, $L, a, out)", MAX_POOL_2X2, in, input.height(),
                        input.width(), input.channels());
            }
            return;
        }
        b.addStatement("$T.maxForward(a, $L, rows, $L, $L, $L, $L, $L, $L$L, $L, a, out, indices, $L)", POOLING, in,
                input.height(), input.width(), input.channels(), p.kernel(), p.stride(),
                p.padding() > 0 ? p.padding() + ", " : "", node.out().height(), node.out().width(),
                slice(Names.argmax(node), node.out().size()));
    }

    /**
     * Routes {@code delta} (at the pooled output) to the winners, in region {@code target} of shape {@code input};
     * {@code values} is the region the pool read, for the kernel that finds the winners again.
     */
    private static void maxPoolBackward(CodeBlock.Builder b, Node node, Op.Pool p, Shape input, String values,
                                        String target) {
        if (p.isMax2x2()) {
            String rowLength = WideRows.applies(node) ? ", " + WideRows.gridWidth(node) * input.channels() : "";
            b.addStatement("$T.backward(a, $L, a, delta, rows, $L, $L, $L$L, a, $L)", MAX_POOL_2X2, values,
                    input.height(), input.width(), input.channels(), rowLength, target);
            return;
        }
        b.addStatement("$T.maxBackward(a, delta, rows * $L, indices, $L, a, $L, rows * $L)", POOLING,
                node.out().size(), slice(Names.argmax(node), node.out().size()), target, input.size());
    }

    /**
     * The pass after a GEMM or a normalisation: bias (or the batch-norm affine transform), activation, and a
     * fused dropout, in one loop; or, for {@code fuse = false}, one loop per operation.
     */
    private void epilogue(CodeBlock.Builder b, Node node, String rows, int cols, boolean bias, Op.Act act) {
        boolean batchNorm = node.op() instanceof Op.BatchNorm;
        String value;
        if (batchNorm) {
            value = normField(node, "Scale") + "[j] * a.get(in + at + j) + " + normField(node, "Shift") + "[j]";
        } else {
            value = bias ? "a.get(out + at + j) + p.get(" + Names.constant(node, "BIAS") + " + j)"
                    : "a.get(out + at + j)";
        }
        if (!graph.fuse()) {
            if (batchNorm || bias) {
                rowLoop(b, rows, cols, "a.put(out + at + j, " + value + ")");
            }
            if (!act.isIdentity()) {
                b.beginControlFlow("for (int i = out, end = out + $L * $L; i < end; i++)", rows, cols);
                b.addStatement("float u = a.get(i)");
                statement(b, "a.put(i, " + ActivationCode.apply(act, "u") + ")");
                b.endControlFlow();
            }
            return;
        }
        if (!node.hasFusedDropout()) {
            if (!batchNorm && !bias && act.isIdentity()) {
                return;
            }
            if (cols <= HEAP_BLOCK) {
                blockedEpilogue(b, node, rows, cols, bias, act);
            } else {
                rowLoop(b, rows, cols, "float u = " + value + ";\na.put(out + at + j, "
                        + ActivationCode.apply(act, "u") + ")");
            }
            return;
        }
        b.addStatement("int mask = $L", slice(Names.constant(node, "MASK"), node.out().size()));
        maskKey(b, node.dropoutName());
        b.addStatement("int element = first * $L", node.out().size());
        b.addStatement("float dropScale = training ? $Lf : 1f", (float) (1 / (1 - node.dropout())));
        b.addStatement("float dropRate = training ? $Lf : 0f", (float) node.dropout());
        rowLoop(b, rows, cols, "float u = " + value + ";\n"
                + "float keep = dropRate > 0f && Rng.uniform(maskKey, element + at + j) < dropRate ? 0f : dropScale;\n"
                + "a.put(mask + at + j, keep);\n"
                + "a.put(out + at + j, (" + ActivationCode.apply(act, "u") + ") * keep)");
    }

    /**
     * Bias (or the batch-norm affine transform) and activation over the slice, a block of whole rows at a time in
     * the worker's heap arrays: {@code v} holds the values, {@code shift} (and {@code scale}) the per-column
     * parameters.
     */
    private void blockedEpilogue(CodeBlock.Builder b, Node node, String rows, int cols, boolean bias, Op.Act act) {
        boolean batchNorm = node.op() instanceof Op.BatchNorm;
        b.addStatement("int blockRows = $T.BLOCK / $L", WORKER, cols);
        b.addStatement("float[] v = worker.block(0)");
        if (batchNorm || bias) {
            // the per-column parameters repeated for a block of rows: the loop below runs over one flat index
            b.addStatement("float[] shift = worker.block(1)");
            if (batchNorm) {
                b.addStatement("float[] scale = worker.block(2)");
            }
            b.beginControlFlow("for (int r = 0; r < blockRows; r++)");
            if (batchNorm) {
                b.addStatement("System.arraycopy($L, 0, shift, r * $L, $L)", normField(node, "Shift"), cols, cols);
                b.addStatement("System.arraycopy($L, 0, scale, r * $L, $L)", normField(node, "Scale"), cols, cols);
            } else {
                b.addStatement("p.get($L, shift, r * $L, $L)", Names.constant(node, "BIAS"), cols, cols);
            }
            b.endControlFlow();
        }
        b.beginControlFlow("for (int r = 0, total = $L; r < total; r += blockRows)", rows);
        b.addStatement("int length = Math.min(blockRows, total - r) * $L", cols);
        b.addStatement("a.get($L + r * $L, v, 0, length)", batchNorm ? "in" : "out", cols);
        if (batchNorm) {
            b.addStatement("$L(v, scale, shift, length)", loops.scaleShift(act));
        } else if (bias) {
            b.addStatement("$L(v, shift, length)", loops.bias(act));
        } else {
            b.addStatement("$L(v, length)", loops.activation(act));
        }
        b.addStatement("a.put(out + r * $L, v, 0, length)", cols);
        b.endControlFlow();
    }

    /**
     * The key of one dropout layer's masks: the pass's key salted with the layer's field name, so that a layer's
     * masks are the same whether its dropout is fused or not, and whatever the arena layout.
     */
    private static void maskKey(CodeBlock.Builder b, String dropoutField) {
        b.addStatement("long maskKey = dropoutKey + $LL", (long) dropoutField.hashCode());
    }

    private static void rowLoop(CodeBlock.Builder b, String rows, int cols, String body) {
        b.beginControlFlow("for (int r = 0, at = 0; r < $L; r++, at += $L)", rows, cols);
        b.beginControlFlow("for (int j = 0; j < $L; j++)", cols);
        for (String line : body.split("\n")) {
            statement(b, line.endsWith(";") ? line.substring(0, line.length() - 1) : line);
        }
        b.endControlFlow();
        b.endControlFlow();
    }

    /**
     * Adds a statement written as plain Java, turning the runtime classes it names ({@code Rng}, {@code Squash})
     * into type references so that the generated file imports them.
     */
    static void statement(CodeBlock.Builder b, String code) {
        List<Object> types = new ArrayList<>();
        StringBuilder format = new StringBuilder();
        Matcher m = RUNTIME_CLASS.matcher(code);
        int last = 0;
        while (m.find()) {
            format.append(code, last, m.start()).append("$T.");
            types.add(m.group(1).equals("Rng") ? RNG : SQUASH);
            last = m.end();
        }
        format.append(code.substring(last));
        b.addStatement(format.toString(), types.toArray());
    }

    // ---------------------------------------------------------------- backward

    private CodeBlock backwardBody(Node node) {
        CodeBlock.Builder b = CodeBlock.builder();
        Op op = node.op();
        List<Contribution> contributions = plan.contributions().get(node.id());
        Contribution main = contributions.get(0);
        boolean needInputGradient = !main.none();
        String weight = Names.constant(node, "WEIGHT");
        b.addStatement("int delta = $L", deltaSlice(names.gradient(node.id())));
        if (op instanceof Op.Add add) {
            addBackward(b, node, add, contributions);
            return b.build();
        }
        if (op instanceof Op.Concat) {
            concatBackward(b, node, contributions);
            return b.build();
        }
        boolean inPlace = op instanceof Op.Dropout || op instanceof Op.Flatten;
        // a convolution adds its input gradient to another reader's itself, with no pass of its own
        boolean addsIn = op instanceof Op.Conv c0 && c0.groups() == 1 && needInputGradient
                && main.accumulateInto() >= 0;
        if (needInputGradient && !inPlace && !addsIn) {
            b.addStatement("int deltaIn = $L", deltaSlice(Names.slot(main.slot())));
        }
        if (op instanceof Op.Dense d) {
            String rows = gemmRows(node);
            b.addStatement("int in = $L", slice(names.out(node.input()), node.in().size()));
            activationBackward(b, node, d.activation(), "rows * " + node.out().size());
            b.addStatement("$T.weightGradient($L, $L, $L, arena, delta, arena, in, grads, $L)", BLAS, rows,
                    d.units(), node.in().features(), weight);
            if (d.bias()) {
                b.addStatement("$T.columnSums(a, delta, $L, $L, g, $L)", REDUCTIONS, rows, d.units(),
                        Names.constant(node, "BIAS"));
            }
            if (needInputGradient) {
                b.addStatement("$T.inputGradient($L, $L, $L, arena, delta, params, $L, arena, deltaIn)", BLAS, rows,
                        d.units(), node.in().features(), weight);
            }
        } else if (op instanceof Op.Conv1d c) {
            b.addStatement("int in = $L", slice(names.out(node.input()), node.in().size()));
            activationBackward(b, node, c.activation(), "rows * " + node.out().size());
            if (c.bias()) {
                b.addStatement("$T.columnSums(a, delta, rows * $L, $L, g, $L)", REDUCTIONS, node.out().steps(),
                        c.filters(), Names.constant(node, "BIAS"));
            }
            b.addStatement("$T.backward($L, arena, in, rows, arena, delta, params, $L, grads, $L, $L, worker)",
                    CONVOLUTION_1D, geometry(node), weight, weight, needInputGradient ? "arena, deltaIn" : "null, 0");
        } else if (op instanceof Op.Upsample u && u.pool() >= 0) {
            Node pool = graph.node(u.pool());
            b.addStatement("$T.unpoolBackward(a, delta, indices, $L, rows * $L, a, deltaIn, rows * $L)", POOLING,
                    slice(Names.argmax(pool), pool.out().size()), pool.out().size(), pool.in().size());
        } else if (op instanceof Op.Upsample u) {
            b.addStatement("$T.backward(a, delta, rows, $L, $L, $L, $L, deltaIn)", UPSAMPLING, node.in().height(),
                    node.in().width(), node.in().channels(), u.scale());
        } else if (op instanceof Op.ConvTranspose t) {
            b.addStatement("int in = $L", slice(names.out(node.input()), node.in().size()));
            activationBackward(b, node, t.activation(), "rows * " + node.out().size());
            if (t.bias()) {
                b.addStatement("$T.columnSums(a, delta, rows * $L, $L, g, $L)", REDUCTIONS, node.out().spatial(),
                        t.filters(), Names.constant(node, "BIAS"));
            }
            // dW as the adjoint convolution's, with the roles of its input and gradient swapped; dx = conv(delta)
            b.addStatement("$T.backward($L, arena, delta, rows, arena, in, params, $L, grads, $L, null, 0, worker)",
                    CONVOLUTION, geometry(node), weight, weight);
            if (needInputGradient) {
                b.addStatement("$T.forward($L, arena, delta, rows, params, $L, arena, deltaIn, worker)", CONVOLUTION,
                        geometry(node), weight);
            }
        } else if (op instanceof Op.ResponseNorm lrn) {
            b.addStatement("int in = $L", slice(names.out(node.input()), node.in().size()));
            b.addStatement("int scales = $L", slice(Names.constant(node, "STATS"), node.out().size()));
            b.addStatement("$T.backward(a, delta, in, rows * $L, $L, $L, $Lf, $Lf, scales, deltaIn)",
                    RESPONSE_NORMALIZATION, node.in().spatial(), node.in().channels(), lrn.size(),
                    (float) lrn.alpha(), (float) lrn.beta());
        } else if (op instanceof Op.LayerNorm ln) {
            int rows = LayerNorms.rows(node);
            b.addStatement("int in = $L", slice(names.out(node.input()), node.in().size()));
            b.addStatement("int stats = $L", slice(Names.constant(node, "STATS"), 2 * rows));
            activationBackward(b, node, ln.activation(), "rows * " + node.out().size());
            b.addStatement("$T.backward(a, delta, in, rows * $L, $L, p, $L, stats, g, $L, $L, $L)",
                    LAYER_NORMALIZATION, rows, node.in().features(), weight, weight, Names.constant(node, "BIAS"),
                    needInputGradient ? "deltaIn" : "-1");
        } else if (op instanceof Op.Embedding e) {
            b.addStatement("int in = $L", slice(names.out(node.input()), node.in().size()));
            b.addStatement("$T.backward(a, in, rows * $L, a, delta, g, $L, $L)", EMBEDDINGS, node.in().steps(),
                    weight, e.dim());
        } else if (op instanceof Op.Conv c && c.groups() > 1) {
            b.addStatement("int in = $L", slice(names.out(node.input()), node.in().size()));
            activationBackward(b, node, c.activation(), "rows * " + node.out().size());
            if (c.bias()) {
                b.addStatement("$T.columnSums(a, delta, rows * $L, $L, g, $L)", REDUCTIONS, node.out().spatial(),
                        c.filters(), Names.constant(node, "BIAS"));
            }
            groupedBackward(b, node, c, needInputGradient);
        } else if (op instanceof Op.Conv c) {
            b.addStatement("int in = $L", slice(names.out(node.input()), node.in().size()));
            activationBackward(b, node, c.activation(), "rows * " + node.out().size());
            if (c.bias()) {
                b.addStatement("$T.columnSums(a, delta, rows * $L, $L, g, $L)", REDUCTIONS, node.out().spatial(),
                        c.filters(), Names.constant(node, "BIAS"));
            }
            String sumsGradient = "delta";
            if (node.hasFusedPool()) {
                b.add("// the gradient of the raw sums takes their place: only the window winners receive any\n");
                b.addStatement("int sums = $L", slice(Names.constant(node, "SUMS"), WideRows.sumsSize(node)));
                maxPoolBackward(b, node, node.pool().op(), node.ownOut(), "sums", "sums");
                sumsGradient = "sums";
            }
            String dx = !needInputGradient ? "null, 0"
                    : addsIn ? "arena, " + deltaSlice(Names.slot(main.accumulateInto())) + ", true" : "arena, deltaIn";
            b.addStatement("$T.backward($L, arena, in, rows, arena, $L, params, $L, grads, $L, $L, worker)",
                    CONVOLUTION, geometry(node), sumsGradient, weight, weight, dx);
        } else if (op instanceof Op.Recurrent l) {
            b.addStatement("int in = $L", slice(names.out(node.input()), node.in().size()));
            if (l.sequences()) {
                b.addStatement("int out = $L", slice(Names.constant(node, "OUT"), node.out().size()));
            }
            recurrentRegions(b, node, l);
            String dx = needInputGradient ? "deltaIn" : "-1";
            String state = switch (l.cell()) {
                case LSTM -> "cells, ";
                case GRU -> "projections, ";
                case RNN -> "";
            };
            ClassName kernel = switch (l.cell()) {
                case LSTM -> LSTM;
                case GRU -> GRU;
                case RNN -> ELMAN_RNN;
            };
            String initial = l.stateful() ? slice(Names.constant(node, "INITIAL"), l.carriedSize()) : "-1";
            b.addStatement("$T.backward($L, $Larena, in, rows, params, $L, gates, $Lhidden, $L, delta, $L, grads, "
                    + "$L, worker)", kernel, geometry(node), variant(node, l), Names.constant(node, "WEIGHT_IH"), state,
                    initial, l.sequences(), dx);
        } else if (op instanceof Op.Pool p) {
            if (p.poolKind() == PoolKind.MAX) {
                b.addStatement("int in = $L", slice(names.out(node.input()), node.in().size()));
                maxPoolBackward(b, node, p, node.in(), "in", "deltaIn");
            } else if (p.poolKind() == PoolKind.AVERAGE) {
                b.addStatement("$T.averageBackward(a, delta, rows, $L, $L, $L, $L, $L, $L, $L, a, deltaIn)", POOLING,
                        node.in().height(), node.in().width(), node.in().channels(), p.kernel(), p.stride(),
                        node.out().height(), node.out().width());
            } else {
                b.addStatement("$T.globalAverageBackward(a, delta, rows, $L, $L, a, deltaIn)", POOLING,
                        node.in().spatial(), node.in().channels());
            }
        } else if (op instanceof Op.BatchNorm bn) {
            int spatial = node.in().image() ? node.in().spatial() : 1;
            String rows = spatial == 1 ? "rows" : "rows * " + spatial;
            String total = spatial == 1 ? "n" : "n * " + spatial;
            b.addStatement("int in = $L", slice(names.out(node.input()), node.in().size()));
            if (bn.activation().function() == Activation.RELU && !node.hasFusedDropout()) {
                // ReLU's derivative is taken inside the kernel, from the input and the forward's transform
                b.addStatement("$T.backwardThroughRelu(a, delta, a, in, $L, $L, $L, p, $L, $L, $L, $L, $L, training, "
                        + "g, $L, $L, a, deltaIn, worker)", NORMALIZATION, rows, total, node.in().channels(), weight,
                        normField(node, "Mean"), normField(node, "InvStd"), normField(node, "Scale"),
                        normField(node, "Shift"), weight, Names.constant(node, "BIAS"));
            } else {
                activationBackward(b, node, bn.activation(), "rows * " + node.out().size());
                b.addStatement("$T.backward(a, delta, a, in, $L, $L, $L, p, $L, $L, $L, training, g, $L, $L, a, "
                        + "deltaIn, worker)", NORMALIZATION, rows, total, node.in().channels(), weight,
                        normField(node, "Mean"), normField(node, "InvStd"), weight, Names.constant(node, "BIAS"));
            }
        } else if (op instanceof Op.Dropout) {
            b.addStatement("int mask = $L", slice(Names.constant(node, "MASK"), node.out().size()));
            b.beginControlFlow("for (int i = 0, count = rows * $L; i < count; i++)", node.out().size());
            b.addStatement("a.put(delta + i, a.get(delta + i) * a.get(mask + i))");
            b.endControlFlow();
        }
        if (main.accumulateInto() >= 0 && !addsIn) {
            // another reader of the input already wrote its gradient: add this one in
            b.addStatement("$T.accumulate(a, $L, $L, rows * $L)", REDUCTIONS,
                    inPlace ? "delta" : "deltaIn", deltaSlice(Names.slot(main.accumulateInto())), node.in().size());
        }
        return b.build();
    }

    /** Each part of a concatenation gets its channels of the gradient back. */
    private void concatBackward(CodeBlock.Builder b, Node node, List<Contribution> contributions) {
        int positions = node.out().image() ? node.out().spatial() : 1;
        int offset = 0;
        List<Integer> parts = node.inputs();
        for (int k = 0; k < parts.size(); k++) {
            Shape shape = graph.node(parts.get(k)).out();
            Contribution c = contributions.get(k);
            if (!c.none()) {
                String target = deltaSlice(Names.slot(c.slot()));
                b.addStatement("$T.take(a, delta, rows * $L, $L, $L, $L, $L)", CONCATENATION, positions,
                        node.out().channels(), offset, shape.channels(), target);
                if (c.accumulateInto() >= 0) {
                    b.addStatement("$T.accumulate(a, $L, $L, rows * $L)", REDUCTIONS, target,
                            deltaSlice(Names.slot(c.accumulateInto())), shape.size());
                }
            }
            offset += shape.channels();
        }
    }

    /**
     * An add passes its gradient (after the activation's derivative) to every input unchanged: in place to the
     * first when it may, by copying or adding in to the others.
     */
    private void addBackward(CodeBlock.Builder b, Node node, Op.Add add, List<Contribution> contributions) {
        int mine = plan.gradient().get(node.id());
        List<String> copies = new ArrayList<>();
        for (Contribution c : contributions) {
            if (!c.none() && c.slot() != mine) {
                copies.add(deltaSlice(Names.slot(c.slot())));
            }
        }
        String count = "rows * " + node.out().size();
        boolean blocked = !add.activation().isIdentity() && !node.hasFusedDropout();
        if (blocked) {
            // the derivative and the copies to the other inputs' slots in one pass over the gradient
            activationBackwardBlocks(b, node, add.activation(), count, copies);
        } else {
            activationBackward(b, node, add.activation(), count);
            for (String copy : copies) {
                b.addStatement("$T.copy(a, delta, $L, $L)", REDUCTIONS, copy, count);
            }
        }
        for (Contribution c : contributions) {
            if (!c.none() && c.accumulateInto() >= 0) {
                b.addStatement("$T.accumulate(a, delta, $L, $L)", REDUCTIONS,
                        deltaSlice(Names.slot(c.accumulateInto())), count);
            }
        }
    }

    /**
     * {@code delta *= f'(u)} in place, a block at a time in the worker's heap arrays (where the loop compiles to
     * vector code), each block also written to the slots in {@code copies}.
     */
    private void activationBackwardBlocks(CodeBlock.Builder b, Node node, Op.Act act, String count,
                                          List<String> copies) {
        b.addStatement("int out = $L", slice(Names.constant(node, "OUT"), node.out().size()));
        for (int k = 0; k < copies.size(); k++) {
            b.addStatement("int copy$L = $L", copies.size() == 1 ? "" : k, copies.get(k));
        }
        b.addStatement("float[] ys = worker.block(0)");
        b.addStatement("float[] gs = worker.block(1)");
        b.beginControlFlow("for (int i = 0, count = $L; i < count; i += $T.BLOCK)", count, WORKER);
        b.addStatement("int length = Math.min($T.BLOCK, count - i)", WORKER);
        b.addStatement("a.get(out + i, ys, 0, length)");
        b.addStatement("a.get(delta + i, gs, 0, length)");
        b.addStatement("$L(gs, ys, length)", loops.gradient(act));
        b.addStatement("a.put(delta + i, gs, 0, length)");
        for (int k = 0; k < copies.size(); k++) {
            b.addStatement("a.put(copy$L + i, gs, 0, length)", copies.size() == 1 ? "" : k);
        }
        b.endControlFlow();
    }

    /** {@code delta *= f'(u)} in place, through a fused dropout's mask when there is one. */
    private void activationBackward(CodeBlock.Builder b, Node node, Op.Act act, String count) {
        boolean dropout = node.hasFusedDropout();
        if (act.isIdentity() && !dropout) {
            return;
        }
        if (!dropout) {
            activationBackwardBlocks(b, node, act, count, List.of());
            return;
        }
        b.addStatement("int out = $L", slice(Names.constant(node, "OUT"), node.out().size()));
        b.addStatement("int mask = $L", slice(Names.constant(node, "MASK"), node.out().size()));
        b.beginControlFlow("for (int i = 0, count = $L; i < count; i++)", count);
        b.addStatement("float keep = a.get(mask + i)");
        b.addStatement("float y = keep == 0f ? 0f : a.get(out + i) / keep");
        b.addStatement("float gy = a.get(delta + i) * keep");
        b.addStatement("a.put(delta + i, $L)", ActivationCode.backward(act, "gy", "y"));
        b.endControlFlow();
    }

    /** A batch norm's per-channel array {@code part}: Mean, InvStd, Scale or Shift. */
    static String normField(Node node, String part) {
        return Names.field(node) + part;
    }
}
