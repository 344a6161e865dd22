package dev.lamina.processor.emit.java;

import static dev.lamina.processor.emit.java.RuntimeTypes.RNG;
import static dev.lamina.processor.emit.java.RuntimeTypes.WORKER;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import java.util.List;

/**
 * The element-wise passes shared by the layer kinds: the epilogue after a GEMM or a normalisation (bias or the
 * batch-norm transform, activation, and a fused dropout, in one loop), and the activation's derivative in the
 * backward pass.
 */
public final class Epilogues {
    private Epilogues() {
    }

    /** What the epilogue adds before the activation. */
    public enum Affine {
        /** Nothing: the activation alone. */
        NONE,
        /** The layer's bias, one per column. */
        BIAS,
        /**
         * A batch norm's folded transform {@code scale x + shift} of its input (the arrays {@code <field>Scale}
         * and {@code <field>Shift}).
         */
        NORM
    }

    /**
     * The pass after a GEMM or a normalisation over {@code rows} rows of {@code cols}: the affine part, the
     * activation and a fused dropout, in one loop; or, for {@code fuse = false}, one loop per operation.
     */
    public static void epilogue(CodeBlock.Builder b, LayerContext c, String rows, int cols, Affine affine,
                                Op.Act act) {
        Node node = c.node();
        if (!c.graph().fuse()) {
            if (affine != Affine.NONE) {
                rowLoop(b, c, rows, cols, CodeBlock.of("$L.put(out + at + j, $L)", c.a(), value(c, affine)));
            }
            if (!act.isIdentity()) {
                b.beginControlFlow("for (int i = out, end = out + $L * $L; i < end; i++)", rows, cols);
                b.addStatement("float u = $L.get(i)", c.a());
                b.addStatement("$L.put(i, $L)", c.a(), ActivationCode.apply(act, "u"));
                b.endControlFlow();
            }
            return;
        }
        if (!node.hasFusedDropout()) {
            if (affine == Affine.NONE && act.isIdentity()) {
                return;
            }
            if (cols <= LayerCode.HEAP_BLOCK) {
                blockedEpilogue(b, c, rows, cols, affine, act);
            } else {
                rowLoop(b, c, rows, cols, CodeBlock.of("float u = $L", value(c, affine)),
                        CodeBlock.of("$L.put(out + at + j, $L)", c.a(), ActivationCode.apply(act, "u")));
            }
            return;
        }
        b.addStatement("int mask = $L", c.slice(c.constant("MASK"), node.out().size()));
        maskKey(b, c, node.dropoutName());
        b.addStatement("int element = $L * $L", c.first(), node.out().size());
        b.addStatement("float dropScale = $L ? $Lf : 1f", c.training(), (float) (1 / (1 - node.dropout())));
        b.addStatement("float dropRate = $L ? $Lf : 0f", c.training(), (float) node.dropout());
        rowLoop(b, c, rows, cols, CodeBlock.of("float u = $L", value(c, affine)),
                CodeBlock.of("float keep = dropRate > 0f && $T.uniform(maskKey, element + at + j) < dropRate ? 0f "
                        + ": dropScale", RNG),
                CodeBlock.of("$L.put(mask + at + j, keep)", c.a()),
                CodeBlock.of("$L.put(out + at + j, ($L) * keep)", c.a(), ActivationCode.apply(act, "u")));
    }

    /** The value before the activation, at column {@code j} of the row at {@code at}. */
    private static CodeBlock value(LayerContext c, Affine affine) {
        Node node = c.node();
        return switch (affine) {
            case NORM -> CodeBlock.of("$L[j] * $L.get(in + at + j) + $L[j]", Names.normField(node, "Scale"), c.a(),
                    Names.normField(node, "Shift"));
            case BIAS -> CodeBlock.of("$L.get(out + at + j) + $L.get($L + j)", c.a(), c.p(), c.constant("BIAS"));
            case NONE -> CodeBlock.of("$L.get(out + at + j)", c.a());
        };
    }

    /**
     * The affine part and the activation over the slice, a block of whole rows at a time in the worker's heap
     * arrays: {@code v} holds the values, {@code shift} (and {@code scale}) the per-column parameters.
     */
    private static void blockedEpilogue(CodeBlock.Builder b, LayerContext c, String rows, int cols, Affine affine,
                                        Op.Act act) {
        Node node = c.node();
        b.addStatement("int blockRows = $T.BLOCK / $L", WORKER, cols);
        b.addStatement("float[] v = $L.block(0)", c.worker());
        if (affine != Affine.NONE) {
            // the per-column parameters repeated for a block of rows: the loop below runs over one flat index
            b.addStatement("float[] shift = $L.block(1)", c.worker());
            if (affine == Affine.NORM) {
                b.addStatement("float[] scale = $L.block(2)", c.worker());
            }
            b.beginControlFlow("for (int r = 0; r < blockRows; r++)");
            if (affine == Affine.NORM) {
                b.addStatement("System.arraycopy($L, 0, shift, r * $L, $L)", Names.normField(node, "Shift"), cols,
                        cols);
                b.addStatement("System.arraycopy($L, 0, scale, r * $L, $L)", Names.normField(node, "Scale"), cols,
                        cols);
            } else {
                b.addStatement("$L.get($L, shift, r * $L, $L)", c.p(), c.constant("BIAS"), cols, cols);
            }
            b.endControlFlow();
        }
        b.beginControlFlow("for (int r = 0, total = $L; r < total; r += blockRows)", rows);
        b.addStatement("int length = Math.min(blockRows, total - r) * $L", cols);
        b.addStatement("$L.get($L + r * $L, v, 0, length)", c.a(), affine == Affine.NORM ? "in" : "out", cols);
        switch (affine) {
            case NORM -> b.addStatement("$L(v, scale, shift, length)", c.loops().scaleShift(act));
            case BIAS -> b.addStatement("$L(v, shift, length)", c.loops().bias(act));
            case NONE -> b.addStatement("$L(v, length)", c.loops().activation(act));
        }
        b.addStatement("$L.put(out + r * $L, v, 0, length)", c.a(), cols);
        b.endControlFlow();
    }

