package dev.lamina.processor.emit.java;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;

/**
 * The Java code of one op kind; each kind's package under {@code ops/} has one. Its parts of the passes are written
 * for one worker's slice of the batch through a {@link LayerContext}; the element-wise passes they share are in
 * {@link Epilogues}.
 *
 * @param <T> the IR record it lowers
 */
public interface JavaLowering<T extends Op> {
    /**
     * The layer in one line, for the class comment and the comment above its methods; most kinds answer with
     * {@link LayerCode#describe(Node, String, Op.Act)}.
     */
    String describe(T op, Node node);

    /**
     * Adds what the generated class needs for this layer beyond its regions: documented regions of its own,
     * geometry constants, state arrays, set-up before a training pass, checks in the constructor.
     */
    void declare(T op, Node node, ClassParts parts);

    /**
     * The forward pass's first part for this layer, run before {@link #forward}: a batch norm's statistics. Empty
     * for the kinds that have none.
     */
    CodeBlock statistics(T op, Node node, LayerContext c);

    /** The layer's part of the forward pass over a worker's rows. */
    CodeBlock forward(T op, Node node, LayerContext c);

    /** The layer's part of the backward pass over a worker's rows, from the gradient at its output. */
    CodeBlock backward(T op, Node node, LayerContext c);
}
