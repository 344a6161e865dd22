package dev.lamina.processor.ops.concat;

import static dev.lamina.processor.emit.java.RuntimeTypes.CONCATENATION;
import static dev.lamina.processor.emit.java.RuntimeTypes.REDUCTIONS;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.ClassParts;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.emit.java.LayerCode;
import dev.lamina.processor.emit.java.LayerContext;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.graph.Shape;
import dev.lamina.processor.plan.MemoryPlan.Contribution;
import java.util.List;

/** The Java lowering of a Concat layer: each part's channels placed among the output's, and taken back. */
final class ConcatJava implements JavaLowering<Op.Concat> {
    static final ConcatJava LOWERING = new ConcatJava();

    private ConcatJava() {
    }

    @Override
    public String describe(Op.Concat op, Node node) {
        return LayerCode.describe(node, op.kind(), null);
    }

    @Override
    public void declare(Op.Concat op, Node node, ClassParts parts) {
    }

    @Override
    public CodeBlock statistics(Op.Concat op, Node node, LayerContext c) {
        return CodeBlock.of("");
    }

    @Override
    public CodeBlock forward(Op.Concat op, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareIn(b);
        c.declareOut(b);
        int positions = node.out().image() ? node.out().spatial() : 1;
        int offset = 0;
        for (int part : node.inputs()) {
            Shape shape = c.graph().node(part).out();
            b.addStatement("$T.place($L, $L, $L, $L, out, $L, $L)", CONCATENATION, c.a(),
                    c.slice(c.out(part), shape.size()), c.rows(positions), shape.channels(), node.out().channels(),
                    offset);
            offset += shape.channels();
        }
        return b.build();
    }

    /** Each part of a concatenation gets its channels of the gradient back. */
    @Override
    public CodeBlock backward(Op.Concat op, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareDelta(b);
        int positions = node.out().image() ? node.out().spatial() : 1;
        int offset = 0;
        List<Integer> parts = node.inputs();
        List<Contribution> contributions = c.contributions();
        for (int k = 0; k < parts.size(); k++) {
            Shape shape = c.graph().node(parts.get(k)).out();
            Contribution part = contributions.get(k);
            if (!part.none()) {
                String target = c.slotSlice(part.slot());
                b.addStatement("$T.take($L, delta, $L, $L, $L, $L, $L)", CONCATENATION, c.a(), c.rows(positions),
                        node.out().channels(), offset, shape.channels(), target);
                if (part.accumulateInto() >= 0) {
                    b.addStatement("$T.accumulate($L, $L, $L, $L)", REDUCTIONS, c.a(), target,
                            c.slotSlice(part.accumulateInto()), c.rows(shape.size()));
                }
            }
            offset += shape.channels();
        }
        return b.build();
    }
}
