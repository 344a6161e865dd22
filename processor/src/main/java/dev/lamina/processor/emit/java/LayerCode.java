package dev.lamina.processor.emit.java;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.lamina.dsl.PoolKind;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.plan.MemoryPlan;
import dev.lamina.processor.plan.MemoryPlanner;

/**
 * The forward and backward code of each layer. GEMMs and the generic kernels (im2col, pooling, batch-norm
 * statistics) are calls into the runtime; everything pointwise after them (bias, activation, dropout) is written
 * out here as one loop, specialised to the layer's sizes.
 */
final class LayerCode {
    static final ClassName BLAS = ClassName.get("dev.lamina.runtime", "Blas");
    static final ClassName IM2COL = ClassName.get("dev.lamina.runtime.kernels", "Im2col");
    static final ClassName POOLING = ClassName.get("dev.lamina.runtime.kernels", "Pooling");
    static final ClassName NORMALIZATION = ClassName.get("dev.lamina.runtime.kernels", "Normalization");
    static final ClassName REDUCTIONS = ClassName.get("dev.lamina.runtime.kernels", "Reductions");
    static final ClassName RNG = ClassName.get("dev.lamina.runtime", "Rng");

    private final Graph graph;
    private final MemoryPlan plan;
    private final Names names;

    LayerCode(Graph graph, MemoryPlan plan, Names names) {
        this.graph = graph;
        this.plan = plan;
        this.names = names;
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
        }
        String drop = node.hasFusedDropout() ? ", dropout " + node.dropout() + " ('" + node.dropoutName() + "')" : "";
        String kind = node.op() instanceof Op.Pool p ? p.poolKind() + " pool" : node.op().kind();
        return node.name() + ": " + kind + " " + node.in() + " -> " + node.out() + act + drop;
    }

    // ---------------------------------------------------------------- forward

    CodeBlock forward(Node node) {
        if (node.op() instanceof Op.Flatten) {
            return CodeBlock.of("// $L (channels-last rows are already flat: nothing moves)\n", describe(node));
        }
        return scoped(node, forwardBody(node));
    }

    CodeBlock backward(Node node) {
        if (node.op() instanceof Op.Flatten) {
            return CodeBlock.of("");
        }
        return scoped(node, backwardBody(node));
    }

    /** The layer's comment, then its code in a block of its own so that each layer's locals stay local. */
    private static CodeBlock scoped(Node node, CodeBlock body) {
        return CodeBlock.builder().add("// $L\n", describe(node)).add("{\n$>").add(body).add("$<}\n").build();
    }

    private CodeBlock forwardBody(Node node) {
        CodeBlock.Builder b = CodeBlock.builder();
        Op op = node.op();
        String in = names.out(node.input()) + " * n";
        String out = Names.constant(node, "OUT");
        if (op instanceof Op.Dense d) {
            b.addStatement("$T.forward(n, $L, $L, arena, $L, params, $L, arena, $L * n)", BLAS, d.units(),
                    node.in().size(), in, Names.constant(node, "WEIGHT"), out);
            epilogue(b, node, "n", d.units(), d.bias(), d.activation());
        } else if (op instanceof Op.Conv c) {
            int k = c.kernel();
            int cin = node.in().channels();
            String rows = "n * " + node.out().spatial();
            String columns = in;
            if (MemoryPlanner.needsColumns(node)) {
                columns = Names.constant(node, "COLUMNS") + " * n";
                b.addStatement("$T.unfold(a, $L, n, $L, $L, $L, $L, $L, $L, $L, $L, $L, a, $L)", IM2COL, in,
                        node.in().height(), node.in().width(), cin, k, c.stride(), c.padding(), c.dilation(),
                        node.out().height(), node.out().width(), columns);
            }
            b.addStatement("$T.forward($L, $L, $L, arena, $L, params, $L, arena, $L * n)", BLAS, rows, c.filters(),
                    k * k * cin, columns, Names.constant(node, "WEIGHT"), out);
            epilogue(b, node, rows, c.filters(), c.bias(), c.activation());
        } else if (op instanceof Op.Pool p) {
            Node i = node;
            if (p.poolKind() == PoolKind.MAX) {
                b.addStatement("$T.maxForward(a, $L, n, $L, $L, $L, $L, $L, $L, $L, a, $L * n, indices, $L * n)",
                        POOLING, in, i.in().height(), i.in().width(), i.in().channels(), p.kernel(), p.stride(),
                        i.out().height(), i.out().width(), out, Names.constant(node, "ARGMAX"));
            } else if (p.poolKind() == PoolKind.AVERAGE) {
                b.addStatement("$T.averageForward(a, $L, n, $L, $L, $L, $L, $L, $L, $L, a, $L * n)", POOLING, in,
                        i.in().height(), i.in().width(), i.in().channels(), p.kernel(), p.stride(),
                        i.out().height(), i.out().width(), out);
            } else {
                b.addStatement("$T.globalAverageForward(a, $L, n, $L, $L, a, $L * n)", POOLING, in,
                        i.in().spatial(), i.in().channels(), out);
            }
        } else if (op instanceof Op.BatchNorm bn) {
            int ch = node.in().channels();
            String rows = node.in().image() ? "n * " + node.in().spatial() : "n";
            String xhat = Names.constant(node, "NORMALIZED") + " * n";
            b.beginControlFlow("if (training)");
            b.addStatement("$T.normalizeTraining(a, $L, $L, $L, $Lf, $Lf, a, $L, $L, stats, $L, $L)", NORMALIZATION,
                    in, rows, ch, (float) bn.epsilon(), (float) bn.momentum(), xhat, invStdField(node),
                    Names.constant(node, "RUNNING_MEAN"), Names.constant(node, "RUNNING_VAR"));
            b.nextControlFlow("else");
            b.addStatement("$T.normalizeInference(a, $L, $L, $L, $Lf, a, $L, stats, $L, $L)", NORMALIZATION, in, rows,
                    ch, (float) bn.epsilon(), xhat, Names.constant(node, "RUNNING_MEAN"),
                    Names.constant(node, "RUNNING_VAR"));
            b.endControlFlow();
            epilogue(b, node, rows, ch, true, bn.activation());
        } else if (op instanceof Op.Dropout drop) {
            String mask = Names.constant(node, "MASK") + " * n";
            b.beginControlFlow("for (int i = 0, count = n * $L; i < count; i++)", node.out().size());
            b.addStatement("float keep = training ? (rng.nextFloat() < $Lf ? 0f : $Lf) : 1f", (float) drop.rate(),
                    (float) (1 / (1 - drop.rate())));
            b.addStatement("a.put($L + i, keep)", mask);
            b.addStatement("a.put($L * n + i, a.get($L + i) * keep)", out, in);
            b.endControlFlow();
        }
        return b.build();
    }

    /**
     * The pass after a GEMM or a normalisation: bias (or the batch-norm affine transform), activation, and a
     * fused dropout, in one loop; or, for {@code fuse = false}, one loop per operation.
     */
    private void epilogue(CodeBlock.Builder b, Node node, String rows, int cols, boolean bias, Op.Act act) {
        boolean batchNorm = node.op() instanceof Op.BatchNorm;
        String out = Names.constant(node, "OUT") + " * n";
        String value;
        if (batchNorm) {
            value = "p.get(" + Names.constant(node, "WEIGHT") + " + j) * a.get(" + Names.constant(node, "NORMALIZED")
                    + " * n + at + j) + p.get(" + Names.constant(node, "BIAS") + " + j)";
        } else {
            value = bias ? "a.get(o + at + j) + p.get(" + Names.constant(node, "BIAS") + " + j)" : "a.get(o + at + j)";
        }
        if (!graph.fuse()) {
            if (batchNorm || bias) {
                rowLoop(b, out, rows, cols, "a.put(o + at + j, " + value + ")");
            }
            if (!act.isIdentity()) {
                b.beginControlFlow("for (int i = $L, end = i + $L * $L; i < end; i++)", out, rows, cols);
                b.addStatement("float u = a.get(i)");
                b.addStatement("a.put(i, $L)", ActivationCode.apply(act, "u"));
                b.endControlFlow();
            }
            return;
        }
        if (!node.hasFusedDropout()) {
            if (!batchNorm && !bias && act.isIdentity()) {
                return;
            }
            rowLoop(b, out, rows, cols, "float u = " + value + ";\na.put(o + at + j, " + ActivationCode.apply(act, "u")
                    + ")");
            return;
        }
        String mask = Names.constant(node, "MASK") + " * n";
        b.addStatement("int m = $L", mask);
        b.addStatement("float dropScale = training ? $Lf : 1f", (float) (1 / (1 - node.dropout())));
        b.addStatement("float dropRate = training ? $Lf : 0f", (float) node.dropout());
        rowLoop(b, out, rows, cols, "float u = " + value + ";\n"
                + "float keep = dropRate > 0f && rng.nextFloat() < dropRate ? 0f : dropScale;\n"
                + "a.put(m + at + j, keep);\n"
                + "a.put(o + at + j, (" + ActivationCode.apply(act, "u") + ") * keep)");
    }

    private static void rowLoop(CodeBlock.Builder b, String out, String rows, int cols, String body) {
        b.addStatement("int o = $L", out);
        b.beginControlFlow("for (int r = 0, at = 0; r < $L; r++, at += $L)", rows, cols);
        b.beginControlFlow("for (int j = 0; j < $L; j++)", cols);
        for (String line : body.split("\n")) {
            b.addStatement(line.endsWith(";") ? line.substring(0, line.length() - 1) : line);
        }
        b.endControlFlow();
        b.endControlFlow();
    }

    // ---------------------------------------------------------------- backward

    private CodeBlock backwardBody(Node node) {
        CodeBlock.Builder b = CodeBlock.builder();
        Op op = node.op();
        String delta = names.gradient(node.id()) + " * n";
        String deltaIn = names.gradient(node.input()) + " * n";
        String in = names.out(node.input()) + " * n";
        boolean needInputGradient = node.input() != 0;
        if (op instanceof Op.Dense d) {
            activationBackward(b, node, d.activation(), "n * " + d.units());
            b.addStatement("$T.weightGradient(n, $L, $L, arena, $L, arena, $L, grads, $L)", BLAS, d.units(),
                    node.in().size(), delta, in, Names.constant(node, "WEIGHT"));
            if (d.bias()) {
                b.addStatement("$T.columnSums(a, $L, n, $L, g, $L)", REDUCTIONS, delta, d.units(),
                        Names.constant(node, "BIAS"));
            }
            if (needInputGradient) {
                b.addStatement("$T.inputGradient(n, $L, $L, arena, $L, params, $L, arena, $L)", BLAS, d.units(),
                        node.in().size(), delta, Names.constant(node, "WEIGHT"), deltaIn);
            }
        } else if (op instanceof Op.Conv c) {
            int k = c.kernel();
            int cin = node.in().channels();
            int kkc = k * k * cin;
            String rows = "n * " + node.out().spatial();
            boolean unfolded = MemoryPlanner.needsColumns(node);
            String columns = unfolded ? Names.constant(node, "COLUMNS") + " * n" : in;
            activationBackward(b, node, c.activation(), rows + " * " + c.filters());
            b.addStatement("$T.weightGradient($L, $L, $L, arena, $L, arena, $L, grads, $L)", BLAS, rows, c.filters(),
                    kkc, delta, columns, Names.constant(node, "WEIGHT"));
            if (c.bias()) {
                b.addStatement("$T.columnSums(a, $L, $L, $L, g, $L)", REDUCTIONS, delta, rows, c.filters(),
                        Names.constant(node, "BIAS"));
            }
            if (needInputGradient && unfolded) {
                b.addStatement("$T.inputGradient($L, $L, $L, arena, $L, params, $L, arena, SCRATCH * n)", BLAS, rows,
                        c.filters(), kkc, delta, Names.constant(node, "WEIGHT"));
                b.addStatement("$T.fold(a, SCRATCH * n, n, $L, $L, $L, $L, $L, $L, $L, $L, $L, a, $L)", IM2COL,
                        node.in().height(), node.in().width(), cin, k, c.stride(), c.padding(), c.dilation(),
                        node.out().height(), node.out().width(), deltaIn);
            } else if (needInputGradient) {
                b.addStatement("$T.inputGradient($L, $L, $L, arena, $L, params, $L, arena, $L)", BLAS, rows,
                        c.filters(), kkc, delta, Names.constant(node, "WEIGHT"), deltaIn);
            }
        } else if (op instanceof Op.Pool p) {
            if (p.poolKind() == PoolKind.MAX) {
                b.addStatement("$T.maxBackward(a, $L, n * $L, indices, $L * n, a, $L, n * $L)", POOLING, delta,
                        node.out().size(), Names.constant(node, "ARGMAX"), deltaIn, node.in().size());
            } else if (p.poolKind() == PoolKind.AVERAGE) {
                b.addStatement("$T.averageBackward(a, $L, n, $L, $L, $L, $L, $L, $L, $L, a, $L)", POOLING, delta,
                        node.in().height(), node.in().width(), node.in().channels(), p.kernel(), p.stride(),
                        node.out().height(), node.out().width(), deltaIn);
            } else {
                b.addStatement("$T.globalAverageBackward(a, $L, n, $L, $L, a, $L)", POOLING, delta,
                        node.in().spatial(), node.in().channels(), deltaIn);
            }
        } else if (op instanceof Op.BatchNorm bn) {
            String rows = node.in().image() ? "n * " + node.in().spatial() : "n";
            activationBackward(b, node, bn.activation(), rows + " * " + node.in().channels());
            b.addStatement("$T.backward(a, $L, a, $L * n, $L, $L, p, $L, $L, g, $L, $L, a, $L)", NORMALIZATION, delta,
                    Names.constant(node, "NORMALIZED"), rows, node.in().channels(), Names.constant(node, "WEIGHT"),
                    invStdField(node), Names.constant(node, "WEIGHT"), Names.constant(node, "BIAS"), deltaIn);
        } else if (op instanceof Op.Dropout) {
            String mask = Names.constant(node, "MASK") + " * n";
            b.beginControlFlow("for (int i = 0, d = $L, m = $L, count = n * $L; i < count; i++)", delta, mask,
                    node.out().size());
            b.addStatement("a.put(d + i, a.get(d + i) * a.get(m + i))");
            b.endControlFlow();
        }
        return b.build();
    }

    /** {@code delta *= f'(u)} in place, through a fused dropout's mask when there is one. */
    private void activationBackward(CodeBlock.Builder b, Node node, Op.Act act, String count) {
        String delta = names.gradient(node.id()) + " * n";
        String out = Names.constant(node, "OUT") + " * n";
        if (!node.hasFusedDropout()) {
            if (act.isIdentity()) {
                return;
            }
            b.beginControlFlow("for (int i = 0, d = $L, o = $L, count = $L; i < count; i++)", delta, out, count);
            b.addStatement("float y = a.get(o + i)");
            b.addStatement("float gy = a.get(d + i)");
            b.addStatement("a.put(d + i, $L)", ActivationCode.backward(act, "gy", "y"));
            b.endControlFlow();
            return;
        }
        String mask = Names.constant(node, "MASK") + " * n";
        b.beginControlFlow("for (int i = 0, d = $L, o = $L, m = $L, count = $L; i < count; i++)", delta, out, mask,
                count);
        b.addStatement("float keep = a.get(m + i)");
        b.addStatement("float y = keep == 0f ? 0f : a.get(o + i) / keep");
        b.addStatement("float gy = a.get(d + i) * keep");
        b.addStatement("a.put(d + i, $L)", ActivationCode.backward(act, "gy", "y"));
        b.endControlFlow();
    }

    static String invStdField(Node node) {
        return node.name() + "InvStd";
    }
}
