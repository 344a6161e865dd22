package dev.lamina.processor.ops.conv;

import static dev.lamina.processor.emit.java.RuntimeTypes.CONCATENATION;
import static dev.lamina.processor.emit.java.RuntimeTypes.CONVOLUTION;
import static dev.lamina.processor.emit.java.RuntimeTypes.CONV_GEOMETRY;
import static dev.lamina.processor.emit.java.RuntimeTypes.REDUCTIONS;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.lamina.processor.emit.java.ClassParts;
import dev.lamina.processor.emit.java.Epilogues;
import dev.lamina.processor.emit.java.Epilogues.Affine;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.emit.java.LayerCode;
import dev.lamina.processor.emit.java.LayerContext;
import dev.lamina.processor.emit.java.Names;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.pool.PoolCode;
import dev.lamina.processor.plan.WideRows;
import javax.lang.model.element.Modifier;

/**
 * The Java lowering of a Conv layer: the runtime's convolution (group by group through a working region when
 * grouped), a max pool fusion folded in run on the raw sums, then the epilogue.
 */
final class ConvJava implements JavaLowering<Op.Conv> {
    static final ConvJava LOWERING = new ConvJava();

    private ConvJava() {
    }

    @Override
    public String describe(Op.Conv op, Node node) {
        return LayerCode.describe(node, op.kind(), op.activation());
    }

    @Override
    public void declare(Op.Conv c, Node node, ClassParts parts) {
        parts.region(parts.plan().grouped(), node, "GROUP", "working region: one group's input channels, "
                + "output and input gradient");
        parts.region(parts.plan().sums(), node, "SUMS", "raw convolution sums " + node.ownOut()
                + (WideRows.applies(node) ? " in rows " + WideRows.gridWidth(node) + " positions wide" : "")
                + " before the fused pool (their gradient, in the backward pass)");
        boolean wide = WideRows.applies(node);
        parts.constant(FieldSpec.builder(CONV_GEOMETRY, Names.constant(node, "GEOMETRY"), Modifier.PRIVATE,
                        Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Sizes of $L's convolution: input, kernel, stride, padding, dilation, output$L.\n",
                        node.name(), wide ? "; its rows are as wide as the padded input"
                                : c.groups() > 1 ? ", of one of its " + c.groups() + " groups" : "")
                .initializer("new $T($L, $L, $L, $L, $L, $L, $L, $L, $L, $L$L)", CONV_GEOMETRY,
                        node.in().height(), node.in().width(), node.in().channels() / c.groups(), c.kernel(),
                        c.stride(), c.padding(), c.dilation(), node.ownOut().height(), node.ownOut().width(),
                        c.filters() / c.groups(), wide ? ", true" : "")
                .build());
        if (node.hasFusedPool()) {
            PoolCode.declare(parts, node, node.pool().op(), node.ownOut(), node.pool().name());
        }
    }

    @Override
    public CodeBlock statistics(Op.Conv op, Node node, LayerContext c) {
        return CodeBlock.of("");
    }

    @Override
    public CodeBlock forward(Op.Conv conv, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareIn(b);
        c.declareOut(b);
        if (conv.groups() > 1) {
            groupedForward(b, c, conv);
        } else {
            String sums = node.hasFusedPool() ? "sums" : "out";
            if (node.hasFusedPool()) {
                b.addStatement("int sums = $L", c.slice(c.constant("SUMS"), WideRows.sumsSize(node)));
            }
            b.addStatement("$T.forward($L, $L, in, $L, $L, $L, $L, $L, $L)", CONVOLUTION, c.geometry(), c.arena(),
                    c.rows(), c.params(), c.constant("WEIGHT"), c.arena(), sums, c.worker());
            if (node.hasFusedPool()) {
                b.add("// bias and activation are non-decreasing, so they can follow the max\n");
                PoolCode.forward(b, c, node.pool().op(), "sums");
            }
        }
        Epilogues.epilogue(b, c, c.rows(node.out().spatial()), conv.filters(),
                conv.bias() ? Affine.BIAS : Affine.NONE, conv.activation());
        return b.build();
    }

