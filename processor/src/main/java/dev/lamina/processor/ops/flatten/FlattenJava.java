package dev.lamina.processor.ops.flatten;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.ClassParts;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.emit.java.LayerCode;
import dev.lamina.processor.emit.java.LayerContext;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/**
 * The Java lowering of a Flatten layer: nothing runs. Channels-last rows are already flat, so the layer's output is
 * its input's region, and its gradient its input's gradient.
 */
final class FlattenJava implements JavaLowering<Op.Flatten> {
    static final FlattenJava LOWERING = new FlattenJava();

    private FlattenJava() {
    }

    @Override
    public String describe(Op.Flatten op, Node node) {
        return LayerCode.describe(node, op.kind(), null);
    }

    @Override
    public void declare(Op.Flatten op, Node node, ClassParts parts) {
    }

    @Override
    public CodeBlock statistics(Op.Flatten op, Node node, LayerContext c) {
        return CodeBlock.of("");
    }

    @Override
    public CodeBlock forward(Op.Flatten op, Node node, LayerContext c) {
        return CodeBlock.of("// $L (channels-last rows are already flat: nothing moves)\n", describe(op, node));
    }

    @Override
    public CodeBlock backward(Op.Flatten op, Node node, LayerContext c) {
        return CodeBlock.of("");
    }
}