    /** {@code out = f(out)} over {@code count} floats, a block at a time in the worker's heap array. */
    public static void blockedActivation(CodeBlock.Builder b, LayerContext c, Op.Act act, String count) {
        b.addStatement("float[] v = $L.block(0)", c.worker());
        b.beginControlFlow("for (int i = 0, count = $L; i < count; i += $T.BLOCK)", count, WORKER);
        b.addStatement("int length = Math.min($T.BLOCK, count - i)", WORKER);
        b.addStatement("$L.get(out + i, v, 0, length)", c.a());
        b.addStatement("$L(v, length)", c.loops().activation(act));
        b.addStatement("$L.put(out + i, v, 0, length)", c.a());
        b.endControlFlow();
    }

    /**
     * The key of one dropout layer's masks: the pass's key salted with the layer's field name, so that a layer's
     * masks are the same whether its dropout is fused or not, and whatever the arena layout.
     */
    public static void maskKey(CodeBlock.Builder b, LayerContext c, String dropoutField) {
        b.addStatement("long maskKey = $L + $LL", c.dropoutKey(), (long) dropoutField.hashCode());
    }

    private static void rowLoop(CodeBlock.Builder b, LayerContext c, String rows, int cols, CodeBlock... body) {
        b.beginControlFlow("for (int r = 0, at = 0; r < $L; r++, at += $L)", rows, cols);
        b.beginControlFlow("for (int j = 0; j < $L; j++)", cols);
        for (CodeBlock statement : body) {
            b.addStatement("$L", statement);
        }
        b.endControlFlow();
        b.endControlFlow();
    }

    // ---------------------------------------------------------------- backward

    /** {@code delta *= f'(u)} in place, through a fused dropout's mask when there is one. */
    public static void activationBackward(CodeBlock.Builder b, LayerContext c, Op.Act act, String count) {
        Node node = c.node();
        boolean dropout = node.hasFusedDropout();
        if (act.isIdentity() && !dropout) {
            return;
        }
        if (!dropout) {
            activationBackwardBlocks(b, c, act, count, List.of());
            return;
        }
        c.declareOut(b);
        b.addStatement("int mask = $L", c.slice(c.constant("MASK"), node.out().size()));
        b.beginControlFlow("for (int i = 0, count = $L; i < count; i++)", count);
        b.addStatement("float keep = $L.get(mask + i)", c.a());
        b.addStatement("float y = keep == 0f ? 0f : $L.get(out + i) / keep", c.a());
        b.addStatement("float gy = $L.get(delta + i) * keep", c.a());
        b.addStatement("$L.put(delta + i, $L)", c.a(), ActivationCode.backward(act, "gy", "y"));
        b.endControlFlow();
    }

    /**
     * {@code delta *= f'(u)} in place, a block at a time in the worker's heap arrays (where the loop compiles to
     * vector code), each block also written to the slots in {@code copies}.
     */
    public static void activationBackwardBlocks(CodeBlock.Builder b, LayerContext c, Op.Act act, String count,
                                                List<String> copies) {
        c.declareOut(b);
        for (int k = 0; k < copies.size(); k++) {
            b.addStatement("int copy$L = $L", copies.size() == 1 ? "" : k, copies.get(k));
        }
        b.addStatement("float[] ys = $L.block(0)", c.worker());
        b.addStatement("float[] gs = $L.block(1)", c.worker());
        b.beginControlFlow("for (int i = 0, count = $L; i < count; i += $T.BLOCK)", count, WORKER);
        b.addStatement("int length = Math.min($T.BLOCK, count - i)", WORKER);
        b.addStatement("$L.get(out + i, ys, 0, length)", c.a());
        b.addStatement("$L.get(delta + i, gs, 0, length)", c.a());
        b.addStatement("$L(gs, ys, length)", c.loops().gradient(act));
        b.addStatement("$L.put(delta + i, gs, 0, length)", c.a());
        for (int k = 0; k < copies.size(); k++) {
            b.addStatement("$L.put(copy$L + i, gs, 0, length)", c.a(), copies.size() == 1 ? "" : k);
        }
        b.endControlFlow();
    }
}
