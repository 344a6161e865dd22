package dev.lamina.processor.emit.java;

import com.palantir.javapoet.CodeBlock;
import dev.lamina.processor.graph.Node;
import dev.lamina.processor.graph.Op;
import dev.lamina.processor.ops.OpKinds;
import dev.lamina.processor.plan.Schedule;
import dev.lamina.processor.plan.Schedule.Step;
import java.util.Set;

/**
 * Each layer's parts of the passes, from its kind's {@link JavaLowering} (found through {@link OpKinds}), for one
 * worker's slice of the batch. GEMMs and the generic kernels (convolution, pooling, batch-norm statistics) are
 * calls into the runtime; everything pointwise after them (bias, activation, dropout) is written out as one loop,
 * specialised to the layer's sizes ({@link Epilogues}).
 */
public final class LayerCode {
    /** {@code Worker.BLOCK} (the processor does not depend on the runtime): rows wider than this are not blocked. */
    static final int HEAP_BLOCK = 4096;

    private final Schedule schedule;
    private final Names names;
    private final BlockLoops loops = new BlockLoops();

    LayerCode(Schedule schedule, Names names) {
        this.schedule = schedule;
        this.names = names;
    }

    /** A layer's part of a pass, with the pass's locals it uses. */
    record Part(CodeBlock code, Set<String> locals) {
    }

    /** The element-wise loop methods the layers' code calls, for the generated class. */
    BlockLoops loops() {
        return loops;
    }

    /** A one-line description for the comment above a layer's code. */
    static String describe(Node node) {
        return describe(OpKinds.of(node.op()), node);
    }

    /**
     * {@code name: kind in -> out}, then the activation ({@code act}, null for a kind without one) and what fusion
     * folded into the layer.
     */
    public static String describe(Node node, String kind, Op.Act act) {
        String activation = act != null && !act.isIdentity() ? ", " + act : "";
        String drop = node.hasFusedDropout() ? ", dropout " + node.dropout() + " ('" + node.dropoutName() + "')" : "";
        if (node.hasFusedPool()) {
            return node.name() + ": " + kind + " " + node.in() + " -> " + node.ownOut() + activation + ", then "
                    + node.pool().name() + ": MAX pool " + node.pool().op().kernel() + "/" + node.pool().op().stride()
                    + " -> " + node.out() + drop;
        }
        return node.name() + ": " + kind + " " + node.in() + " -> " + node.out() + activation + drop;
    }

    /** Adds {@code node}'s members of the generated class to {@code parts}. */
    static void declare(Node node, ClassParts parts) {
        declare(OpKinds.of(node.op()), node, parts);
    }

    /** A forward step's statistics part (a batch norm's; empty for the others). */
    Part statistics(Step step) {
        LayerContext c = context(step);
        return new Part(statistics(OpKinds.of(step.node().op()), step.node(), c), c.used());
    }

    /** A forward step's code. */
    Part forward(Step step) {
        LayerContext c = context(step);
        return new Part(forward(OpKinds.of(step.node().op()), step.node(), c), c.used());
    }

    /** A backward step's code. */
    Part backward(Step step) {
        LayerContext c = context(step);
        return new Part(backward(OpKinds.of(step.node().op()), step.node(), c), c.used());
    }

    private LayerContext context(Step step) {
        return new LayerContext(schedule, names, loops, step);
    }

    private static <T extends Op> String describe(OpKinds.Bound<T> b, Node node) {
        return b.kind().java().describe(b.op(), node);
    }

    private static <T extends Op> void declare(OpKinds.Bound<T> b, Node node, ClassParts parts) {
        b.kind().java().declare(b.op(), node, parts);
    }

    private static <T extends Op> CodeBlock statistics(OpKinds.Bound<T> b, Node node, LayerContext c) {
        return b.kind().java().statistics(b.op(), node, c);
    }

    private static <T extends Op> CodeBlock forward(OpKinds.Bound<T> b, Node node, LayerContext c) {
        return b.kind().java().forward(b.op(), node, c);
    }

    private static <T extends Op> CodeBlock backward(OpKinds.Bound<T> b, Node node, LayerContext c) {
        return b.kind().java().backward(b.op(), node, c);
    }
}
