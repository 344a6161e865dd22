package dev.lamina.processor.ops.add;

import static dev.lamina.processor.emit.java.RuntimeTypes.REDUCTIONS;
import static dev.lamina.processor.emit.java.RuntimeTypes.WORKER;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.ClassParts;
import dev.lamina.processor.emit.java.Epilogues;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.emit.java.LayerCode;
import dev.lamina.processor.emit.java.LayerContext;
import dev.lamina.processor.emit.java.Names;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.plan.MemoryPlan.Contribution;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The Java lowering of an Add layer (a residual sum): both operands and the activation in one pass, a block at a
 * time, applying the transform of each operand's batch norm that fusion folded into it ({@link Node#appliedBy()}).
 */
final class AddJava implements JavaLowering<Op.Add> {
    static final AddJava LOWERING = new AddJava();

    private AddJava() {
    }

    @Override
    public String describe(Op.Add op, Node node) {
        return LayerCode.describe(node, op.kind(), op.activation());
    }

    @Override
    public void declare(Op.Add op, Node node, ClassParts parts) {
    }

    @Override
    public CodeBlock statistics(Op.Add op, Node node, LayerContext c) {
        return CodeBlock.of("");
    }

    /**
     * An operand whose batch norm this add applies is read from the batch norm's input and transformed on the way,
     * always as the first operand (addition commutes, bit for bit).
     */
    @Override
    public CodeBlock forward(Op.Add add, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        List<Node> operands = new ArrayList<>(List.of(c.graph().node(node.input()),
                c.graph().node(node.others().get(0))));
        operands.sort(Comparator.comparing((Node operand) -> operand.appliedBy() != node.id()));
        List<Node> normalized = operands.stream().filter(operand -> operand.appliedBy() == node.id()).toList();
        Node first = operands.get(0);
        Node second = operands.get(1);
        b.addStatement("int in = $L", c.slice(c.out(normalized.contains(first) ? first.input() : first.id()),
                node.in().size()));
        b.addStatement("int shortcut = $L", c.slice(c.out(normalized.contains(second) ? second.input()
                : second.id()), node.in().size()));
        c.declareOut(b);
        b.addStatement("float[] v = $L.block(0)", c.worker());
        b.addStatement("float[] s = $L.block(1)", c.worker());
        if (normalized.isEmpty()) {
            b.beginControlFlow("for (int i = 0, count = $L; i < count; i += $T.BLOCK)", c.rows(node.out().size()),
                    WORKER);
            b.addStatement("int length = Math.min($T.BLOCK, count - i)", WORKER);
            b.addStatement("$L.get(in + i, v, 0, length)", c.a());
            b.addStatement("$L.get(shortcut + i, s, 0, length)", c.a());
            b.addStatement("$L(v, s, length)", c.loops().add(add.activation()));
            b.addStatement("$L.put(out + i, v, 0, length)", c.a());
            b.endControlFlow();
            return b.build();
        }
        int ch = node.out().channels();
        String rows = node.out().image() ? c.rows(node.out().spatial()) : c.rows();
        // the batch norms' per-channel transforms repeated for a block of whole rows
        b.addStatement("int blockRows = $T.BLOCK / $L", WORKER, ch);
        String[][] tiles = {{"scale", "shift"}, {"scaleS", "shiftS"}};
        for (int k = 0; k < normalized.size(); k++) {
            b.addStatement("float[] $L = $L.block($L)", tiles[k][0], c.worker(), 2 + 2 * k);
            b.addStatement("float[] $L = $L.block($L)", tiles[k][1], c.worker(), 3 + 2 * k);
        }
        b.beginControlFlow("for (int r = 0; r < blockRows; r++)");
        for (int k = 0; k < normalized.size(); k++) {
            b.addStatement("System.arraycopy($L, 0, $L, r * $L, $L)", Names.normField(normalized.get(k), "Scale"),
                    tiles[k][0], ch, ch);
            b.addStatement("System.arraycopy($L, 0, $L, r * $L, $L)", Names.normField(normalized.get(k), "Shift"),
                    tiles[k][1], ch, ch);
        }
        b.endControlFlow();
        b.beginControlFlow("for (int r = 0, total = $L; r < total; r += blockRows)", rows);
        b.addStatement("int length = Math.min(blockRows, total - r) * $L", ch);
        b.addStatement("$L.get(in + r * $L, v, 0, length)", c.a(), ch);
        b.addStatement("$L.get(shortcut + r * $L, s, 0, length)", c.a(), ch);
        if (normalized.size() == 1) {
            b.addStatement("$L(v, scale, shift, s, length)", c.loops().scaleShiftAdd(add.activation()));
        } else {
            b.addStatement("$L(v, scale, shift, s, scaleS, shiftS, length)",
                    c.loops().scaleShiftAddScaleShift(add.activation()));
        }
        b.addStatement("$L.put(out + r * $L, v, 0, length)", c.a(), ch);
        b.endControlFlow();
        return b.build();
    }

    /**
     * An add passes its gradient (after the activation's derivative) to every input unchanged: in place to the
     * first when it may, by copying or adding in to the others.
     */
    @Override
    public CodeBlock backward(Op.Add add, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareDelta(b);
        List<Contribution> contributions = c.contributions();
        int mine = c.step().gradientSlot();
        List<String> copies = new ArrayList<>();
        for (Contribution part : contributions) {
            if (!part.none() && part.slot() != mine) {
                copies.add(c.slotSlice(part.slot()));
            }
        }
        String count = "rows * " + node.out().size();
        boolean accumulates = contributions.stream().anyMatch(part -> !part.none() && part.accumulateInto() >= 0);
        if (!add.activation().isIdentity() || node.hasFusedDropout() || !copies.isEmpty() || accumulates) {
            c.rows(); // the count is written below
        }
        boolean blocked = !add.activation().isIdentity() && !node.hasFusedDropout();
        if (blocked) {
            // the derivative and the copies to the other inputs' slots in one pass over the gradient
            Epilogues.activationBackwardBlocks(b, c, add.activation(), count, copies);
        } else {
            Epilogues.activationBackward(b, c, add.activation(), count);
            for (String copy : copies) {
                b.addStatement("$T.copy($L, delta, $L, $L)", REDUCTIONS, c.a(), copy, count);
            }
        }
        for (Contribution part : contributions) {
            if (!part.none() && part.accumulateInto() >= 0) {
                b.addStatement("$T.accumulate($L, delta, $L, $L)", REDUCTIONS, c.a(),
                        c.slotSlice(part.accumulateInto()), count);
            }
        }
        return b.build();
    }
}
