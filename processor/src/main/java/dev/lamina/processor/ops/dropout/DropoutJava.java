package dev.lamina.processor.ops.dropout;

import static dev.lamina.processor.emit.java.RuntimeTypes.RNG;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.ClassParts;
import dev.lamina.processor.emit.java.Epilogues;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.emit.java.LayerCode;
import dev.lamina.processor.emit.java.LayerContext;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/**
 * The Java lowering of a Dropout layer that fusion left on its own: the mask drawn and applied in training (kept
 * for the backward pass), a mask of ones in inference.
 */
final class DropoutJava implements JavaLowering<Op.Dropout> {
    static final DropoutJava LOWERING = new DropoutJava();

    private DropoutJava() {
    }

    @Override
    public String describe(Op.Dropout op, Node node) {
        return LayerCode.describe(node, op.kind(), null);
    }

    @Override
    public void declare(Op.Dropout op, Node node, ClassParts parts) {
    }

    @Override
    public CodeBlock statistics(Op.Dropout op, Node node, LayerContext c) {
        return CodeBlock.of("");
    }

    @Override
    public CodeBlock forward(Op.Dropout drop, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareIn(b);
        c.declareOut(b);
        b.addStatement("int mask = $L", c.slice(c.constant("MASK"), node.out().size()));
        Epilogues.maskKey(b, c, node.name());
        b.addStatement("int element = $L * $L", c.first(), node.out().size());
        // training draws the mask; inference keeps every value (a mask of ones, for a backward pass after it)
        b.beginControlFlow("if ($L)", c.training());
        b.beginControlFlow("for (int i = 0, count = $L; i < count; i++)", c.rows(node.out().size()));
        b.addStatement("float keep = $T.uniform(maskKey, element + i) < $Lf ? 0f : $Lf", RNG,
                (float) drop.rate(), (float) (1 / (1 - drop.rate())));
        b.addStatement("$L.put(mask + i, keep)", c.a());
        b.addStatement("$L.put(out + i, $L.get(in + i) * keep)", c.a(), c.a());
        b.endControlFlow();
        b.nextControlFlow("else");
        b.beginControlFlow("for (int i = 0, count = $L; i < count; i++)", c.rows(node.out().size()));
        b.addStatement("$L.put(mask + i, 1f)", c.a());
        b.addStatement("$L.put(out + i, $L.get(in + i))", c.a(), c.a());
        b.endControlFlow();
        b.endControlFlow();
        return b.build();
    }

    /** The gradient through the mask, in place. */
    @Override
    public CodeBlock backward(Op.Dropout op, Node node, LayerContext c) {
        CodeBlock.Builder b = CodeBlock.builder();
        c.declareDelta(b);
        b.addStatement("int mask = $L", c.slice(c.constant("MASK"), node.out().size()));
        b.beginControlFlow("for (int i = 0, count = $L; i < count; i++)", c.rows(node.out().size()));
        b.addStatement("$L.put(delta + i, $L.get(delta + i) * $L.get(mask + i))", c.a(), c.a(), c.a());
        b.endControlFlow();
        c.accumulateInputGradient(b, "delta");
        return b.build();
    }
}
