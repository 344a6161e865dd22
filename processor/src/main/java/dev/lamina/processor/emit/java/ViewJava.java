package dev.lamina.processor.emit.java;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/**
 * The Java lowering of a view (a flatten, a reshape): nothing runs. Its output is its input's region and its
 * gradient its input's gradient (the schedule resolves both), so its code is a comment saying why.
 *
 * @param <T> the view's IR record
 */
public final class ViewJava<T extends Op> implements JavaLowering<T> {
    private final String why;

    /** @param why the comment's reason, e.g. "channels-last rows are already flat: nothing moves" */
    public ViewJava(String why) {
        this.why = why;
    }

    @Override
    public String describe(T op, Node node) {
        return LayerCode.describe(node, op.kind(), null);
    }

    @Override
    public void declare(T op, Node node, ClassParts parts) {
    }

    @Override
    public CodeBlock statistics(T op, Node node, LayerContext c) {
        return CodeBlock.of("");
    }

    @Override
    public CodeBlock forward(T op, Node node, LayerContext c) {
        return CodeBlock.of("// $L ($L)\n", describe(op, node), why);
    }

    @Override
    public CodeBlock backward(T op, Node node, LayerContext c) {
        return CodeBlock.of("");
    }
}
