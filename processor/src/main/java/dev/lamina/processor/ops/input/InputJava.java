package dev.lamina.processor.ops.input;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.ClassParts;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.emit.java.LayerContext;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/** The input is not a layer: it has a region (the network's input) and no code. */
final class InputJava implements JavaLowering<Op.Input> {
    static final InputJava LOWERING = new InputJava();

    private InputJava() {
    }

    @Override
    public String describe(Op.Input op, Node node) {
        return "input: " + node.out();
    }

    @Override
    public void declare(Op.Input op, Node node, ClassParts parts) {
    }

    @Override
    public CodeBlock statistics(Op.Input op, Node node, LayerContext c) {
        throw new IllegalStateException("the input is not a layer: it has no pass of its own");
    }

    @Override
    public CodeBlock forward(Op.Input op, Node node, LayerContext c) {
        throw new IllegalStateException("the input is not a layer: it has no pass of its own");
    }

    @Override
    public CodeBlock backward(Op.Input op, Node node, LayerContext c) {
        throw new IllegalStateException("the input is not a layer: it has no pass of its own");
    }
}