    @Override
    public CodeBlock backward(Op.Conv conv, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareDelta(b);
        // a convolution adds its input gradient to another reader's itself, with no pass of its own
        boolean addsIn = conv.groups() == 1 && c.needsInputGradient() && c.main().accumulateInto() >= 0;
        if (!addsIn) {
            c.declareDeltaIn(b);
        }
        c.declareIn(b);
        Epilogues.activationBackward(b, c, conv.activation(), c.rows(node.out().size()));
        if (conv.bias()) {
            b.addStatement("$T.columnSums($L, delta, $L, $L, $L, $L)", REDUCTIONS, c.a(), c.rows(node.out().spatial()),
                    conv.filters(), c.g(), c.constant("BIAS"));
        }
        if (conv.groups() > 1) {
            groupedBackward(b, c, conv);
        } else {
            String sumsGradient = "delta";
            if (node.hasFusedPool()) {
                b.add("// the gradient of the raw sums takes their place: only the window winners receive any\n");
                b.addStatement("int sums = $L", c.slice(c.constant("SUMS"), WideRows.sumsSize(node)));
                PoolCode.backward(b, c, node.pool().op(), node.ownOut(), "sums", "sums");
                sumsGradient = "sums";
            }
            String dx = !c.needsInputGradient() ? "null, 0"
                    : addsIn ? c.arena() + ", " + c.slotSlice(c.main().accumulateInto()) + ", true"
                    : c.arena() + ", deltaIn";
            String weight = c.constant("WEIGHT");
            b.addStatement("$T.backward($L, $L, in, $L, $L, $L, $L, $L, $L, $L, $L, $L)", CONVOLUTION, c.geometry(),
                    c.arena(), c.rows(), c.arena(), sumsGradient, c.params(), weight, c.grads(), weight, dx,
                    c.worker());
        }
        if (!addsIn) {
            c.accumulateInputGradient(b, "deltaIn");
        }
        return b.build();
    }

    /** The three parts of a grouped convolution's working region, for this worker's rows. */
    private static void groupRegions(CodeBlock.Builder b, LayerContext c, Op.Conv conv) {
        Node node = c.node();
        int groupIn = node.in().spatial() * (node.in().channels() / conv.groups());
        int groupOut = node.out().spatial() * (conv.filters() / conv.groups());
        int size = 2 * groupIn + groupOut;
        b.addStatement("int groupIn = $L", c.slice(c.constant("GROUP"), size));
        b.addStatement("int groupOut = groupIn + $L", c.rows(groupIn));
        b.addStatement("int groupDx = groupOut + $L", c.rows(groupOut));
    }

    /** Group by group: its input channels made contiguous, convolved with its filters, placed among the output's. */
    private static void groupedForward(CodeBlock.Builder b, LayerContext c, Op.Conv conv) {
        Node node = c.node();
        int cin = node.in().channels() / conv.groups();
        int fg = conv.filters() / conv.groups();
        groupRegions(b, c, conv);
        b.beginControlFlow("for (int group = 0; group < $L; group++)", conv.groups());
        b.addStatement("$T.take($L, in, $L, $L, group * $L, $L, groupIn)", CONCATENATION, c.a(),
                c.rows(node.in().spatial()), node.in().channels(), cin, cin);
        b.addStatement("$T.forward($L, $L, groupIn, $L, $L, $L + group * $L, $L, groupOut, $L)", CONVOLUTION,
                c.geometry(), c.arena(), c.rows(), c.params(), c.constant("WEIGHT"),
                fg * conv.kernel() * conv.kernel() * cin, c.arena(), c.worker());
        b.addStatement("$T.place($L, groupOut, $L, $L, out, $L, group * $L)", CONCATENATION, c.a(),
                c.rows(node.out().spatial()), fg, conv.filters(), fg);
        b.endControlFlow();
    }

    /** The same, backward: each group's weight gradient, and its part of the input's gradient. */
    private static void groupedBackward(CodeBlock.Builder b, LayerContext c, Op.Conv conv) {
        Node node = c.node();
        int cin = node.in().channels() / conv.groups();
        int fg = conv.filters() / conv.groups();
        groupRegions(b, c, conv);
        String weights = c.constant("WEIGHT") + " + group * " + fg * conv.kernel() * conv.kernel() * cin;
        b.beginControlFlow("for (int group = 0; group < $L; group++)", conv.groups());
        b.addStatement("$T.take($L, in, $L, $L, group * $L, $L, groupIn)", CONCATENATION, c.a(),
                c.rows(node.in().spatial()), node.in().channels(), cin, cin);
        b.addStatement("$T.take($L, delta, $L, $L, group * $L, $L, groupOut)", CONCATENATION, c.a(),
                c.rows(node.out().spatial()), conv.filters(), fg, fg);
        b.addStatement("$T.backward($L, $L, groupIn, $L, $L, groupOut, $L, $L, $L, $L, $L, $L)", CONVOLUTION,
                c.geometry(), c.arena(), c.rows(), c.arena(), c.params(), weights, c.grads(), weights,
                c.needsInputGradient() ? c.arena() + ", groupDx" : "null, 0", c.worker());
        if (c.needsInputGradient()) {
            b.addStatement("$T.place($L, groupDx, $L, $L, deltaIn, $L, group * $L)", CONCATENATION, c.a(),
                    c.rows(node.in().spatial()), cin, node.in().channels(), cin);
        }
        b.endControlFlow();
    }
}
