package dev.lamina.processor.ops.reshape;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.ClassParts;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.emit.java.LayerCode;
import dev.lamina.processor.emit.java.LayerContext;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/**
 * The Java lowering of a Reshape layer: nothing runs. The values keep their storage order, so the layer's output is
 * its input's region and its gradient its input's gradient.
 */
final class ReshapeJava implements JavaLowering<Op.Reshape> {
    static final ReshapeJava LOWERING = new ReshapeJava();

    private ReshapeJava() {
    }

    @Override
    public String describe(Op.Reshape op, Node node) {
        return LayerCode.describe(node, op.kind(), null);
    }

    @Override
    public void declare(Op.Reshape op, Node node, ClassParts parts) {
    }

    @Override
    public CodeBlock statistics(Op.Reshape op, Node node, LayerContext c) {
        return CodeBlock.of("");
    }

    @Override
    public CodeBlock forward(Op.Reshape op, Node node, LayerContext c) {
        return CodeBlock.of("// $L (a view: the values keep their order, nothing moves)\n", describe(op, node));
    }

    @Override
    public CodeBlock backward(Op.Reshape op, Node node, LayerContext c) {
        return CodeBlock.of("");
    }
}
