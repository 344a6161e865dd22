package dev.lamina.processor.ops.residual;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.emit.java.ClassParts;
import dev.lamina.processor.emit.java.JavaLowering;
import dev.lamina.processor.emit.java.LayerContext;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/** A residual stage is expanded into its layers by shape inference, before any lowering: nothing to write. */
final class ResidualJava implements JavaLowering<Op.Residual> {
    static final ResidualJava LOWERING = new ResidualJava();

    private static final String EXPANDED = "a residual stage is expanded into its layers before lowering";

    private ResidualJava() {
    }

    @Override
    public String describe(Op.Residual op, Node node) {
        throw new IllegalStateException(EXPANDED);
    }

    @Override
    public void declare(Op.Residual op, Node node, ClassParts parts) {
        throw new IllegalStateException(EXPANDED);
    }

    @Override
    public CodeBlock statistics(Op.Residual op, Node node, LayerContext c) {
        throw new IllegalStateException(EXPANDED);
    }

    @Override
    public CodeBlock forward(Op.Residual op, Node node, LayerContext c) {
        throw new IllegalStateException(EXPANDED);
    }

    @Override
    public CodeBlock backward(Op.Residual op, Node node, LayerContext c) {
        throw new IllegalStateException(EXPANDED);
    }
}
